package io.iotpay.api.money;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** Money is never float/double: no exported API type may expose float, double, Float or Double. */
class NoFloatingPointInApiTest {

    private static final Pattern FLOATING = Pattern.compile("\\b(float|double|java\\.lang\\.Float|java\\.lang\\.Double)\\b");
    private static final String[] PACKAGES = { "chain", "money", "channel", "wallet", "device", "identity", "notary" };

    @Test
    void noPublicMemberUsesFloatingPoint() throws Exception {
        List<Class<?>> classes = apiClasses();
        assertTrue(classes.size() > 60, "found only " + classes.size() + " API classes");
        List<String> offenders = new ArrayList<>();
        for (Class<?> c : classes) {
            for (Field f : c.getDeclaredFields()) {
                if (!Modifier.isPrivate(f.getModifiers()) || c.isRecord()) {
                    check(offenders, c.getName() + "." + f.getName(), f.getGenericType());
                }
            }
            for (Method m : c.getDeclaredMethods()) {
                if (Modifier.isPublic(m.getModifiers()) || Modifier.isProtected(m.getModifiers())) {
                    check(offenders, c.getName() + "." + m.getName() + " return", m.getGenericReturnType());
                    for (Type p : m.getGenericParameterTypes()) {
                        check(offenders, c.getName() + "." + m.getName() + " parameter", p);
                    }
                }
            }
            for (Constructor<?> k : c.getDeclaredConstructors()) {
                if (Modifier.isPublic(k.getModifiers()) || Modifier.isProtected(k.getModifiers())) {
                    for (Type p : k.getGenericParameterTypes()) {
                        check(offenders, c.getName() + " constructor parameter", p);
                    }
                }
            }
            if (c.isRecord()) {
                for (RecordComponent rc : c.getRecordComponents()) {
                    check(offenders, c.getName() + " component " + rc.getName(), rc.getGenericType());
                }
            }
        }
        assertTrue(offenders.isEmpty(), "floating point in API: " + offenders);
    }

    @Test
    void detectorWorks() {
        List<String> offenders = new ArrayList<>();
        check(offenders, "x", double.class);
        check(offenders, "y", Float[].class);
        check(offenders, "z", long.class);
        assertTrue(offenders.size() == 2, offenders.toString());
    }

    private static void check(List<String> offenders, String where, Type t) {
        String name = t instanceof Class<?> c ? c.getTypeName() : t.getTypeName();
        if (FLOATING.matcher(name).find()) {
            offenders.add(where + ": " + name);
        }
    }

    private static List<Class<?>> apiClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(Amount.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> out = new ArrayList<>();
        for (String p : PACKAGES) {
            Path dir = root.resolve("io/iotpay/api/" + p);
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    String file = f.getFileName().toString();
                    if (file.endsWith(".class") && !file.equals("package-info.class")) {
                        out.add(Class.forName("io.iotpay.api." + p + "." + file.substring(0, file.length() - 6)));
                    }
                }
            }
        }
        return out;
    }
}
