package io.iotpay.devnet.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Deploys the IOTPAY contracts on the devnet from anvil's unlocked account 0 ({@code eth_sendTransaction}, no key
 * needed) and records or re-checks their addresses in {@code deployment.json}. Also funds accounts
 * ({@code anvil_setBalance}).
 */
public final class DevnetDeployer {

    /** Where the devnet finds the artifacts (copied from the EVM connector module at build time). */
    public static final String ARTIFACT_PREFIX = "io/iotpay/devnet/internal/contracts/";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * Addresses of a deployment.
     *
     * @param chainId chain id
     * @param channels IotpayChannels
     * @param registry DeviceRegistry
     * @param notary Notary
     * @param deployBlock block of the first deployment transaction
     * @param challengePeriodSeconds IotpayChannels challenge period
     * @param deployer account that deployed
     */
    public record Deployment(long chainId, String channels, String registry, String notary, long deployBlock,
            long challengePeriodSeconds, String deployer) {
    }

    private final SimpleRpc rpc;

    /** @param rpc the devnet */
    public DevnetDeployer(SimpleRpc rpc) {
        this.rpc = rpc;
    }

    /** @return anvil's unlocked account {@code index} */
    public String account(int index) {
        return rpc.call("eth_accounts").get(index).asText().toLowerCase(Locale.ROOT);
    }

    /** @return the creation bytecode of an artifact on this class path */
    public static byte[] bytecode(String contractName) {
        try (InputStream in = DevnetDeployer.class.getClassLoader()
                .getResourceAsStream(ARTIFACT_PREFIX + contractName + ".json")) {
            if (in == null) {
                throw new IllegalStateException("contract artifact " + contractName + " is not in the devnet bundle");
            }
            String hex = JSON.readTree(in).get("bytecode").asText();
            return HexFormat.of().parseHex(hex.startsWith("0x") ? hex.substring(2) : hex);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Deploys creation code from an unlocked account and waits for it to be mined.
     *
     * @return the contract address
     */
    public String deploy(String from, byte[] initCode) {
        Map<String, Object> tx = new LinkedHashMap<>();
        tx.put("from", from);
        tx.put("data", "0x" + HexFormat.of().formatHex(initCode));
        tx.put("gas", "0x" + Long.toHexString(15_000_000L));
        String hash = rpc.call("eth_sendTransaction", tx).asText();
        JsonNode r = awaitReceipt(hash, Duration.ofSeconds(60));
        if (!"0x1".equals(r.path("status").asText())) {
            throw new IllegalStateException("deployment transaction " + hash + " reverted");
        }
        return r.get("contractAddress").asText().toLowerCase(Locale.ROOT);
    }

    /** Sends a call from an unlocked account and waits for it; returns the receipt. */
    public JsonNode send(String from, String to, BigInteger value, byte[] data) {
        Map<String, Object> tx = new LinkedHashMap<>();
        tx.put("from", from);
        tx.put("to", to);
        tx.put("value", "0x" + value.toString(16));
        tx.put("data", "0x" + HexFormat.of().formatHex(data));
        String hash = rpc.call("eth_sendTransaction", tx).asText();
        return awaitReceipt(hash, Duration.ofSeconds(60));
    }

    /** @return the receipt once mined */
    public JsonNode awaitReceipt(String hash, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            JsonNode r = rpc.call("eth_getTransactionReceipt", hash);
            if (r != null && !r.isNull() && r.hasNonNull("blockNumber")) {
                return r;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("transaction " + hash + " not mined within " + timeout);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    /** IotpayChannels.MAX_CHALLENGE_PERIOD: 365 days. */
    static final long MAX_CHALLENGE_PERIOD_SECONDS = 365L * 24 * 3600;

    /** Deploys the three IOTPAY contracts. */
    public Deployment deployAll(long challengePeriodSeconds) {
        if (challengePeriodSeconds <= 0 || challengePeriodSeconds > MAX_CHALLENGE_PERIOD_SECONDS) {
            throw new IllegalArgumentException("challengePeriodSeconds " + challengePeriodSeconds
                    + " is invalid: expected 1.." + MAX_CHALLENGE_PERIOD_SECONDS + " (365 days, the contract's bound)");
        }
        String from = account(0);
        long block = Long.decode(rpc.call("eth_blockNumber").asText()) + 1;
        byte[] channelsCode = concat(bytecode("IotpayChannels"), word(BigInteger.valueOf(challengePeriodSeconds)));
        String channels = deploy(from, channelsCode);
        String registry = deploy(from, bytecode("DeviceRegistry"));
        String notary = deploy(from, bytecode("Notary"));
        long chainId = Long.decode(rpc.call("eth_chainId").asText());
        return new Deployment(chainId, channels, registry, notary, block, challengePeriodSeconds, from);
    }

    /** @return true if every contract of the deployment has code on the node */
    public boolean isLive(Deployment d) {
        long chainId = Long.decode(rpc.call("eth_chainId").asText());
        if (chainId != d.chainId()) {
            return false;
        }
        for (String a : new String[] { d.channels(), d.registry(), d.notary() }) {
            String code = rpc.call("eth_getCode", a, "latest").asText("0x");
            if (code.length() <= 2) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reuses the deployment recorded in {@code file} if its contracts still have code, else deploys and records.
     *
     * @return the deployment in use
     */
    public Deployment ensureDeployed(Path file, long challengePeriodSeconds) {
        Optional<Deployment> recorded = read(file);
        if (recorded.isPresent() && recorded.get().challengePeriodSeconds() == challengePeriodSeconds
                && isLive(recorded.get())) {
            return recorded.get();
        }
        Deployment d = deployAll(challengePeriodSeconds);
        write(file, d);
        return d;
    }

    /** @return the recorded deployment, if the file exists and parses */
    public static Optional<Deployment> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), Deployment.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Writes the deployment atomically. */
    public static void write(Path file, Deployment d) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writeValue(tmp.toFile(), d);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Sets an account's devnet balance ({@code anvil_setBalance}). */
    public void setBalance(String address, BigInteger wei) {
        rpc.call("anvil_setBalance", address, "0x" + wei.toString(16));
    }

    /** @return balance in wei */
    public BigInteger balance(String address) {
        String h = rpc.call("eth_getBalance", address, "latest").asText();
        return new BigInteger(h.substring(2), 16);
    }

    /** @return 32-byte big-endian word */
    public static byte[] word(BigInteger v) {
        byte[] b = v.toByteArray();
        byte[] w = new byte[32];
        int n = Math.min(b.length, 32);
        System.arraycopy(b, b.length - n, w, 32 - n, n);
        return w;
    }

    /** @return a || b */
    public static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
