package io.iotpay.channel.internal.testing;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL cluster for tests: initdb into a temporary directory, start on a free loopback port
 * ({@code listen_addresses=127.0.0.1}, Unix socket in the cluster directory), stop and delete afterwards. Uses the
 * Debian packages' binaries ({@code /usr/lib/postgresql/<version>/bin}, or {@code $IOTPAY_PG_BIN}). When running as
 * root, initdb and postgres run as the {@code postgres} system user through {@code runuser}, because PostgreSQL
 * refuses to run as root.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String USER = "iotpay";

    private final Path dir;
    private final Path bin;
    private final int port;
    private final boolean asPostgresUser;

    private PostgresServer(Path dir, Path bin, int port, boolean asPostgresUser) {
        this.dir = dir;
        this.bin = bin;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /** Finds the binaries or fails with a message saying what to install. */
    public static Path binaries() {
        String env = System.getenv("IOTPAY_PG_BIN");
        if (env != null && Files.isExecutable(Path.of(env, "initdb"))) {
            return Path.of(env);
        }
        Path root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (Stream<Path> s = Files.list(root)) {
                List<Path> found = s.map(p -> p.resolve("bin")).filter(p -> Files.isExecutable(p.resolve("initdb"))
                        && Files.isExecutable(p.resolve("postgres"))).sorted(Comparator.comparing(
                                p -> versionOf(p.getParent().getFileName().toString()))).toList();
                if (!found.isEmpty()) {
                    return found.get(found.size() - 1);
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot list " + root, e);
            }
        }
        throw new IllegalStateException("PostgreSQL server binaries not found (looked in $IOTPAY_PG_BIN and "
                + "/usr/lib/postgresql/*/bin): install the Debian package 'postgresql' (apt-get install -y "
                + "postgresql), which provides initdb, pg_ctl and postgres");
    }

    private static int versionOf(String s) {
        try {
            return Integer.parseInt(s.replaceAll("[^0-9].*", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** initdb + start; fails loudly if anything does not work. */
    public static PostgresServer start() throws IOException, InterruptedException {
        Path bin = binaries();
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory("iotpay-pg-");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        PostgresServer pg = new PostgresServer(dir, bin, port, root);
        if (root) {
            run(List.of("chown", "postgres:postgres", dir.toString()), dir.resolve("chown.log"), false);
        }
        Path data = dir.resolve("data");
        pg.runPg(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "-A", "trust",
                "-E", "UTF8", "--no-sync"), "initdb.log");
        pg.runPg(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-t", "60", "-l",
                dir.resolve("server.log").toString(), "-o", "-p " + port + " -c listen_addresses=127.0.0.1 -k "
                        + dir, "start"), "pg_ctl-start.log");
        return pg;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public int port() {
        return port;
    }

    private void runPg(List<String> cmd, String log) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asPostgresUser) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(cmd);
        run(full, dir.resolve(log), asPostgresUser);
    }

    private static void run(List<String> cmd, Path log, boolean logOutsideDir) throws IOException,
            InterruptedException {
        File out = File.createTempFile("iotpay-pg-cmd", ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + " timed out");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed (" + p.exitValue() + "):\n"
                        + Files.readString(out.toPath(), StandardCharsets.UTF_8));
            }
        } finally {
            Files.deleteIfExists(out.toPath());
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            runPg(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-w", "-m", "fast",
                    "stop"), "pg_ctl-stop.log");
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
