package io.iotpay.itests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;

/**
 * One IOTPAY runtime, started from the assembled distribution as a separate process, as a user would start it: a
 * fresh copy of the distribution folder, free loopback ports for HTTP, SSH and RMI, {@code bin/karaf server}. Tests
 * talk to it over the Karaf SSH console and HTTP only. {@link #close()} stops it and makes sure no process is left,
 * also when a test fails (and a JVM shutdown hook covers a test JVM that dies).
 */
public final class IotpayRuntime implements AutoCloseable {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final java.util.Set<String> SKIPPED = java.util.Set.of("data", "instances", "lock");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    private final Path home;
    private final int httpPort;
    private final int sshPort;
    private final Map<String, String> environment;
    private volatile Process process;
    private volatile Thread reaper;
    private final SshClient ssh;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private IotpayRuntime(Path home, int httpPort, int sshPort, Map<String, String> environment, Process process,
            Thread reaper) {
        this.home = home;
        this.environment = environment;
        this.httpPort = httpPort;
        this.sshPort = sshPort;
        this.process = process;
        this.reaper = reaper;
        this.ssh = SshClient.setUpDefaultClient();
        ssh.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
        ssh.start();
    }

    /**
     * Copies the distribution, gives it free ports and extra configuration, starts it and waits until it is ready: the
     * SSH console answers and the console printed that IOTPAY is up.
     *
     * @param name a short name for the runtime's folder
     * @param extraConfig extra files to write below the runtime's folder (relative path to content), e.g. etc/*.cfg
     * @return the running runtime
     */
    public static IotpayRuntime start(String name, Map<String, String> extraConfig) throws IOException {
        Path distribution = Paths.get(System.getProperty("iotpay.distribution", "../karaf-distribution/target/assembly"));
        if (!Files.isExecutable(distribution.resolve("bin/karaf"))) {
            throw new IllegalStateException("no assembled distribution at " + distribution.toAbsolutePath()
                    + ": build it first (mvn install)");
        }
        Path work = Paths.get(System.getProperty("iotpay.itest.work", "target/runtimes"));
        Path home = work.resolve(name + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet());
        copyTree(distribution, home);

        int httpPort = freePort();
        int sshPort = freePort();
        int rmiRegistryPort = freePort();
        int rmiServerPort = freePort();
        setProperty(home.resolve("etc/org.ops4j.pax.web.cfg"), "org.osgi.service.http.port", Integer.toString(httpPort));
        setProperty(home.resolve("etc/org.apache.karaf.shell.cfg"), "sshPort", Integer.toString(sshPort));
        setProperty(home.resolve("etc/org.apache.karaf.management.cfg"), "rmiRegistryPort",
                Integer.toString(rmiRegistryPort));
        setProperty(home.resolve("etc/org.apache.karaf.management.cfg"), "rmiServerPort",
                Integer.toString(rmiServerPort));
        // The devnet's anvil on a free loopback port too, so runtimes never share a chain by accident.
        setProperty(home.resolve("etc/io.iotpay.devnet.cfg"), "port", Integer.toString(freePort()));
        for (Map.Entry<String, String> e : extraConfig.entrySet()) {
            Path file = home.resolve(e.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, e.getValue());
        }

        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("JAVA_HOME", System.getProperty("iotpay.karaf.java.home", System.getProperty("java.home")));
        // The script hands over to java: the process we hold is the Karaf JVM itself.
        environment.put("KARAF_EXEC", "exec");
        String anvil = System.getProperty("iotpay.anvil");
        if (anvil != null) {
            environment.put("IOTPAY_ANVIL", anvil);
        }
        // A random wallet and PKI passphrase per runtime (kept across its restarts), handed over the way an operator
        // would: in the environment.
        environment.put("IOTPAY_WALLET_PASSPHRASE", java.util.UUID.randomUUID().toString());
        environment.put("IOTPAY_PKI_PASSPHRASE", java.util.UUID.randomUUID().toString());
        Process process = launch(home, environment);
        Thread reaper = new Thread(() -> {
            kill(process);
            killStragglers(home);
        }, "iotpay-itest-reaper-" + name);
        Runtime.getRuntime().addShutdownHook(reaper);

        IotpayRuntime runtime = new IotpayRuntime(home, httpPort, sshPort, environment, process, reaper);
        try {
            runtime.awaitReady();
        } catch (RuntimeException | Error e) {
            String tail = runtime.diagnostics();
            runtime.close();
            throw new IllegalStateException("IOTPAY runtime did not become ready: " + e.getMessage() + "\n" + tail, e);
        }
        return runtime;
    }

