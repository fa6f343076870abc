package io.iotpay.api.wallet;

import static io.iotpay.api.internal.Checks.notNull;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.ChainId;

/**
 * The signing domain of vouchers: on EVM chains the EIP-712 domain
 * {@code {name, version, chainId, verifyingContract}}; on other chains the same values are bound into the signed
 * payload. The wallet builds the voucher digest itself from this domain and the voucher.
 *
 * @param chain the chain
 * @param verifyingContract the settlement contract, on {@code chain}
 * @param name the domain name, normally {@value #DEFAULT_NAME}
 * @param version the domain version of the settlement contract, e.g. {@code "1"}
 */
public record VoucherDomain(ChainId chain, AccountId verifyingContract, String name, String version) {

    /** The domain name of IOTPAY's own contracts. */
    public static final String DEFAULT_NAME = "IOTPAY";

    /**
     * Validates.
     *
     * @throws IllegalArgumentException if the contract is on another chain or name/version are empty
     * @throws NullPointerException if a component is null
     */
    public VoucherDomain {
        notNull(chain, "domain chain");
        notNull(verifyingContract, "domain verifying contract");
        notNull(name, "domain name");
        notNull(version, "domain version");
        if (!verifyingContract.chainId().equals(chain)) {
            throw new IllegalArgumentException("domain verifying contract " + verifyingContract
                    + " is not on chain " + chain);
        }
        if (name.isEmpty() || version.isEmpty()) {
            throw new IllegalArgumentException("domain name and version must not be empty");
        }
    }

    /**
     * Creates the domain of an IOTPAY contract (name {@value #DEFAULT_NAME}).
     *
     * @param verifyingContract the settlement contract; its chain is the domain's chain
     * @param version the contract's domain version
     * @return the domain
     */
    public static VoucherDomain iotpay(AccountId verifyingContract, String version) {
        notNull(verifyingContract, "domain verifying contract");
        return new VoucherDomain(verifyingContract.chainId(), verifyingContract, DEFAULT_NAME, version);
    }
}
