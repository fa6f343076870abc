package io.iotpay.wallet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.ChainId;
import io.iotpay.api.money.Amount;
import io.iotpay.api.wallet.AccountInfo;
import io.iotpay.api.wallet.EvmTransactionFields;
import io.iotpay.api.wallet.Signature;
import io.iotpay.api.wallet.SpendingRefusedException;
import io.iotpay.api.wallet.UnsignedTransaction;
import io.iotpay.api.wallet.WalletLockedException;
import io.iotpay.wallet.internal.crypto.BouncyCastleSecp256k1;
import io.iotpay.wallet.internal.crypto.Eip191;
import io.iotpay.wallet.internal.crypto.Keccak;
import io.iotpay.wallet.internal.crypto.Secp256k1;
import io.iotpay.wallet.internal.crypto.Secp256k1Provider;

/**
 * M6: key arrays are wiped (lock, deactivation) while other threads sign with them. Every signature the wallet
 * returns must be by the account's (or CA's) key over the requested digest, and every failure must be a clean
 * refusal ({@link WalletLockedException} or {@code SpendingRefusedException(ACCOUNT_LOCKED)}), never a wrong
 * signature, an out-of-bounds/NPE, a closed native context or a "wrong passphrase" from a wiped passphrase.
 */
class KeyWipeRaceTest {
    private static final String PASS = "household passphrase";
    private static final byte[] KEY = Keccak.keccak256("m6 race key".getBytes(StandardCharsets.US_ASCII));
    private static final Secp256k1 CHECK = new BouncyCastleSecp256k1();

    @TempDir
    Path dir;

    static Stream<Arguments> providers() {
        return Stream.of(Arguments.of("bouncycastle", (Supplier<Secp256k1>) BouncyCastleSecp256k1::new),
                Arguments.of("default provider", (Supplier<Secp256k1>) Secp256k1Provider::create));
    }

    private WalletService start(Supplier<Secp256k1> secp) {
        return new WalletService(WalletServiceTest.config(dir.resolve("keystore").toString(), PASS), Map.of(),
                Clock.systemUTC(), secp.get(), new SecureRandom());
    }

    /** What the signing threads saw. */
    static final class Outcomes {
        final AtomicInteger good = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();
        final List<String> bad = Collections.synchronizedList(new ArrayList<>());

        void failure(Throwable t) {
            if (t instanceof WalletLockedException) {
                refused.incrementAndGet();
            } else if (t instanceof SpendingRefusedException s
                    && s.reason() == SpendingRefusedException.Reason.ACCOUNT_LOCKED) {
                refused.incrementAndGet();
            } else {
                bad.add(t.toString());
            }
        }

        void check(boolean ok, String what) {
            if (ok) {
                good.incrementAndGet();
            } else {
                bad.add("wrong signature: " + what);
            }
        }

        void assertClean() {
            assertTrue(bad.isEmpty(), bad.size() + " bad outcome(s), first ones: "
                    + bad.subList(0, Math.min(5, bad.size())));
        }
    }