    private static Process launch(Path home, Map<String, String> environment) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server");
        pb.directory(home.toFile());
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().putAll(environment);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("console.log").toFile()));
        return pb.start();
    }

    /**
     * Kills the Karaf JVM with SIGKILL, as a crash would: no shutdown hook, no clean stop. Child processes the runtime
     * started (such as its devnet's anvil) are left as a crash leaves them.
     */
    public void sigkill() {
        Process p = process;
        p.destroyForcibly();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("runtime process did not die on SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Starts the runtime again in the same folder (same ports, same data, same passphrases) after {@link #sigkill()},
     * and waits until it is ready.
     */
    public void restart() throws IOException {
        if (process.isAlive()) {
            throw new IllegalStateException("restart() after sigkill() or close() only");
        }
        int marker = console().length();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException e) {
            // shutting down
        }
        Process p = launch(home, environment);
        process = p;
        reaper = new Thread(() -> {
            kill(p);
            killStragglers(home);
        }, "iotpay-itest-reaper-restart");
        Runtime.getRuntime().addShutdownHook(reaper);
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        await("the restarted console says IOTPAY is up", deadline,
                () -> console().substring(Math.min(marker, console().length())).contains("IOTPAY is up"));
        awaitReady();
    }

    private void awaitReady() {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        await("the console says IOTPAY is up", deadline, () -> console().contains("IOTPAY is up"));
        await("the SSH console answers", deadline, () -> {
            try {
                return execute("bundle:list -t 0 -s").contains("io.iotpay.api");
            } catch (RuntimeException e) {
                return false;
            }
        });
    }

    /**
     * Waits until a condition holds, failing with the condition's description when the deadline passes or the runtime
     * process died.
     */
    public void await(String what, Instant deadline, BooleanSupplier condition) {
        while (true) {
            if (condition.getAsBoolean()) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("runtime process exited (" + process.exitValue() + ") while waiting until "
                        + what);
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("timed out waiting until " + what);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting until " + what, e);
            }
        }
    }

    /** Waits up to {@code timeout} for {@code condition}. */
    public void await(String what, Duration timeout, BooleanSupplier condition) {
        await(what, Instant.now().plus(timeout), condition);
    }

    /**
     * Runs one Karaf console command over SSH and returns what it printed.
     *
     * @throws IllegalStateException when the command fails (Karaf prints "Error executing command")
     */
    public String execute(String command) {
        try (ClientSession session = ssh.connect("karaf", "127.0.0.1", sshPort).verify(10, TimeUnit.SECONDS)
                .getSession()) {
            session.addPasswordIdentity("karaf");
            session.auth().verify(10, TimeUnit.SECONDS);
            try (ChannelExec channel = session.createExecChannel(command)) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                channel.setOut(out);
                channel.setErr(err);
                channel.open().verify(10, TimeUnit.SECONDS);
                channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), TimeUnit.SECONDS.toMillis(120));
                String stdout = out.toString(StandardCharsets.UTF_8);
                String stderr = err.toString(StandardCharsets.UTF_8);
                Integer exit = channel.getExitStatus();
                if ((exit != null && exit != 0) || stdout.contains("Error executing command")
                        || stderr.contains("Error executing command")) {
                    throw new IllegalStateException("command '" + command + "' failed (exit " + exit + "): "
                            + stdout + stderr);
                }
                return stdout + stderr;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("SSH to 127.0.0.1:" + sshPort + " failed for '" + command + "'", e);
        }
    }

    /** HTTP GET on the runtime's loopback HTTP port. */
    public HttpResponse<String> get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                    .timeout(Duration.ofSeconds(15)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * @return the IOTPAY bundles (symbolic name to state) as {@code bundle:list} reports them
     */
    public Map<String, String> iotpayBundles() {
        Map<String, String> states = new LinkedHashMap<>();
        // columns: ID | State | Lvl | Version | Symbolic name
        Pattern row = Pattern.compile("^\\s*\\d+\\s*[│|]\\s*(\\w+)\\s*[│|]\\s*\\d+\\s*[│|]\\s*\\S+\\s*[│|]\\s*(\\S+)");
        for (String line : execute("bundle:list -t 0 -s").split("\\R")) {
            Matcher m = row.matcher(line);
            if (m.find() && (m.group(2).startsWith("io.iotpay") || m.group(2).startsWith("org.openhab.binding.iotpay"))) {
                states.put(m.group(2), m.group(1));
            }
        }
        return states;
    }

    /**
     * @return the Declarative Services components of IOTPAY bundles (name to state), as the status endpoint reports
     *     them from the framework's ServiceComponentRuntime
     */
    public Map<String, String> iotpayComponents() {
        try {
            com.fasterxml.jackson.databind.JsonNode status = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(get("/iotpay/api/status").body());
            Map<String, String> states = new LinkedHashMap<>();
            status.path("components").fields().forEachRemaining(e -> states.put(e.getKey(), e.getValue().asText()));
            return states;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a registered {@code MeteredDevice} through the Gogo console: there is no IOTPAY shell command or HTTP
     * route that shows a device, so this calls the service itself ({@code $.context} is the console's bundle
     * context).
     *
     * @param deviceId the device's {@code iotpay.device} service property
     * @return the device's {@code MeterReading} as it prints itself, e.g.
     *     {@code MeterReading[deviceId=plug-1, at=..., powerMilliwatts=0, cumulativeSubunits=1234, relayOn=false]}
     */
    public String meterReading(String deviceId) {
        if (!deviceId.matches("[A-Za-z0-9._:-]{1,128}")) {
            throw new IllegalArgumentException("not a device id: " + deviceId);
        }
        String out = execute("echo (($.context getService (($.context getServiceReferences"
                + " io.iotpay.api.device.MeteredDevice \"(iotpay.device=" + deviceId + ")\") 0)) read)").trim();
        if (!out.startsWith("MeterReading[")) {
            throw new IllegalStateException("no meter reading of " + deviceId + ": " + out);
        }
        return out;
    }

    /** @return whether the device's relay is on, from {@link #meterReading(String)} */
    public boolean relayOn(String deviceId) {
        String reading = meterReading(deviceId);
        Matcher m = Pattern.compile("relayOn=(true|false)").matcher(reading);
        if (!m.find()) {
            throw new IllegalStateException("no relay state in " + reading);
        }
        return Boolean.parseBoolean(m.group(1));
    }

    /** @return the Karaf JVM's process id (it must not change across a hot swap) */
    public long pid() {
        return process.pid();
    }

    /** @return what the runtime printed on its console */
    public String console() {
        try {
            return Files.readString(home.resolve("console.log"));
        } catch (IOException e) {
            return "";
        }
    }

    /** @return the passphrase of this runtime's device keys (what an operator puts in IOTPAY_PKI_PASSPHRASE) */
    public char[] pkiPassphrase() {
        return environment.get("IOTPAY_PKI_PASSPHRASE").toCharArray();
    }

    /** @return the Karaf log so far ({@code data/log/karaf.log}), empty if there is none yet */
    public String log() {
        try {
            Path log = home.resolve("data/log/karaf.log");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** @return the runtime's home folder (a fresh copy of the distribution) */
    public Path home() {
        return home;
    }

    /** @return the loopback HTTP port */
    public int httpPort() {
        return httpPort;
    }

    /** @return the console and the end of the Karaf log, to explain a failure */
    public String diagnostics() {
        StringBuilder sb = new StringBuilder("--- console ---\n").append(tail(console(), 60));
        try {
            Path log = home.resolve("data/log/karaf.log");
            if (Files.exists(log)) {
                sb.append("\n--- karaf.log ---\n").append(tail(Files.readString(log), 120));
            }
        } catch (IOException e) {
            sb.append("\n(karaf.log unreadable: ").append(e.getMessage()).append(')');
        }
        return sb.toString();
    }

    /** Stops the runtime: a graceful stop first, then a forced one; never leaves a process behind. */
    @Override
    public void close() {
        try {
            ssh.stop();
        } catch (RuntimeException e) {
            // closing anyway
        }
        kill(process);
        killStragglers(home);
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs anyway
        }
    }

    private static void kill(Process process) {
        List<ProcessHandle> family = new ArrayList<>();
        family.add(process.toHandle());
        process.toHandle().descendants().forEach(family::add);
        process.destroy(); // SIGTERM: Karaf's shutdown hook stops the framework cleanly
        try {
            if (!process.waitFor(45, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(15, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        for (ProcessHandle p : family) {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
    }

    /**
     * Kills every process still running from this runtime's folder: what a SIGKILLed runtime left behind (its
     * devnet's anvil keeps running when the JVM that started it is killed) is found by its command line.
     */
    private static void killStragglers(Path home) {
        String folder = home.toAbsolutePath().normalize().toString();
        ProcessHandle.allProcesses()
                .filter(p -> p.pid() != ProcessHandle.current().pid())
                .filter(p -> p.info().commandLine().map(c -> c.contains(folder)).orElse(false))
                .forEach(p -> {
                    p.destroyForcibly();
                    p.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(t -> null).join();
                });
    }

    private static String tail(String text, int lines) {
        String[] all = text.split("\\R");
        return Stream.of(all).skip(Math.max(0, all.length - lines)).collect(Collectors.joining("\n"));
    }

    /**
     * A free loopback port below Linux's ephemeral range (32768-60999): ports picked from the ephemeral range can be
     * taken, between the pick and their use, by anything that binds port 0 or opens an outgoing connection (seen: the
     * Karaf shutdown socket of the runtime itself took the devnet's port, and anvil then failed with "Address already
     * in use"). Random start, then the next free one.
     */
    static int freePort() throws IOException {
        int span = 32000 - 20000;
        int start = java.util.concurrent.ThreadLocalRandom.current().nextInt(span);
        for (int i = 0; i < span; i++) {
            int port = 20000 + (start + i) % span;
            if (!PICKED.add(port)) {
                continue; // handed out to another runtime of this JVM already
            }
            try (ServerSocket socket = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException e) {
                // taken: try the next one
            }
        }
        throw new IOException("no free loopback port in 20000-31999");
    }

    private static final java.util.Set<Integer> PICKED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Sets {@code key = value} in a Java properties style file, replacing the key's line or appending one. */
    static void setProperty(Path file, String key, String value) throws IOException {
        List<String> lines = Files.exists(file) ? new ArrayList<>(Files.readAllLines(file)) : new ArrayList<>();
        Pattern keyLine = Pattern.compile("^\\s*#?\\s*" + Pattern.quote(key) + "\\s*[=:].*$");
        boolean replaced = false;
        for (int i = 0; i < lines.size(); i++) {
            if (keyLine.matcher(lines.get(i)).matches()) {
                lines.set(i, key + " = " + value);
                replaced = true;
            }
        }
        if (!replaced) {
            lines.add(key + " = " + value);
        }
        Files.write(file, lines);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path relative = from.relativize(source);
                if (relative.getNameCount() > 0 && SKIPPED.contains(relative.getName(0).toString())) {
                    continue; // state of a runtime started by hand in the distribution folder: never reuse it
                }
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
