package org.openhab.binding.iotpay.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.eclipse.jdt.annotation.NonNullByDefault;
import org.eclipse.jdt.annotation.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openhab.binding.iotpay.internal.action.SessionActions;
import org.openhab.binding.iotpay.internal.action.WalletActions;
import org.openhab.core.automation.annotation.ActionInput;
import org.openhab.core.automation.annotation.ActionOutput;
import org.openhab.core.automation.annotation.RuleAction;
import org.openhab.core.config.core.ConfigDescription;
import org.openhab.core.config.core.ConfigDescriptionParameter;
import org.openhab.core.config.core.ConfigDescriptionParameterGroup;
import org.openhab.core.config.core.ParameterOption;
import org.openhab.core.config.core.xml.internal.ConfigDescriptionReader;
import org.openhab.core.thing.profiles.ProfileType;
import org.openhab.core.thing.type.ChannelDefinition;
import org.openhab.core.thing.type.ChannelType;
import org.openhab.core.thing.type.ChannelTypeUID;
import org.openhab.core.thing.type.ThingType;
import org.openhab.core.thing.xml.internal.ChannelTypeXmlResult;
import org.openhab.core.thing.xml.internal.ThingDescriptionReader;
import org.openhab.core.thing.xml.internal.ThingTypeXmlResult;
import org.openhab.core.types.CommandOption;
import org.openhab.core.types.StateOption;
import org.w3c.dom.Document;

/**
 * The OH-INF files are read with openHAB's own readers (so openHAB accepts them), then cross-checked: every channel
 * type referenced exists and every one is used, every config reference resolves, every label, description and option
 * has its i18n key with the same English text, no i18n key is stale, and every @text key of the rule actions exists.
 */
@NonNullByDefault
class XmlConsistencyTest {

    private static final Path OH_INF = Path.of("src/main/resources/OH-INF");

    private static final List<ThingType> THING_TYPES = new ArrayList<>();
    private static final Map<ChannelTypeUID, ChannelType> CHANNEL_TYPES = new HashMap<>();
    private static final Map<URI, ConfigDescription> CONFIGS = new HashMap<>();
    private static final Properties I18N = new Properties();

