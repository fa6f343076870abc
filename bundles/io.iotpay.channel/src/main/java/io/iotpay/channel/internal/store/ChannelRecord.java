package io.iotpay.channel.internal.store;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.channel.ChannelId;
import io.iotpay.api.channel.ChannelState;
import io.iotpay.api.channel.SessionRole;
import io.iotpay.api.money.Asset;

/** One side's durable view of a channel ({@code role} = this node's role on it). */
public record ChannelRecord(ChannelId id, SessionRole role, String scheme, AccountId contract, AccountId payer,
        AccountId payee, Asset asset, BigInteger deposit, ChannelState state, Instant updatedAt) {

    public ChannelRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(contract, "contract");
        Objects.requireNonNull(payer, "payer");
        Objects.requireNonNull(payee, "payee");
        Objects.requireNonNull(asset, "asset");
        Objects.requireNonNull(deposit, "deposit");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(updatedAt, "updatedAt");
        updatedAt = Instant.ofEpochMilli(updatedAt.toEpochMilli());
    }

    public ChannelRecord with(BigInteger newDeposit, ChannelState newState, Instant at) {
        return new ChannelRecord(id, role, scheme, contract, payer, payee, asset, newDeposit, newState, at);
    }
}