    /**
     * One signature of a random message or a zero-value transaction, checked by recovery; true when the wallet
     * returned a signature.
     */
    private static boolean signOnce(WalletService w, AccountId id, byte[] pub, Outcomes out) {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        try {
            if (rnd.nextBoolean()) {
                byte[] msg = new byte[1 + rnd.nextInt(64)];
                rnd.nextBytes(msg);
                Signature s = w.signPersonalMessage(id, msg);
                out.check(Arrays.equals(pub, CHECK.recover(Eip191.personalMessageDigest(msg), s.bytes())),
                        "personal message");
                return true;
            }
            EvmTransactionFields f = EvmTransactionFields.eip1559(ChainId.DEVNET,
                    BigInteger.valueOf(rnd.nextInt(1_000_000)), BigInteger.valueOf(21_000),
                    BigInteger.valueOf(1_000_000_000L), BigInteger.valueOf(30_000_000_000L));
            UnsignedTransaction tx = new UnsignedTransaction(WalletServiceTest.PAYEE,
                    Amount.zero(WalletServiceTest.ETH), null, f);
            Signature s = w.signTransaction(id, tx);
            out.check(Arrays.equals(pub, CHECK.recover(WalletService.transactionSigningHash(id, tx), s.bytes())),
                    "transaction");
            return true;
        } catch (RuntimeException | Error e) {
            out.failure(e);
            return false;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void lockAndUnlockWhileOtherThreadsSign(String name, Supplier<Secp256k1> secp) throws Exception {
        WalletService w = start(secp);
        try {
            AccountInfo a = w.importPrivateKey("racer", ChainId.DEVNET, KEY);
            AccountId id = a.account();
            byte[] pub = CHECK.publicKey(KEY);
            Outcomes out = new Outcomes();
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> signers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Thread th = new Thread(() -> {
                    while (!stop.get()) {
                        signOnce(w, id, pub, out);
                    }
                }, "signer-" + t);
                th.start();
                signers.add(th);
            }
            List<String> lockerFailures = Collections.synchronizedList(new ArrayList<>());
            Thread locker = new Thread(() -> {
                try {
                    for (int i = 0; i < 300; i++) {
                        w.lock(id);
                        Thread.onSpinWait();
                        w.unlock(id);
                    }
                } catch (RuntimeException e) {
                    lockerFailures.add(e.toString());
                } finally {
                    stop.set(true);
                }
            }, "locker");
            locker.start();
            locker.join(TimeUnit.MINUTES.toMillis(5));
            stop.set(true);
            for (Thread th : signers) {
                th.join(TimeUnit.MINUTES.toMillis(1));
            }
            assertEquals(List.of(), lockerFailures);
            out.assertClean();
            assertTrue(out.good.get() > 0, "some signatures were made");
            assertTrue(out.refused.get() > 0, "some signatures met a locked account (the race was exercised)");
            // after the storm the account still signs correctly and a lock still refuses
            signOnce(w, id, pub, out);
            w.lock(id);
            signOnce(w, id, pub, out);
            out.assertClean();
        } finally {
            w.deactivate();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void deactivationWhileOtherThreadsSignAccountsAndCertificates(String name, Supplier<Secp256k1> secp)
            throws Exception {
        WalletService first = start(secp);
        AccountId id = first.importPrivateKey("racer", ChainId.DEVNET, KEY).account();
        PublicKey caPub = first.createCertificateAuthorityKey("owner-ca");
        first.deactivate();
        byte[] pub = CHECK.publicKey(KEY);
        Outcomes out = new Outcomes();
        for (int round = 0; round < 10; round++) {
            WalletService w = start(secp);
            AtomicBoolean deactivated = new AtomicBoolean();
            CountDownLatch warm = new CountDownLatch(4);
            List<Thread> signers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                boolean ca = t % 2 == 0;
                Thread th = new Thread(() -> {
                    boolean counted = false;
                    long serial = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE / 2);
                    while (true) {
                        // after deactivation has returned, one more call: it must be refused cleanly too
                        boolean last = deactivated.get();
                        if (ca) {
                            try {
                                byte[] tbs = CertificateAuthorityKeyTest.tbs(caPub,
                                        CertificateAuthorityKeyTest.ECDSA_SHA256, serial++);
                                byte[] sig = w.signCertificate("owner-ca", tbs);
                                out.check(CertificateAuthorityKeyTest.jdkVerifies(caPub, tbs, sig), "certificate");
                                if (last) {
                                    out.bad.add("a certificate was signed after deactivation");
                                }
                            } catch (Exception e) {
                                out.failure(e);
                            }
                        } else {
                            if (signOnce(w, id, pub, out) && last) {
                                out.bad.add("a signature was made after deactivation");
                            }
                        }
                        if (!counted) {
                            counted = true;
                            warm.countDown();
                        }
                        if (last) {
                            return;
                        }
                    }
                }, "signer-" + t);
                th.start();
                signers.add(th);
            }
            assertTrue(warm.await(2, TimeUnit.MINUTES), "signers started");
            w.deactivate();
            deactivated.set(true);
            for (Thread th : signers) {
                th.join(TimeUnit.MINUTES.toMillis(1));
            }
            w.deactivate(); // idempotent
        }
        out.assertClean();
        assertTrue(out.good.get() > 0, "some signatures were made");
        assertTrue(out.refused.get() > 0, "calls after deactivation were refused");
    }
}
