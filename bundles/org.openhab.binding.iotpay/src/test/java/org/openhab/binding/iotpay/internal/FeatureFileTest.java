package org.openhab.binding.iotpay.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import javax.xml.parsers.DocumentBuilderFactory;

import org.eclipse.jdt.annotation.NonNullByDefault;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The binding's Karaf feature depends on openHAB's runtime and on IOTPAY features that really exist in IOTPAY's
 * feature repository (features/src/main/feature/feature.xml), and carries the marker where the build inlines them.
 */
@NonNullByDefault
class FeatureFileTest {

    private static Element root(Path file) throws Exception {
        var factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(file.toFile()).getDocumentElement();
    }

    @Test
    void bindingFeatureDependsOnExistingIotpayFeatures() throws Exception {
        Element binding = root(Path.of("src/main/feature/feature.xml"));
        Element core = root(Path.of("../../features/src/main/feature/feature.xml"));
        Set<String> coreFeatures = new HashSet<>();
        NodeList defined = core.getElementsByTagNameNS("*", "feature");
        for (int i = 0; i < defined.getLength(); i++) {
            Element f = (Element) defined.item(i);
            if (f.hasAttribute("name")) {
                coreFeatures.add(f.getAttribute("name"));
            }
        }
        Element feature = null;
        NodeList features = binding.getElementsByTagNameNS("*", "feature");
        for (int i = 0; i < features.getLength(); i++) {
            Element f = (Element) features.item(i);
            if ("openhab-binding-iotpay".equals(f.getAttribute("name"))) {
                feature = f;
            }
        }
        assertNotNull(feature);
        Set<String> deps = new HashSet<>();
        NodeList children = feature.getElementsByTagNameNS("*", "feature");
        for (int i = 0; i < children.getLength(); i++) {
            deps.add(children.item(i).getTextContent().trim());
        }
        assertTrue(deps.contains("openhab-runtime-base"), deps.toString());
        long iotpay = deps.stream().filter(d -> d.startsWith("iotpay")).count();
        assertTrue(iotpay >= 3, deps.toString());
        for (String d : deps) {
            if (d.startsWith("iotpay")) {
                assertTrue(coreFeatures.contains(d), "IOTPAY feature " + d + " does not exist in " + coreFeatures);
            }
        }
        assertFalse(deps.contains("iotpay-devnet"), "the devnet is for tests, not for every openHAB");
    }
}
