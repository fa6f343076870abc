package io.iotpay.channel.internal.protocol;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.wallet.Signature;
import io.iotpay.api.wallet.Wallet;

/** Signs peer messages with a device key (EIP-191 personal message). */
public interface MessageSigner {

    /** The signing account; receivers compare the recovered address with it. */
    AccountId account();

    /** EIP-191 ({@code personal_sign}) signature of {@code payload}. */
    Signature signPersonal(byte[] payload);

    /** Signer backed by the wallet service. */
    static MessageSigner of(Wallet wallet, AccountId account) {
        return new MessageSigner() {
            @Override
            public AccountId account() {
                return account;
            }

            @Override
            public Signature signPersonal(byte[] payload) {
                return wallet.signPersonalMessage(account, payload);
            }
        };
    }
}
