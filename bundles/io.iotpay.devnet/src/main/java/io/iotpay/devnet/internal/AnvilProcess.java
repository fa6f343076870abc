package io.iotpay.devnet.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Launches and owns one local {@code anvil} process bound to 127.0.0.1.
 *
 * <p>Used by the {@link DevnetSupervisor} at runtime and by the tests of this bundle and of the EVM connector. The
 * binary comes from the pinned npm package {@code @foundry-rs/anvil-linux-amd64} (see {@code tools/package.json}).
 * It is found, in this order, through the system property {@value #PATH_PROPERTY}, the environment variable
 * {@value #PATH_ENV}, or {@code tools/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil} under the current
 * directory or any of its parents (the repository root when run from Maven).
 */
public final class AnvilProcess implements AutoCloseable {

    /** System property naming the anvil binary. */
    public static final String PATH_PROPERTY = "iotpay.anvil.path";
    /** Environment variable naming the anvil binary. */
    public static final String PATH_ENV = "IOTPAY_ANVIL";
    /** Location of the binary inside the npm tool folder of the repository. */
    public static final String NPM_RELATIVE_PATH = "tools/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil";
    /** The well-known development mnemonic anvil uses by default. For the local devnet only: its keys are public. */
    public static final String DEV_MNEMONIC = "test test test test test test test test test test test junk";
    /** Anvil's default chain id. */
    public static final long DEVNET_CHAIN_ID = 31337L;

    private final Process process;
    private final int port;
    private final long chainId;
    private final Thread shutdownHook;
    private final Deque<String> lastOutput = new ArrayDeque<>();
    private final Options options;

    /** Launch options. */
    public static final class Options {
        Path binary;
        int port; // 0 = pick a free one
        long chainId = DEVNET_CHAIN_ID;
        Path stateFile;
        int stateIntervalSeconds = 2;
        String mnemonic = DEV_MNEMONIC;
        int accounts = 10;
        Long blockTimeSeconds;
        Duration startTimeout = Duration.ofSeconds(30);
        final List<String> extraArgs = new ArrayList<>();

        /** @param binary the anvil executable; null = {@link AnvilProcess#locate()} */
        public Options binary(Path binary) { this.binary = binary; return this; }
        /** @param port loopback port, 0 = any free port */
        public Options port(int port) { this.port = port; return this; }
        /** @param chainId chain id anvil reports */
        public Options chainId(long chainId) { this.chainId = chainId; return this; }
        /** @param stateFile file to load state from and dump state to (anvil {@code --state}); null = in memory */
        public Options stateFile(Path stateFile) { this.stateFile = stateFile; return this; }
        /** @param seconds interval of periodic state dumps */
        public Options stateIntervalSeconds(int seconds) { this.stateIntervalSeconds = seconds; return this; }
        /** @param mnemonic the dev mnemonic for the unlocked accounts */
        public Options mnemonic(String mnemonic) { this.mnemonic = Objects.requireNonNull(mnemonic); return this; }
        /** @param accounts number of unlocked dev accounts */
        public Options accounts(int accounts) { this.accounts = accounts; return this; }
        /** @param seconds automatic block time, null = mine on every transaction */
        public Options blockTimeSeconds(Long seconds) { this.blockTimeSeconds = seconds; return this; }
        /** @param timeout how long to wait for the RPC to answer */
        public Options startTimeout(Duration timeout) { this.startTimeout = timeout; return this; }
        /** @param args extra anvil arguments */
        public Options extraArgs(String... args) { this.extraArgs.addAll(List.of(args)); return this; }
    }

    private AnvilProcess(Options options, Process process, int port) {
        this.options = options;
        this.process = process;
        this.port = port;
        this.chainId = options.chainId;
        this.shutdownHook = new Thread(this::destroy, "anvil-shutdown-" + port);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** @return new default options (free port, chain id 31337, dev mnemonic, in-memory state) */
    public static Options options() {
        return new Options();
    }

    /** Starts anvil with default options (free port, chain 31337, no state file). */
    public static AnvilProcess start() {
        return start(options());
    }

    /**
     * Starts anvil and waits until {@code eth_chainId} answers with the configured chain id.
     *
     * @throws IllegalStateException if the binary cannot be found, does not start, or does not answer in time
     */
    public static AnvilProcess start(Options options) {
        Path binary = options.binary != null ? options.binary : locate();
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException("anvil binary " + binary + " is missing or not executable; " + HOW_TO_INSTALL);
        }
        if (options.port != 0) {
            return start(options, binary, options.port);
        }
        // a port picked free can be taken before anvil binds it (by anything binding port 0 or connecting out):
        // then pick another one, a few times
        for (int attempt = 1;; attempt++) {
            try {
                return start(options, binary, freePort());
            } catch (IllegalStateException e) {
                if (attempt >= 3 || !String.valueOf(e.getMessage()).contains("Address already in use")) {
                    throw e;
                }
            }
        }
    }

    private static AnvilProcess start(Options options, Path binary, int port) {
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--host", "127.0.0.1", "--port",
                Integer.toString(port), "--chain-id", Long.toString(options.chainId), "--accounts",
                Integer.toString(options.accounts), "--mnemonic", options.mnemonic));
        if (options.stateFile != null) {
            try {
                Path parent = options.stateFile.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot create folder for anvil state " + options.stateFile, e);
            }
            cmd.addAll(List.of("--state", options.stateFile.toString(), "--state-interval",
                    Integer.toString(options.stateIntervalSeconds)));
        }
        if (options.blockTimeSeconds != null) {
            cmd.addAll(List.of("--block-time", Long.toString(options.blockTimeSeconds)));
        }
        cmd.addAll(options.extraArgs);
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start anvil at " + binary + ": " + e.getMessage(), e);
        }
        AnvilProcess anvil = new AnvilProcess(options, p, port);
        anvil.drainOutput();
        try {
            anvil.awaitReady(options.startTimeout);
        } catch (RuntimeException e) {
            anvil.close();
            throw e;
        }
        return anvil;
    }

    private static final String HOW_TO_INSTALL = "install it with `cd tools && npm ci` in the IOTPAY repository, or set -D"
            + PATH_PROPERTY + "=/path/to/anvil or the environment variable " + PATH_ENV;

    /**
     * Finds the anvil binary (system property, environment, npm tool folder in this directory or a parent).
     *
     * @throws IllegalStateException with installation instructions if it is nowhere
     */
    public static Path locate() {
        return find().orElseThrow(() -> new IllegalStateException(
                "anvil not found (looked at -D" + PATH_PROPERTY + ", $" + PATH_ENV + " and " + NPM_RELATIVE_PATH
                        + " under " + Paths.get("").toAbsolutePath() + " and its parents): " + HOW_TO_INSTALL));
    }

    /** @return the anvil binary if one can be found */
    public static Optional<Path> find() {
        String prop = System.getProperty(PATH_PROPERTY);
        if (prop != null && !prop.isBlank()) {
            return Optional.of(Paths.get(prop));
        }
        String env = System.getenv(PATH_ENV);
        if (env != null && !env.isBlank()) {
            return Optional.of(Paths.get(env));
        }
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(NPM_RELATIVE_PATH);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private void drainOutput() {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (lastOutput) {
                        // anvil prints the dev private keys on start; they are public test keys, but keep them out
                        if (line.contains("Private Key") || line.matches(".*0x[0-9a-fA-F]{64}.*")) {
                            continue;
                        }
                        lastOutput.addLast(line);
                        if (lastOutput.size() > 40) {
                            lastOutput.removeFirst();
                        }
                    }
                }
            } catch (IOException ignored) {
                // process ended
            }
        }, "anvil-output-" + port);
        t.setDaemon(true);
        t.start();
    }

    private void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        SimpleRpc rpc = new SimpleRpc(rpcUri());
        String expected = "0x" + Long.toHexString(chainId);
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("anvil exited with code " + process.exitValue() + " on port " + port
                        + "; last output: " + lastOutput());
            }
            try {
                String got = rpc.call("eth_chainId").asText();
                if (!expected.equals(got)) {
                    throw new IllegalStateException("anvil on port " + port + " reports chain id " + got
                            + ", expected " + expected + " (is another node using the port?)");
                }
                return;
            } catch (SimpleRpc.RpcIoException e) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("anvil did not answer on 127.0.0.1:" + port + " within " + timeout
                            + "; last output: " + lastOutput(), e);
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for anvil", ie);
                }
            }
        }
    }

    /** @return the last lines anvil printed (private keys filtered out) */
    public String lastOutput() {
        synchronized (lastOutput) {
            return String.join("\n", lastOutput);
        }
    }

    /** Picks a free TCP port on the loopback interface. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port", e);
        }
    }

    /** @return the JSON-RPC endpoint, {@code http://127.0.0.1:<port>} */
    public URI rpcUri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** @return the loopback port */
    public int port() {
        return port;
    }

    /** @return the chain id anvil was started with */
    public long chainId() {
        return chainId;
    }

    /** @return true while the process runs */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** @return the options this process was started with (for a restart on the same port and state) */
    public Options startOptions() {
        return options;
    }

    /** @return the operating system process id */
    public long pid() {
        return process.pid();
    }

    /** Kills the process without letting it dump its state (simulates a crash). */
    public void kill() {
        process.destroyForcibly();
        waitFor();
    }

    private void destroy() {
        if (process.isAlive()) {
            process.destroy(); // SIGTERM: anvil writes its --state file on the way out
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private void waitFor() {
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops anvil (SIGTERM, so a state file is written), then forcibly if it does not exit. */
    @Override
    public void close() {
        destroy();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // JVM is exiting; the hook runs anyway
        }
    }
}
