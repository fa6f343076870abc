package io.iotpay.wallet.internal.keys;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

import io.iotpay.wallet.internal.crypto.Bytes;

/** SLIP-0010 derivation for Ed25519 (hardened steps only). */
public final class Slip10Ed25519 {
    private Slip10Ed25519() {
    }

    /** A node: 32-byte private key (Ed25519 seed) and chain code. */
    public static final class Node {
        private final byte[] privateKey;
        private final byte[] chainCode;
        private final int parentFingerprint;

        Node(byte[] privateKey, byte[] chainCode, int parentFingerprint) {
            this.privateKey = privateKey;
            this.chainCode = chainCode;
            this.parentFingerprint = parentFingerprint;
        }

        public byte[] privateKey() {
            return privateKey.clone();
        }

        public byte[] chainCode() {
            return chainCode.clone();
        }

        /** The 32-byte Ed25519 public key. */
        public byte[] publicKey() {
            return new Ed25519PrivateKeyParameters(privateKey, 0).generatePublicKey().getEncoded();
        }

        /** SLIP-10 serialisation of the public key: 0x00 || 32-byte key. */
        public byte[] publicKeySlip10() {
            return Bytes.concat(new byte[] {0}, publicKey());
        }

        /** Fingerprint of the parent (0 for the master). */
        public int parentFingerprint() {
            return parentFingerprint;
        }

        public int fingerprint() {
            return ByteBuffer.wrap(Bip32.hash160(publicKeySlip10())).getInt();
        }

        public Node child(int index) {
            if (!DerivationPath.isHardened(index)) {
                throw new IllegalArgumentException("SLIP-10 Ed25519 supports hardened derivation only (index "
                        + index + " is not hardened)");
            }
            byte[] data = Bytes.concat(new byte[] {0}, privateKey, Bip32.ser32(index));
            byte[] i = Bip32.hmacSha512(chainCode, data);
            Bytes.wipe(data);
            Node n = new Node(Arrays.copyOfRange(i, 0, 32), Arrays.copyOfRange(i, 32, 64), fingerprint());
            Bytes.wipe(i);
            return n;
        }

        public Node derive(DerivationPath path) {
            Node n = this;
            for (int idx : path.indexes()) {
                Node next = n.child(idx);
                if (n != this) {
                    n.wipe();
                }
                n = next;
            }
            return n;
        }

        public void wipe() {
            Bytes.wipe(privateKey);
        }
    }

    /** Master node: HMAC-SHA512("ed25519 seed", seed). */
    public static Node master(byte[] seed) {
        byte[] i = Bip32.hmacSha512("ed25519 seed".getBytes(StandardCharsets.US_ASCII), seed);
        Node n = new Node(Arrays.copyOfRange(i, 0, 32), Arrays.copyOfRange(i, 32, 64), 0);
        Bytes.wipe(i);
        return n;
    }
}
