package dev.warden.verify.policy;

import java.time.LocalDate;

/**
 * A policy exception ({@code [[exception]]}): the failures of the packages it names are reported as
 * WAIVED, not FAIL, up to and including {@code expires}.
 *
 * @param pkg what it names, as written: {@code name@version}, {@code name} (every version) or a
 *     name pattern
 * @param reason why, as written (never empty)
 * @param expires the last day it waives
 */
public record Waiver(String pkg, String reason, LocalDate expires) {

    /** Whether it still waives on {@code today} (its {@code expires} day included). */
    public boolean activeOn(LocalDate today) {
        return !today.isAfter(expires);
    }
}
