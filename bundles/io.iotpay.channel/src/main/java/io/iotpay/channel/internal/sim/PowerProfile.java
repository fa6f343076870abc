package io.iotpay.channel.internal.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * Piecewise-constant power draw of a simulated load in milliwatts, as a function of milliseconds since the plug was
 * created. The last step lasts forever unless the profile is cyclic.
 */
public final class PowerProfile {

    /** From {@code atMs} on, the load draws {@code milliwatts}. */
    public record Step(long atMs, long milliwatts) {
        public Step {
            if (atMs < 0 || milliwatts < 0) {
                throw new IllegalArgumentException("power step at " + atMs + " ms of " + milliwatts
                        + " mW is invalid: expected non-negative values");
            }
        }
    }

    private final List<Step> steps;
    private final long cycleMs;

    private PowerProfile(List<Step> steps, long cycleMs) {
        if (steps.isEmpty() || steps.get(0).atMs() != 0) {
            throw new IllegalArgumentException("a power profile needs a first step at 0 ms");
        }
        for (int i = 1; i < steps.size(); i++) {
            if (steps.get(i).atMs() <= steps.get(i - 1).atMs()) {
                throw new IllegalArgumentException("power steps must be in increasing time order");
            }
        }
        if (cycleMs != 0 && cycleMs <= steps.get(steps.size() - 1).atMs()) {
            throw new IllegalArgumentException("cycle " + cycleMs + " ms must be longer than the last step start");
        }
        this.steps = List.copyOf(steps);
        this.cycleMs = cycleMs;
    }

    /** Constant draw. */
    public static PowerProfile constant(long milliwatts) {
        return new PowerProfile(List.of(new Step(0, milliwatts)), 0);
    }

    /** Steps; the last one lasts forever. */
    public static PowerProfile steps(List<Step> steps) {
        return new PowerProfile(new ArrayList<>(steps), 0);
    }

    /** Steps repeated every {@code cycleMs}. */
    public static PowerProfile cycle(List<Step> steps, long cycleMs) {
        if (cycleMs <= 0) {
            throw new IllegalArgumentException("cycle must be > 0 ms");
        }
        return new PowerProfile(new ArrayList<>(steps), cycleMs);
    }

    /** Power at {@code tMs}. */
    public long powerAt(long tMs) {
        long t = cycleMs == 0 ? tMs : Math.floorMod(tMs, cycleMs);
        long p = steps.get(0).milliwatts();
        for (Step s : steps) {
            if (s.atMs() <= t) {
                p = s.milliwatts();
            } else {
                break;
            }
        }
        return p;
    }

    /** Milliseconds after {@code tMs} (exclusive) at which the power may change next, or Long.MAX_VALUE. */
    long nextChangeAfter(long tMs) {
        long base = 0;
        long t = tMs;
        if (cycleMs != 0) {
            base = Math.floorDiv(tMs, cycleMs) * cycleMs;
            t = tMs - base;
        }
        for (Step s : steps) {
            if (s.atMs() > t) {
                return base + s.atMs();
            }
        }
        return cycleMs == 0 ? Long.MAX_VALUE : base + cycleMs;
    }
}