    @BeforeAll
    static void readEverything() throws Exception {
        try (Stream<Path> files = Files.list(OH_INF.resolve("thing"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".xml")).sorted().toList()) {
                List<?> results = new ThingDescriptionReader().readFromXML(file.toUri().toURL());
                assertNotNull(results, file.toString());
                for (Object r : results) {
                    if (r instanceof ThingTypeXmlResult t) {
                        THING_TYPES.add(t.toThingType());
                    } else if (r instanceof ChannelTypeXmlResult c) {
                        ChannelType type = c.toChannelType();
                        assertNull(CHANNEL_TYPES.put(type.getUID(), type), "duplicate channel type " + type.getUID());
                    } else {
                        fail("unexpected element in " + file + ": " + r);
                    }
                }
            }
        }
        List<ConfigDescription> configs = new ConfigDescriptionReader()
                .readFromXML(OH_INF.resolve("config/config.xml").toUri().toURL());
        assertNotNull(configs);
        configs.forEach(c -> CONFIGS.put(c.getUID(), c));
        try (Reader reader = Files.newBufferedReader(OH_INF.resolve("i18n/iotpay.properties"),
                StandardCharsets.UTF_8)) {
            I18N.load(reader);
        }
    }

    private static String norm(@Nullable String text) {
        return text == null ? "" : text.trim().replaceAll("\\s+", " ");
    }

    /** Expected i18n keys with their English text, collected from the parsed XML. */
    private static Map<String, String> expectedKeys() throws Exception {
        Map<String, String> keys = new HashMap<>();
        Document addon = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(OH_INF.resolve("addon/addon.xml").toFile());
        assertEquals(IotpayBindingConstants.BINDING_ID, addon.getDocumentElement().getAttribute("id"));
        keys.put("addon.iotpay.name", addon.getElementsByTagName("name").item(0).getTextContent());
        keys.put("addon.iotpay.description", addon.getElementsByTagName("description").item(0).getTextContent());
        for (ThingType t : THING_TYPES) {
            String base = "thing-type.iotpay." + t.getUID().getId();
            keys.put(base + ".label", t.getLabel());
            keys.put(base + ".description", t.getDescription());
            for (ChannelDefinition d : t.getChannelDefinitions()) {
                if (d.getLabel() != null) {
                    keys.put(base + ".channel." + d.getId() + ".label", d.getLabel());
                }
                if (d.getDescription() != null) {
                    keys.put(base + ".channel." + d.getId() + ".description", d.getDescription());
                }
            }
        }
        for (ChannelType c : CHANNEL_TYPES.values()) {
            String base = "channel-type.iotpay." + c.getUID().getId();
            keys.put(base + ".label", c.getLabel());
            keys.put(base + ".description", c.getDescription());
            var state = c.getState();
            if (state != null) {
                for (StateOption o : state.getOptions()) {
                    keys.put(base + ".state.option." + o.getValue(), o.getLabel());
                }
            }
            var command = c.getCommandDescription();
            if (command != null) {
                for (CommandOption o : command.getCommandOptions()) {
                    keys.put(base + ".command.option." + o.getCommand(), o.getLabel());
                }
            }
            var event = c.getEvent();
            if (event != null) {
                for (var o : event.getOptions()) {
                    keys.put(base + ".event.option." + o.getValue(), o.getLabel());
                }
            }
        }
        for (ConfigDescription cd : CONFIGS.values()) {
            String[] uri = cd.getUID().toString().split(":", 2);
            String base = uri[0] + ".config." + uri[1].replace(':', '.');
            for (ConfigDescriptionParameterGroup g : cd.getParameterGroups()) {
                keys.put(base + ".group." + g.getName() + ".label", g.getLabel());
                keys.put(base + ".group." + g.getName() + ".description", g.getDescription());
            }
            for (ConfigDescriptionParameter p : cd.getParameters()) {
                keys.put(base + "." + p.getName() + ".label", p.getLabel());
                keys.put(base + "." + p.getName() + ".description", p.getDescription());
                for (ParameterOption o : p.getOptions()) {
                    keys.put(base + "." + p.getName() + ".option." + o.getValue(), o.getLabel());
                }
            }
        }
        return keys;
    }

    @Test
    void everyReferencedChannelTypeExistsAndEveryChannelTypeIsUsed() {
        assertEquals(Set.of("wallet", "paidsocket", "purchase"),
                THING_TYPES.stream().map(t -> t.getUID().getId()).collect(java.util.stream.Collectors.toSet()));
        Set<ChannelTypeUID> used = new HashSet<>();
        for (ThingType t : THING_TYPES) {
            for (ChannelDefinition d : t.getChannelDefinitions()) {
                assertTrue(CHANNEL_TYPES.containsKey(d.getChannelTypeUID()),
                        t.getUID() + " channel " + d.getId() + " references missing " + d.getChannelTypeUID());
                used.add(d.getChannelTypeUID());
            }
        }
        assertEquals(CHANNEL_TYPES.keySet(), used, "unused channel types");
    }

    @Test
    void everyChannelIdTheCodeUsesIsDeclared() throws Exception {
        Set<String> declared = new HashSet<>();
        THING_TYPES.forEach(t -> t.getChannelDefinitions().forEach(d -> declared.add(d.getId())));
        for (Field f : IotpayBindingConstants.class.getFields()) {
            if (f.getName().startsWith("CHANNEL_") && Modifier.isStatic(f.getModifiers())) {
                assertTrue(declared.contains((String) f.get(null)), f.getName() + " = " + f.get(null));
            }
        }
    }

    @Test
    void everyConfigReferenceResolvesAndTheConfigClassesMatch() throws Exception {
        for (ThingType t : THING_TYPES) {
            URI uri = t.getConfigDescriptionURI();
            assertNotNull(uri, t.getUID().toString());
            assertTrue(CONFIGS.containsKey(uri), "missing config description " + uri);
        }
        assertTrue(CONFIGS.containsKey(new URI("profile:iotpay:payment-gate")));
        assertConfigMatches("thing-type:iotpay:wallet", org.openhab.binding.iotpay.internal.config.WalletConfiguration.class);
        assertConfigMatches("thing-type:iotpay:paidsocket",
                org.openhab.binding.iotpay.internal.config.PaidSocketConfiguration.class);
        assertConfigMatches("thing-type:iotpay:purchase",
                org.openhab.binding.iotpay.internal.config.PurchaseConfiguration.class);
        assertConfigMatches("profile:iotpay:payment-gate",
                org.openhab.binding.iotpay.internal.config.PaymentGateConfiguration.class);
    }

    private static void assertConfigMatches(String uri, Class<?> type) throws Exception {
        Set<String> xml = new TreeSet<>();
        CONFIGS.get(new URI(uri)).getParameters().forEach(p -> xml.add(p.getName()));
        Set<String> java = new TreeSet<>();
        for (Field f : type.getFields()) {
            java.add(f.getName());
        }
        assertEquals(java, xml, uri + " vs " + type.getSimpleName());
    }

    @Test
    void everyLabelAndDescriptionHasItsI18nKeyWithTheSameText() throws Exception {
        Map<String, String> expected = expectedKeys();
        for (Map.Entry<String, String> e : expected.entrySet()) {
            assertTrue(I18N.containsKey(e.getKey()), "missing i18n key " + e.getKey());
            assertEquals(norm(e.getValue()), norm(I18N.getProperty(e.getKey())), e.getKey());
        }
    }

    @Test
    void noI18nKeyIsStale() throws Exception {
        Set<String> expected = new HashSet<>(expectedKeys().keySet());
        expected.addAll(actionKeys());
        expected.add("profile-type.iotpay.payment-gate.label");
        expected.addAll(statusKeys());
        Set<String> stale = new TreeSet<>(I18N.stringPropertyNames());
        stale.removeAll(expected);
        assertEquals(Set.of(), stale);
    }

    @Test
    void everyActionTextKeyExists() {
        Set<String> keys = actionKeys();
        assertTrue(keys.size() > 10);
        for (String key : keys) {
            assertTrue(I18N.containsKey(key), "missing i18n key for action text " + key);
        }
    }

    @Test
    void everyStatusDescriptionKeyExistsWithMatchingArguments() throws Exception {
        for (String key : statusKeys()) {
            assertTrue(I18N.containsKey(key), "missing i18n key for status text " + key);
            new java.text.MessageFormat(I18N.getProperty(key)); // must be a valid pattern
        }
        assertTrue(statusKeys().size() >= 10);
    }

    /** Keys passed to StatusText.text(...) anywhere in the sources. */
    private static Set<String> statusKeys() {
        Set<String> keys = new TreeSet<>();
        java.util.regex.Pattern p = java.util.regex.Pattern.compile("StatusText\\.text\\(\\s*\"([a-z0-9.-]+)\"");
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path f : files.filter(x -> x.toString().endsWith(".java")).toList()) {
                java.util.regex.Matcher m = p.matcher(Files.readString(f));
                while (m.find()) {
                    keys.add(m.group(1));
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return keys;
    }

    @Test
    void profileTypeLabelMatchesItsI18nKey() {
        ProfileType type = new org.openhab.binding.iotpay.internal.profile.IotpayProfileFactory(
                new PaidSocketRegistry()).getProfileTypes(null).iterator().next();
        assertEquals(I18N.getProperty("profile-type.iotpay.payment-gate.label"), type.getLabel());
    }

    private static Set<String> actionKeys() {
        Set<String> keys = new TreeSet<>();
        for (Class<?> type : List.of(WalletActions.class, SessionActions.class)) {
            for (Method m : type.getDeclaredMethods()) {
                RuleAction a = m.getAnnotation(RuleAction.class);
                if (a == null) {
                    continue;
                }
                addText(keys, a.label());
                addText(keys, a.description());
                for (ActionOutput o : m.getAnnotationsByType(ActionOutput.class)) {
                    addText(keys, o.label());
                    addText(keys, o.description());
                }
                for (var p : m.getParameters()) {
                    ActionInput in = p.getAnnotation(ActionInput.class);
                    if (in != null) {
                        addText(keys, in.label());
                        addText(keys, in.description());
                    }
                }
            }
        }
        return keys;
    }

    private static void addText(Set<String> keys, String value) {
        if (value.startsWith("@text/")) {
            keys.add(value.substring("@text/".length()));
        } else {
            assertTrue(value.isEmpty(), "action text not localised: " + value);
        }
    }

}
