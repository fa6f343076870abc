package io.iotpay.channel.internal.engine;

import java.math.BigInteger;
import java.math.RoundingMode;

import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Price;

/**
 * Money arithmetic of a session (docs/protocol.md, "Rounding"). What the consumer owes for a quantity is
 * {@code floor(price * quantity / subunitsPerUnit)}: the consumer never pays for a fraction of a base unit it has not
 * fully received, and both sides compute the same integer from the same receipt, so no rounding dispute can arise.
 * The provider bears at most one base unit of rounding loss per session (the fractional rest of the last receipt);
 * because cost is computed from the cumulative quantity, rounding errors never accumulate across receipts.
 */
public final class Credit {

    private Credit() {
    }

    /** What the consumer owes for {@code quantity} subunits: rounded down. */
    public static Amount owed(Price price, BigInteger quantity) {
        return price.costOf(quantity, RoundingMode.FLOOR);
    }

    /**
     * Provider side: value delivered in the session that is not yet covered by a voucher (zero if prepaid).
     *
     * @param delivered quantity delivered in this session
     * @param paidInSession voucher cumulative minus the channel's cumulative at session start
     */
    public static Amount unpaid(Price price, BigInteger delivered, Amount paidInSession) {
        Amount owed = owed(price, delivered);
        return owed.isGreaterThan(paidInSession) ? owed.minus(paidInSession) : Amount.zero(owed.asset());
    }

    /**
     * Provider side: may the provider deliver up to {@code delivered + projected} subunits? True while the value not
     * covered by a voucher stays within the credit window (equal is allowed).
     */
    public static boolean withinCredit(Price price, BigInteger delivered, BigInteger projected, Amount paidInSession,
            Amount creditWindow) {
        return !unpaid(price, delivered.add(projected), paidInSession).isGreaterThan(creditWindow);
    }

    /**
     * Consumer side: the cumulative channel amount to sign for {@code delivered}: the channel base plus what is owed
     * plus the prepay window, capped by the deposit and by the session budget. Never below {@code lastSigned}.
     */
    public static Amount voucherTarget(Price price, BigInteger delivered, Amount base, Amount prepay, Amount deposit,
            Amount budget) {
        Amount wanted = base.plus(owed(price, delivered)).plus(prepay);
        Amount capped = wanted.min(deposit);
        return capped.min(base.plus(budget));
    }
}
