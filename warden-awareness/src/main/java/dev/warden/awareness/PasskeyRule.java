package dev.warden.awareness;

import dev.warden.accounts.Mailer;
import dev.warden.common.Problem;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.PhishingDefence.PasskeyGrace;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Phishing-resistant second factors for the maintainers who matter most: the registry's rule
 * ({@code [awareness] require_passkeys}: none, high-impact, governed) and a package's policy
 * ({@code requirePasskeys}) ask its maintainers for a passkey. A maintainer the rule first reaches
 * (at a publish or an approval) starts a grace period, recorded then and never recomputed; during
 * it each such action carries a notice and the maintainer is mailed at most weekly; after it, the
 * action is refused with 403, the rule and how to add a passkey. Trusted publishers (CI) are not
 * people and are not asked.
 */
public final class PasskeyRule {

    /** Which packages the registry's own rule covers. */
    public enum Scope {
        NONE,
        HIGH_IMPACT,
        GOVERNED;

        /** From the configuration's word ("none", "high-impact", "governed"). */
        public static Scope of(String word) {
            return valueOf(word.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    static final Duration REMINDER_EVERY = Duration.ofDays(7);

    private final MetadataStore store;
    private final Mailer mailer;
    private final Clock clock;
    private final Scope scope;
    private final Duration grace;
    private final PackageStanding standing;
    private final String accountPage;

    /**
     * @param accountPage where a passkey is added, said in refusals and notices (never mailed)
     */
    public PasskeyRule(
            MetadataStore store,
            Mailer mailer,
            Clock clock,
            Scope scope,
            Duration grace,
            PackageStanding standing,
            String accountPage) {
        this.store = store;
        this.mailer = mailer;
        this.clock = clock;
        this.scope = scope;
        this.grace = grace;
        this.standing = standing;
        this.accountPage = accountPage;
    }

    /** Why {@code pkg}'s maintainers must have a passkey, or empty when they need not. */
    Optional<String> reason(String pkg) {
        if (standing.policyRequiresPasskeys(pkg)) {
            return Optional.of("the policy of " + pkg + " requires passkeys of its maintainers");
        }
        boolean high = scope != Scope.NONE && standing.highImpact(pkg);
        if (high) {
            return Optional.of(
                    "this registry requires passkeys of the maintainers of high-impact packages,"
                            + " and "
                            + pkg
                            + " is one");
        }
        if (scope == Scope.GOVERNED && standing.governed(pkg)) {
            return Optional.of(
                    "this registry requires passkeys of the maintainers of governed packages, and "
                            + pkg
                            + " is one");
        }
        return Optional.empty();
    }

    /**
     * Checks {@code user}'s {@code action} ("publish", "approve") on {@code pkg}: empty when the
     * rule does not reach them or they have a passkey; a notice during the grace period.
     *
     * @throws Problem 403 once the grace period is over
     */
    public Optional<String> check(String user, String pkg, String action) {
        Optional<String> reason = reason(pkg);
        if (reason.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        record State(boolean maintainer, boolean passkey) {}
        State s =
                store.read(
                        tx ->
                                new State(
                                        tx.maintainers().of(pkg).contains(user),
                                        !tx.passkeys().of(user).isEmpty()));
        if (!s.maintainer() || s.passkey()) {
            return Optional.empty();
        }
        PasskeyGrace g = store.write(tx -> tx.phishingDefence().startPasskeyGrace(user, now));
        Instant ends = g.started().plus(grace);
        if (!now.isBefore(ends)) {
            throw Problem.forbidden(
                    "a passkey is required to "
                            + action
                            + ": "
                            + reason.get()
                            + "; your grace period ended at "
                            + ends
                            + ". Add a passkey on your account page ("
                            + accountPage
                            + ", typed in the browser yourself), then "
                            + action
                            + " again");
        }
        if (g.lastReminded() == null || !now.isBefore(g.lastReminded().plus(REMINDER_EVERY))) {
            remind(user, reason.get(), ends);
        }
        return Optional.of(
                "warden: add a passkey before "
                        + ends
                        + ": "
                        + reason.get()
                        + "; from then on, publishing and approving without one is refused ("
                        + accountPage
                        + ")");
    }

    /** Checks an approval of a stage or a change request, whose package is read from storage. */
    public Optional<String> checkApproval(String user, String stageOrRequestId) {
        Optional<String> pkg =
                store.read(
                        tx ->
                                tx.governance()
                                        .stage(stageOrRequestId)
                                        .map(st -> st.pkg())
                                        .or(
                                                () ->
                                                        tx.governance()
                                                                .request(stageOrRequestId)
                                                                .map(r -> r.pkg())));
        return pkg.flatMap(p -> check(user, p, "approve"));
    }

    private void remind(String user, String reason, Instant ends) {
        Instant now = clock.instant();
        store.write(
                tx -> {
                    tx.phishingDefence().markReminded(user, now);
                    return null;
                });
        store.read(tx -> tx.users().find(user))
                .ifPresent(
                        u ->
                                mailer.send(
                                        user,
                                        u.email(),
                                        "Warden: add a passkey before " + ends,
                                        "Warden account "
                                                + user
                                                + " needs a passkey: "
                                                + reason
                                                + ".\n\nUntil "
                                                + ends
                                                + " you may still publish and approve without"
                                                + " one; after that, both are refused until you add"
                                                + " one. Passkeys cannot be phished: they only"
                                                + " work on the registry's real address.\n\nTo add"
                                                + " one, type the registry's address in your"
                                                + " browser yourself, sign in, open your account"
                                                + " page and choose \"Add a passkey\".\n"));
    }
}
