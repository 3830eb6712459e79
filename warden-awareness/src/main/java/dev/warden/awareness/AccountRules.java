package dev.warden.awareness;

import dev.warden.awareness.Step.Importance;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The steps of an account's own posture: its second factor, its recent security events and (in
 * {@link TokenRules}) its tokens. A pure function of the facts.
 */
final class AccountRules {

    private AccountRules() {}

    /** Events that may mean someone else has, or tries to get, the account. */
    static final Set<String> ALARMING =
            Set.of(
                    "token.leaked",
                    "password.guessing",
                    "2fa.guessing",
                    "2fa.recovery-code-used",
                    "2fa.disabled");

    static final Duration RECENT = Duration.ofDays(14);

    static List<Step> steps(AccountFacts a, Instant now, Links links) {
        List<Step> out = new ArrayList<>();
        SecondFactorKind kind = a.secondFactor();
        if (kind == SecondFactorKind.NONE) {
            out.add(
                    new Step(
                            StepIds.ENABLE_2FA,
                            Importance.IMPORTANT,
                            StepIds.title(StepIds.ENABLE_2FA),
                            "account " + a.user() + " signs in and publishes with a password alone",
                            links.account(),
                            "npm profile enable-2fa auth-and-writes",
                            a.user()));
        }
        if (kind != SecondFactorKind.PASSKEY) {
            out.add(
                    new Step(
                            StepIds.ADD_PASSKEY,
                            a.governsHighImpact() ? Importance.IMPORTANT : Importance.RECOMMENDED,
                            StepIds.title(StepIds.ADD_PASSKEY),
                            "account "
                                    + a.user()
                                    + (kind == SecondFactorKind.TOTP
                                            ? " has only one-time codes, which a phishing page can"
                                                    + " relay"
                                            : " has no phishing-resistant second factor")
                                    + (a.governsHighImpact()
                                            ? "; it maintains a high-impact or governed package"
                                            : ""),
                            links.account(),
                            null,
                            a.user()));
        }
        if (kind != SecondFactorKind.NONE && !"auth-and-writes".equals(a.totpMode())) {
            out.add(
                    new Step(
                            StepIds.REQUIRE_2FA_FOR_WRITES,
                            Importance.RECOMMENDED,
                            StepIds.title(StepIds.REQUIRE_2FA_FOR_WRITES),
                            "account "
                                    + a.user()
                                    + (a.totpMode() == null
                                            ? " has a passkey but no one-time codes, so npm"
                                                    + " publishes with a token alone"
                                            : " asks one-time codes only at sign-in, so a"
                                                    + " stolen token publishes"),
                            links.account(),
                            "npm profile enable-2fa auth-and-writes",
                            a.user()));
        }
        List<String> alarming =
                a.events().stream()
                        .filter(e -> ALARMING.contains(e.kind()))
                        .filter(e -> !e.at().isBefore(now.minus(RECENT)))
                        .map(e -> e.kind() + " at " + e.at())
                        .toList();
        if (!alarming.isEmpty()) {
            out.add(
                    new Step(
                            StepIds.REVIEW_SECURITY_EVENTS,
                            Importance.IMPORTANT,
                            StepIds.title(StepIds.REVIEW_SECURITY_EVENTS),
                            String.join(", ", alarming.subList(0, Math.min(3, alarming.size())))
                                    + (alarming.size() > 3
                                            ? " and " + (alarming.size() - 3) + " more"
                                            : ""),
                            links.events(),
                            null,
                            a.user()));
        }
        out.addAll(TokenRules.steps(a, now, links));
        return out;
    }
}
