package io.iotpay.wallet.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The native library is found and loaded from the class loader that holds the wallet classes, the way an OSGi bundle
 * class loader does, and a second, independent loader (a refreshed bundle) can load it again: each load uses its own
 * extracted file, so the JVM's one-library-per-loader rule does not bite.
 */
@EnabledOnOs(value = OS.LINUX, architectures = {"amd64", "aarch64"}) // the embedded native library
class NativeLoaderIsolationTest {

    @Test
    void twoIsolatedClassLoadersEachLoadTheEmbeddedLibrary() throws Exception {
        Path classes = Paths.get(NativeSecp256k1.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path bc = Paths.get(org.bouncycastle.crypto.Digest.class.getProtectionDomain().getCodeSource().getLocation()
                .toURI());
        Path slf4j = Paths.get(org.slf4j.Logger.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        byte[] digest = Keccak.keccak256(new byte[] {1});
        byte[] key = Keccak.keccak256(new byte[] {2});
        byte[] expected = new BouncyCastleSecp256k1().sign(digest, key);
        Class<?> first = null;
        for (int i = 0; i < 2; i++) {
            try (URLClassLoader loader = new URLClassLoader(
                    new URL[] {classes.toUri().toURL(), bc.toUri().toURL(), slf4j.toUri().toURL()},
                    ClassLoader.getPlatformClassLoader())) {
                Class<?> c = loader.loadClass(NativeSecp256k1.class.getName());
                if (first != null) {
                    assertNotSame(first, c);
                }
                first = c;
                Object nat = c.getMethod("load").invoke(null);
                Method sign = c.getMethod("sign", byte[].class, byte[].class);
                assertArrayEquals(expected, (byte[]) sign.invoke(nat, digest, key), "native signature, loader " + i);
                c.getMethod("close").invoke(nat);
            }
        }
    }
}
