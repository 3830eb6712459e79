package dev.warden.awareness;

import dev.warden.awareness.AccountFacts.Token;
import dev.warden.awareness.Step.Importance;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The steps about an account's write tokens (read-only tokens publish nothing and are left alone).
 * A pure function of the facts.
 */
final class TokenRules {

    private TokenRules() {}

    static final Duration UNUSED = Duration.ofDays(30);
    static final Duration OLD = Duration.ofDays(365);

    static List<Step> steps(AccountFacts a, Instant now, Links links) {
        List<Step> out = new ArrayList<>();
        boolean writesAskOtp = "auth-and-writes".equals(a.totpMode());
        for (Token t : a.tokens()) {
            if (t.readOnly() || (t.expires() != null && !t.expires().isAfter(now))) {
                continue;
            }
            String revoke = "npm token revoke " + t.key();
            boolean withoutOtp = t.bypass2fa() || !writesAskOtp;
            if (t.expires() == null) {
                out.add(
                        new Step(
                                StepIds.REPLACE_UNEXPIRING_TOKEN,
                                withoutOtp ? Importance.IMPORTANT : Importance.RECOMMENDED,
                                StepIds.title(StepIds.REPLACE_UNEXPIRING_TOKEN),
                                t.label()
                                        + " can publish until it is revoked"
                                        + (withoutOtp ? ", without a one-time password" : ""),
                                links.tokens(),
                                revoke,
                                t.key()));
            }
            if (t.bypass2fa() && (!t.networkLimited() || !t.packageLimited())) {
                out.add(
                        new Step(
                                StepIds.RESTRICT_BYPASS_TOKEN,
                                Importance.IMPORTANT,
                                StepIds.title(StepIds.RESTRICT_BYPASS_TOKEN),
                                t.label()
                                        + " publishes without a second factor"
                                        + (t.networkLimited() ? "" : " from any network")
                                        + (t.packageLimited()
                                                ? ""
                                                : " to every package you maintain"),
                                links.tokens(),
                                revoke,
                                t.key()));
            }
            Instant used = t.lastUsed() != null ? t.lastUsed() : t.created();
            if (used.isBefore(now.minus(UNUSED))) {
                out.add(
                        new Step(
                                StepIds.REVOKE_UNUSED_TOKEN,
                                Importance.RECOMMENDED,
                                StepIds.title(StepIds.REVOKE_UNUSED_TOKEN),
                                t.label()
                                        + (t.lastUsed() == null
                                                ? " was never used since " + t.created()
                                                : " was last used " + t.lastUsed()),
                                links.tokens(),
                                revoke,
                                t.key()));
            }
            if (t.created().isBefore(now.minus(OLD))) {
                out.add(
                        new Step(
                                StepIds.ROTATE_OLD_TOKEN,
                                Importance.RECOMMENDED,
                                StepIds.title(StepIds.ROTATE_OLD_TOKEN),
                                t.label() + " was created " + t.created(),
                                links.tokens(),
                                revoke,
                                t.key()));
            }
            if (!t.fromSignIn() && !t.packageLimited()) {
                out.add(
                        new Step(
                                StepIds.LIMIT_TOKEN_PACKAGES,
                                Importance.RECOMMENDED,
                                StepIds.title(StepIds.LIMIT_TOKEN_PACKAGES),
                                t.label() + " may change every package you maintain",
                                Links.TOKEN_DOCS,
                                "npm token create --packages <name>",
                                t.key()));
            }
        }
        return out;
    }
}
