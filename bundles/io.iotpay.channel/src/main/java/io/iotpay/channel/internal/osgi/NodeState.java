package io.iotpay.channel.internal.osgi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the node needs after a restart besides the channel store: the offers it published (their signed OFFER
 * messages, republished under the same ids so stored provider sessions can be restored) and the terms of its
 * purchases (budget and price cap, which the store does not hold) until the session is finished: a purchase is kept
 * while its session runs, and after it stopped until the provider's final messages were taken and answered (then it
 * is removed, so a finished session is never restored). A small JSON file, replaced atomically.
 */
final class NodeState {

    /** Terms of one purchase (consumer side), in base units of the offer's asset. */
    record Purchase(BigInteger budget, BigInteger maxPriceUnits, String unit, URI endpoint) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Map<String, String> offers = new LinkedHashMap<>();
    private final Map<String, Purchase> purchases = new LinkedHashMap<>();

    NodeState(Path file) {
        this.file = file;
        if (file != null && Files.isRegularFile(file)) {
            try {
                JsonNode root = JSON.readTree(file.toFile());
                root.path("offers").fields().forEachRemaining(e -> offers.put(e.getKey(), e.getValue().asText()));
                root.path("purchases").fields().forEachRemaining(e -> {
                    JsonNode p = e.getValue();
                    purchases.put(e.getKey(), new Purchase(new BigInteger(p.path("budget").asText()),
                            new BigInteger(p.path("maxPrice").asText()), p.path("unit").asText(),
                            URI.create(p.path("endpoint").asText())));
                });
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException("cannot read the channel node state " + file + ": " + e.getMessage(),
                        e);
            }
        }
    }

    synchronized List<String> offers() {
        return new ArrayList<>(offers.values());
    }

    synchronized Map<String, Purchase> purchases() {
        return new LinkedHashMap<>(purchases);
    }

    synchronized void putOffer(String offerId, String signedOfferJson) {
        offers.put(offerId, signedOfferJson);
        save();
    }

    synchronized void putPurchase(String sessionId, Purchase p) {
        purchases.put(sessionId, p);
        save();
    }

    /**
     * Forgets a purchase whose session is finished (stopped and drained, or given up): it is not restored again.
     */
    synchronized void removePurchase(String sessionId) {
        if (purchases.remove(sessionId) != null) {
            save();
        }
    }

    private void save() {
        if (file == null) {
            return;
        }
        ObjectNode root = JSON.createObjectNode();
        ObjectNode o = root.putObject("offers");
        offers.forEach(o::put);
        ObjectNode ps = root.putObject("purchases");
        purchases.forEach((id, p) -> {
            ObjectNode n = ps.putObject(id);
            n.put("budget", p.budget().toString());
            n.put("maxPrice", p.maxPriceUnits().toString());
            n.put("unit", p.unit());
            n.put("endpoint", p.endpoint().toString());
        });
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the channel node state " + file, e);
        }
    }
}
