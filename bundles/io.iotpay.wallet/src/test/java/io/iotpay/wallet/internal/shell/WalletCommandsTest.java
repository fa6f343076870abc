package io.iotpay.wallet.internal.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.iotpay.api.chain.ChainId;
import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Asset;
import io.iotpay.api.wallet.SpendingRefusedException;
import io.iotpay.wallet.internal.TestResources;
import io.iotpay.wallet.internal.TestWallets;
import io.iotpay.wallet.internal.WalletService;
import io.iotpay.wallet.internal.WalletServiceTest;
import io.iotpay.wallet.internal.crypto.Keccak;

class WalletCommandsTest {
    static final String ANVIL = WalletServiceTest.ANVIL;

    @TempDir
    Path dir;

    final List<WalletService> started = new java.util.ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(TestWallets::stop);
    }

    WalletService start() {
        WalletService w = TestWallets.start(dir.resolve("keystore"), "pass");
        started.add(w);
        return w;
    }


    private String run(WalletCommand c, WalletService w) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        c.wallet = w;
        c.out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        c.execute();
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void createListAddressPolicyAndSignTypedData() throws Exception {
        WalletService w = start();
        Path mnemonic = dir.resolve("m.txt");
        Files.writeString(mnemonic, ANVIL);
        WalletImportCommand imp = new WalletImportCommand();
        imp.alias = "plug-0";
        imp.mnemonicFile = mnemonic.toString();
        imp.chain = "eip155:31337";
        String out = run(imp, w);
        assertTrue(out.contains("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"), out);
        assertFalse(out.contains("junk"), "no secret in the output");

        WalletCreateCommand create = new WalletCreateCommand();
        create.alias = "plug-1";
        out = run(create, w);
        assertTrue(out.contains("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"), out);
        assertTrue(out.contains("m/44'/60'/0'/0/1"), out);

        WalletPolicySetCommand set = new WalletPolicySetCommand();
        set.alias = "plug-0";
        set.day = "0.5";
        set.approval = "0.1";
        set.allow = List.of("eip155:31337:0x70997970c51812dc3a010c7d01b50e0d17dc79c8");
        out = run(set, w);
        assertTrue(out.contains("0.5 ETH"), out);
        assertEquals(Amount.parse("0.5", Asset.DEVNET_ETH), w.policy(w.account("plug-0").orElseThrow().account())
                .perDayLimit());

        byte[] cow = Keccak.keccak256("cow".getBytes(StandardCharsets.US_ASCII));
        w.importPrivateKey("cow", ChainId.DEVNET, cow);
        Path file = dir.resolve("mail.json");
        Files.writeString(file, TestResources.text("eip712-mail-v4.json"));
        WalletSignTypedDataCommand sign = new WalletSignTypedDataCommand();
        sign.alias = "cow";
        sign.file = file.toString();
        out = run(sign, w);
        assertTrue(out.contains("APPROVAL REQUIRED") && out.contains("Mail") && out.contains("Ether Mail")
                && out.contains("0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2"), out);
        assertFalse(out.contains("0x4355c47d"), "nothing signed before the owner approves");
        String id = w.pendingApprovals().get(0).id();
        assertTrue(out.contains("iotpay:wallet-approvals --approve " + id), out);
        WalletApprovalsCommand approvals = new WalletApprovalsCommand();
        String listed = run(approvals, w);
        assertTrue(listed.contains(id) && listed.contains("typed data"), listed);
        approvals.id = id;
        approvals.approve = true;
        run(approvals, w);
        out = run(sign, w);
        assertTrue(out.contains("0x4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d07299936d304c153f6"
                + "443dfa05f40ff007d72911b6f72307f996231605b915621c"), out);
        assertTrue(out.contains("0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2"), out);

        String again = run(sign, w);
        assertTrue(again.contains("APPROVAL REQUIRED") && !again.contains("0x4355c47d"), "approved once: " + again);

        WalletListCommand list = new WalletListCommand();
        out = run(list, w);
        assertTrue(out.contains("plug-0") && out.contains("plug-1") && out.contains("cow"), out);

        WalletLockCommand lock = new WalletLockCommand();
        lock.alias = "cow";
        assertTrue(run(lock, w).contains("yes"));
    }

    @Test
    void signingAVoucherThroughTheShellIsRefused() throws Exception {
        WalletService w = start();
        w.importMnemonic("payer", ANVIL, ChainId.DEVNET, 0);
        Path file = dir.resolve("voucher.json");
        Files.writeString(file, "{\"types\":{\"EIP712Domain\":[{\"name\":\"name\",\"type\":\"string\"}],"
                + "\"Voucher\":[{\"name\":\"channelId\",\"type\":\"bytes32\"},{\"name\":\"cumulativeAmount\","
                + "\"type\":\"uint256\"}]},\"primaryType\":\"Voucher\",\"domain\":{\"name\":\"IOTPAY\"},"
                + "\"message\":{\"channelId\":\"0x" + "00".repeat(32) + "\",\"cumulativeAmount\":\"5\"}}");
        WalletSignTypedDataCommand sign = new WalletSignTypedDataCommand();
        sign.alias = "payer";
        sign.file = file.toString();
        assertThrows(SpendingRefusedException.class, () -> run(sign, w));
    }
}
