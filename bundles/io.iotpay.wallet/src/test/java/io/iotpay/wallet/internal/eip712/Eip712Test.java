package io.iotpay.wallet.internal.eip712;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.iotpay.wallet.internal.TestResources;
import io.iotpay.wallet.internal.crypto.BouncyCastleSecp256k1;
import io.iotpay.wallet.internal.crypto.Bytes;
import io.iotpay.wallet.internal.crypto.EthAddress;
import io.iotpay.wallet.internal.crypto.Keccak;

class Eip712Test {
    private static final ObjectMapper M = new ObjectMapper();

    @Test
    void mailExampleFromTheEip() {
        JsonNode v = TestResources.json("eip712-mail.json");
        Eip712.TypedData td = TypedDataJson.fromTree(v.get("typedData"));
        Eip712 enc = new Eip712(td.types());
        assertEquals(v.get("encodeTypeMail").asText(), enc.encodeType("Mail"));
        assertEquals(v.get("typeHashMail").asText(), Bytes.toHex0x(enc.typeHash("Mail")));
        assertEquals(v.get("encodeDataMail").asText(), Bytes.toHex0x(enc.encodeData("Mail", td.message())));
        assertEquals(v.get("hashStructMail").asText(), Bytes.toHex0x(enc.hashStruct("Mail", td.message())));
        assertEquals(v.get("domainSeparator").asText(), Bytes.toHex0x(Eip712.domainSeparator(td)));
        byte[] digest = Eip712.digest(td);
        assertEquals(v.get("digest").asText(), Bytes.toHex0x(digest));

        BouncyCastleSecp256k1 ec = new BouncyCastleSecp256k1();
        byte[] cow = Keccak.keccak256("cow".getBytes(StandardCharsets.US_ASCII));
        byte[] sig = ec.sign(digest, cow);
        assertEquals(v.get("r").asText(), Bytes.toHex0x(java.util.Arrays.copyOfRange(sig, 0, 32)));
        assertEquals(v.get("s").asText(), Bytes.toHex0x(java.util.Arrays.copyOfRange(sig, 32, 64)));
        assertEquals(v.get("v").asInt(), sig[64]);
        assertEquals(v.get("signerAddress").asText(),
                EthAddress.checksum(EthAddress.fromPublicKey(ec.recover(digest, sig))));
    }

