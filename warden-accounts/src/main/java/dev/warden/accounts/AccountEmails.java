package dev.warden.accounts;

import dev.warden.common.Problem;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.Users.UserRecord;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An account's email address: changing it (both addresses told), verifying it by a mailed link, and
 * the pause on sensitive actions that follows a change or a used recovery code.
 */
final class AccountEmails {

    private final MetadataStore store;
    private final TokenCodec codec;
    private final Accounts.Settings settings;
    private final Clock clock;
    private final SecurityLog log;
    private final Mailer mailer;

    AccountEmails(
            MetadataStore store,
            TokenCodec codec,
            Accounts.Settings settings,
            Clock clock,
            SecurityLog log,
            Mailer mailer) {
        this.store = store;
        this.codec = codec;
        this.settings = settings;
        this.clock = clock;
        this.log = log;
        this.mailer = mailer;
    }

    void change(String user, String email, InetAddress from) {
        String normalized = EmailAddress.check(email);
        String previous =
                store.write(
                        tx -> {
                            UserRecord u = tx.users().find(user).orElseThrow();
                            if (u.email().equals(normalized)) {
                                return null;
                            }
                            tx.users()
                                    .update(
                                            new UserRecord(
                                                    u.name(),
                                                    normalized,
                                                    u.passwordHash(),
                                                    u.created(),
                                                    u.admin()));
                            return u.email();
                        });
        if (previous != null) {
            // The old address is the one that matters if this was not the owner: tell it first.
            mailer.send(
                    user,
                    previous,
                    "Warden: your account's email address was changed",
                    "The email address of Warden account "
                            + user
                            + " was changed from this one to "
                            + normalized
                            + " (email.changed)"
                            + (from == null ? "" : " from " + from.getHostAddress())
                            + ".\n"
                            + "If this was not you, sign in, revoke your tokens and change your"
                            + " password now.\n");
            log.record(user, "email.changed", from, Map.of("email", normalized));
            mailer.send(
                    user,
                    normalized,
                    "Warden: your account's email address changed",
                    "The email address of Warden account "
                            + user
                            + " is now this one. Publishing and maintainer changes are "
                            + "paused for "
                            + settings.sensitivePause().toHours()
                            + " hours.\n");
            sendVerification(user, normalized);
        }
    }

    void sendVerification(String user, String email) {
        String secret = codec.newSecret();
        store.write(
                tx -> {
                    tx.emailVerifications()
                            .put(
                                    TokenCodec.hash(secret),
                                    user,
                                    email,
                                    clock.instant().plus(Duration.ofDays(2)));
                    return null;
                });
        mailer.send(
                user,
                email,
                "Warden: verify your email address",
                "Open this link to verify the email address of Warden account "
                        + user
                        + ":\n\n  "
                        + settings.publicUrl().replaceAll("/+$", "")
                        + "/-/warden/v1/verify-email?token="
                        + secret
                        + "\n\nThe link works for 48 hours.\n");
    }

    /**
     * Marks the address in a verification link as verified; false for an unknown, used or expired
     * link.
     */
    boolean verify(String secret) {
        if (!TokenCodec.wellFormed(secret)) {
            return false;
        }
        String hash = TokenCodec.hash(secret);
        return store.write(
                tx -> {
                    var pending = tx.emailVerifications().find(hash);
                    if (pending.isEmpty()
                            || pending.get().verified() != null
                            || !clock.instant().isBefore(pending.get().expires())) {
                        return false;
                    }
                    tx.emailVerifications().markVerified(hash, clock.instant());
                    return true;
                });
    }

    boolean verified(String user) {
        return store.read(
                tx ->
                        tx.users()
                                .find(user)
                                .map(u -> tx.emailVerifications().verified(user, u.email()))
                                .orElse(false));
    }

    /**
     * Refuses publishing and maintainer changes for a while after the account's email changed or a
     * recovery code was used: the moves of someone who has just taken an account over.
     */
    void checkSensitiveAllowed(String user) {
        Optional<Instant> last =
                store.read(
                        tx ->
                                tx.securityEvents()
                                        .latestOf(
                                                user,
                                                List.of(
                                                        "email.changed",
                                                        "2fa.recovery-code-used")));
        if (last.isPresent()) {
            Instant until = last.get().plus(settings.sensitivePause());
            if (clock.instant().isBefore(until)) {
                throw Problem.forbidden(
                        "your account's email changed or a recovery code was used recently:"
                                + " publishing and maintainer changes are paused until "
                                + until);
            }
        }
    }
}
