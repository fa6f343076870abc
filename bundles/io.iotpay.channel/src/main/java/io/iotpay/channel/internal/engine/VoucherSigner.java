package io.iotpay.channel.internal.engine;

import io.iotpay.api.channel.Voucher;
import io.iotpay.api.wallet.PaymentIntent;
import io.iotpay.api.wallet.Signature;
import io.iotpay.api.wallet.VoucherDomain;
import io.iotpay.api.wallet.Wallet;

/** Signs vouchers; the wallet applies its spending policy ({@code SpendingRefusedException} on refusal). */
@FunctionalInterface
public interface VoucherSigner {

    Signature sign(PaymentIntent intent, Voucher voucher, VoucherDomain domain);

    static VoucherSigner of(Wallet wallet) {
        return wallet::signVoucher;
    }
}