    @Test
    void complexDocumentMatchesEthers() {
        // nested structs, struct arrays (fixed), nested arrays uint16[2][], int8[], bytes[], string[], all int sizes
        // at their extremes, bytes4/bytes32, salt in the domain; expected values computed by ethers 6.17.0
        JsonNode v = TestResources.json("eip712-complex-ethers.json");
        Eip712.TypedData td = TypedDataJson.fromTree(v.get("typedData"));
        Eip712 enc = new Eip712(td.types());
        assertEquals(v.get("encodeTypeOuter").asText(), enc.encodeType("Outer"));
        assertEquals(v.get("hashStructOuter").asText(), Bytes.toHex0x(enc.hashStruct("Outer", td.message())));
        assertEquals(v.get("domainSeparator").asText(), Bytes.toHex0x(Eip712.domainSeparator(td)));
        assertEquals(v.get("digest").asText(), Bytes.toHex0x(Eip712.digest(td)));
        byte[] sig = new BouncyCastleSecp256k1().sign(Eip712.digest(td),
                Keccak.keccak256("cow".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(v.get("signatureCow").asText(), Bytes.toHex0x(sig));
    }

    @Test
    void domainTypeIsInferredWhenNotDeclared() {
        JsonNode v = TestResources.json("eip712-mail.json");
        ObjectNode doc = v.get("typedData").deepCopy();
        ((ObjectNode) doc.get("types")).remove("EIP712Domain");
        assertEquals(v.get("digest").asText(), Bytes.toHex0x(Eip712.digest(TypedDataJson.fromTree(doc))));
    }

    // ------------------------------------------------------------------------------------------ malformed input

    private static ObjectNode mail() {
        return TestResources.json("eip712-mail.json").get("typedData").deepCopy();
    }

    private static TypedDataException bad(ObjectNode doc) {
        return assertThrows(TypedDataException.class, () -> Eip712.digest(TypedDataJson.fromTree(doc)));
    }

    @Test
    void unknownTypeIsRefused() {
        ObjectNode doc = mail();
        ((ObjectNode) doc.get("types").get("Person").get(1)).put("type", "adress");
        TypedDataException e = bad(doc);
        assertTrue(e.getMessage().contains("unknown type \"adress\""), e.getMessage());

        ObjectNode doc2 = mail();
        doc2.put("primaryType", "Letter");
        assertTrue(bad(doc2).getMessage().contains("Letter"));

        ObjectNode doc3 = mail();
        ((ObjectNode) doc3.get("types").get("Person").get(1)).put("type", "uint7");
        assertTrue(bad(doc3).getMessage().contains("uint7"));
        ((ObjectNode) doc3.get("types").get("Person").get(1)).put("type", "bytes33");
        assertTrue(bad(doc3).getMessage().contains("bytes33"));
    }

    @Test
    void missingAndUndeclaredFieldsAreRefused() {
        ObjectNode doc = mail();
        ((ObjectNode) doc.get("message").get("to")).remove("wallet");
        TypedDataException e = bad(doc);
        assertTrue(e.getMessage().contains("missing field \"wallet\""), e.getMessage());

        ObjectNode doc2 = mail();
        ((ObjectNode) doc2.get("message")).put("bcc", "Eve");
        assertTrue(bad(doc2).getMessage().contains("\"bcc\" is not declared"));

        ObjectNode doc3 = mail();
        doc3.remove("message");
        bad(doc3);
        assertThrows(TypedDataException.class, () -> TypedDataJson.parse("{\"types\": "));
    }

    @Test
    void wrongLengthsAndRangesAreRefused() {
        Map<String, List<Eip712.Field>> types = Map.of("T", List.of(new Eip712.Field("b", "bytes4"),
                new Eip712.Field("u", "uint8"), new Eip712.Field("i", "int16"), new Eip712.Field("a", "address"),
                new Eip712.Field("f", "uint256[2]")));
        Eip712 enc = new Eip712(types);
        Map<String, Object> ok = Map.of("b", "0x01020304", "u", 255, "i", -32768, "a",
                "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826", "f", List.of(1, 2));
        assertEquals(32 * 6, enc.encodeData("T", ok).length);

        assertTrue(msg(enc, with(ok, "b", "0x010203")).contains("exactly 4 bytes"));
        assertTrue(msg(enc, with(ok, "u", 256)).contains("out of range for uint8"));
        assertTrue(msg(enc, with(ok, "u", -1)).contains("out of range for uint8"));
        assertTrue(msg(enc, with(ok, "i", -32769)).contains("out of range for int16"));
        assertTrue(msg(enc, with(ok, "i", 32768)).contains("out of range for int16"));
        assertTrue(msg(enc, with(ok, "f", List.of(1))).contains("exactly 2 elements"));
        assertTrue(msg(enc, with(ok, "a", "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD82")).contains("not an address"));
        assertTrue(msg(enc, with(ok, "a", "0xcD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826")).contains("EIP-55"));
        assertTrue(msg(enc, with(ok, "u", "12abc")).contains("not an integer"));
        assertTrue(msg(enc, with(ok, "u", new java.math.BigDecimal("1.5"))).contains("must be an integer"));
        assertTrue(msg(enc, with(ok, "b", "0x0102030")).contains("odd number of hex digits"));
        // hex strings for integers are accepted
        assertEquals(Bytes.toHex(enc.encodeData("T", ok)), Bytes.toHex(enc.encodeData("T", with(ok, "u", "0xff"))));
    }

    @Test
    void intEncodingIsTwosComplement() {
        Eip712 enc = new Eip712(Map.of("T", List.of(new Eip712.Field("i", "int256"))));
        byte[] data = enc.encodeData("T", Map.of("i", BigInteger.valueOf(-1)));
        assertEquals("ff".repeat(32), Hex.toHexString(java.util.Arrays.copyOfRange(data, 32, 64)));
    }

    @Test
    void recursiveTypesAreEncodedOnce() throws Exception {
        ArrayNode fields = M.createArrayNode();
        fields.addObject().put("name", "value").put("type", "uint256");
        fields.addObject().put("name", "children").put("type", "Node[]");
        Eip712 enc = new Eip712(Map.of("Node", List.of(new Eip712.Field("value", "uint256"),
                new Eip712.Field("children", "Node[]"))));
        assertEquals("Node(uint256 value,Node[] children)", enc.encodeType("Node"));
        Map<String, Object> leaf = Map.of("value", 2, "children", List.of());
        assertEquals(64 + 32, enc.encodeData("Node", Map.of("value", 1, "children", List.of(leaf))).length);
    }

    private static Map<String, Object> with(Map<String, Object> base, String k, Object v) {
        Map<String, Object> m = new java.util.HashMap<>(base);
        m.put(k, v);
        return m;
    }

    private static String msg(Eip712 enc, Map<String, Object> value) {
        return assertThrows(TypedDataException.class, () -> enc.encodeData("T", value)).getMessage();
    }
}
