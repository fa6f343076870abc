package io.iotpay.itests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The IOTPAY feature repository as built ({@code features/target/feature/feature.xml}): which features exist and which
 * IOTPAY bundles each one installs. The tests derive what they expect from it, so a new bundle or feature is covered
 * without editing the tests.
 */
final class FeatureRepository {

    private static final Pattern FEATURE = Pattern.compile("<feature\\s+name=\"([^\"]+)\"[^>]*>(.*?)</feature>\\s*(?=<feature\\s+name=|</features>)",
            Pattern.DOTALL);
    private static final Pattern IOTPAY_BUNDLE = Pattern.compile("<bundle[^>]*>\\s*mvn:io\\.iotpay/([^/]+)/");

    /** The aggregate feature that only groups the others. */
    static final String AGGREGATE = "iotpay";

    /** Features an operator installs on purpose; the distribution does not boot them. */
    static final Set<String> OPT_IN = Set.of("iotpay-channel-postgresql");

    private final Map<String, Set<String>> bundlesByFeature = new LinkedHashMap<>();

    FeatureRepository() throws IOException {
        Path file = Paths.get(System.getProperty("iotpay.features", "../features/target/feature/feature.xml"));
        String xml = Files.readString(file).replaceAll("(?s)<!--.*?-->", "");
        Matcher f = FEATURE.matcher(xml);
        while (f.find()) {
            Set<String> bundles = new TreeSet<>();
            Matcher b = IOTPAY_BUNDLE.matcher(f.group(2));
            while (b.find()) {
                bundles.add(b.group(1));
            }
            bundlesByFeature.put(f.group(1), bundles);
        }
        if (bundlesByFeature.isEmpty()) {
            throw new IllegalStateException("no feature found in " + file.toAbsolutePath());
        }
    }

    /** @return every feature name except the aggregate */
    Set<String> features() {
        Set<String> names = new TreeSet<>(bundlesByFeature.keySet());
        names.remove(AGGREGATE);
        names.removeAll(OPT_IN);
        return names;
    }

    /** @return every IOTPAY bundle of every feature */
    Set<String> allBundles() {
        Set<String> all = new TreeSet<>();
        bundlesByFeature.values().forEach(all::addAll);
        return all;
    }

    /** @return the IOTPAY bundles a feature lists itself */
    Set<String> bundlesOf(String feature) {
        Set<String> bundles = bundlesByFeature.get(feature);
        if (bundles == null) {
            throw new IllegalArgumentException("no feature " + feature + " in the repository; have " + bundlesByFeature.keySet());
        }
        return bundles;
    }
}
