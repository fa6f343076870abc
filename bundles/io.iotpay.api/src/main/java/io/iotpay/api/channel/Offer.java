package io.iotpay.api.channel;

import static io.iotpay.api.internal.Checks.notNull;
import static io.iotpay.api.internal.Checks.quote;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Asset;
import io.iotpay.api.money.AssetMismatchException;
import io.iotpay.api.money.Price;

import java.net.URI;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * A provider's published terms.
 * <p>
 * Rules: all amounts are of the price's asset; payee and contract are on its chain; validity is positive; protocol
 * version {@code >= 1}; offer id {@code [A-Za-z0-9._-]{1,128}}; device id per
 * {@link io.iotpay.api.device.DeviceIds#require}.
 *
 * @param offerId the offer id
 * @param payee the provider's payee account
 * @param deviceId the delivering device
 * @param price price per unit
 * @param contract the settlement contract to open a channel with
 * @param scheme the settlement scheme id
 * @param minimumDeposit smallest acceptable channel deposit
 * @param creditWindow how much the provider delivers ahead of the latest valid voucher
 * @param prepayWindow how much a consumer may pay ahead of delivery
 * @param validity how long the offer holds after publication
 * @param endpoint the provider's protocol endpoint
 * @param certificatePem the provider's device certificate chain (PEM), or null if it has none
 * @param protocolVersion the peer protocol version, {@code >= 1}
 */
public record Offer(String offerId, AccountId payee, String deviceId, Price price, AccountId contract, String scheme,
        Amount minimumDeposit, Amount creditWindow, Amount prepayWindow, Duration validity, URI endpoint,
        String certificatePem, int protocolVersion) {

    private static final Pattern OFFER_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    /**
     * Validates.
     *
     * @throws AssetMismatchException if an amount is not of the price's asset
     * @throws IllegalArgumentException if another rule is broken
     * @throws NullPointerException if a required component is null
     */
    public Offer {
        if (offerId == null || !OFFER_ID.matcher(offerId).matches()) {
            throw new IllegalArgumentException("offer id " + quote(offerId)
                    + " is invalid: expected [A-Za-z0-9._-]{1,128}");
        }
        notNull(payee, "offer payee");
        io.iotpay.api.device.DeviceIds.require(deviceId);
        notNull(price, "offer price");
        notNull(contract, "offer contract");
        notNull(scheme, "offer scheme");
        notNull(validity, "offer validity");
        notNull(endpoint, "offer endpoint");
        Asset asset = price.asset();
        same(asset, minimumDeposit, "minimum deposit");
        same(asset, creditWindow, "credit window");
        same(asset, prepayWindow, "prepay window");
        if (!payee.chainId().equals(asset.chain()) || !contract.chainId().equals(asset.chain())) {
            throw new IllegalArgumentException("offer payee " + payee + " and contract " + contract
                    + " must be on the price's chain " + asset.chain());
        }
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("offer validity " + validity + " is invalid: expected > 0");
        }
        if (protocolVersion < 1) {
            throw new IllegalArgumentException("offer protocol version " + protocolVersion
                    + " is invalid: expected >= 1");
        }
    }

    private static void same(Asset asset, Amount amount, String what) {
        notNull(amount, "offer " + what);
        if (!amount.asset().equals(asset)) {
            throw new AssetMismatchException("offer " + what, asset, amount.asset());
        }
    }
}
