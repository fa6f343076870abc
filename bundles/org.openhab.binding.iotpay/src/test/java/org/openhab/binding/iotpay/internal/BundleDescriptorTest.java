package org.openhab.binding.iotpay.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.jar.Manifest;

import javax.xml.parsers.DocumentBuilderFactory;

import org.eclipse.jdt.annotation.NonNullByDefault;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * What bnd generated for the bundle (target/classes after process-classes): the handler factory's references (the
 * wallet and engine static, chain connectors dynamic 0..n so they can come and go), prototype-scoped actions, and a
 * manifest that imports only IOTPAY API packages and exports nothing.
 */
@NonNullByDefault
class BundleDescriptorTest {

    private static final Path CLASSES = Path.of("target/classes");

    private static Document component(String name) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(CLASSES.resolve("OSGI-INF/" + name + ".xml").toFile());
    }

    @Test
    void handlerFactoryTracksChainConnectorsDynamically() throws Exception {
        Document doc = component("org.openhab.binding.iotpay.internal.IotpayHandlerFactory");
        NodeList refs = doc.getElementsByTagName("reference");
        Map<String, Element> byInterface = new HashMap<>();
        for (int i = 0; i < refs.getLength(); i++) {
            Element e = (Element) refs.item(i);
            byInterface.put(e.getAttribute("interface"), e);
        }
        Element connectors = byInterface.get("io.iotpay.api.chain.ChainConnector");
        assertNotNull(connectors);
        assertEquals("0..n", connectors.getAttribute("cardinality"));
        assertEquals("dynamic", connectors.getAttribute("policy"));
        for (String mandatory : new String[] { "io.iotpay.api.wallet.Wallet", "io.iotpay.api.channel.ChannelEngine" }) {
            Element e = byInterface.get(mandatory);
            assertNotNull(e, mandatory);
            assertEquals("", e.getAttribute("cardinality"), mandatory + " is mandatory (1..1 default)");
            assertEquals("", e.getAttribute("policy"), mandatory + " is static");
        }
        NodeList provides = doc.getElementsByTagName("provide");
        assertEquals(2, provides.getLength());
    }

    @Test
    void actionsArePrototypeScoped() throws Exception {
        for (String name : new String[] { "action.WalletActions", "action.SessionActions" }) {
            Document doc = component("org.openhab.binding.iotpay.internal." + name);
            Element service = (Element) doc.getElementsByTagName("service").item(0);
            assertEquals("prototype", service.getAttribute("scope"), name);
        }
    }

    @Test
    void manifestImportsOnlyApiPackagesAndExportsNothing() throws Exception {
        Manifest mf;
        try (InputStream in = Files.newInputStream(CLASSES.resolve("META-INF/MANIFEST.MF"))) {
            mf = new Manifest(in);
        }
        String imports = mf.getMainAttributes().getValue("Import-Package");
        assertNotNull(imports);
        assertTrue(imports.contains("io.iotpay.api.channel"), imports);
        assertTrue(imports.contains("org.openhab.core.thing.binding;version=\"[5.2,6)\""), imports);
        assertFalse(imports.contains("internal"), imports);
        assertNull(mf.getMainAttributes().getValue("Export-Package"));
        assertEquals("org.openhab.binding.iotpay", mf.getMainAttributes().getValue("Bundle-SymbolicName"));
    }
}
