package dev.warden.awareness;

import dev.warden.accounts.Mailer;
import dev.warden.accounts.SecurityLog;
import dev.warden.accounts.SignInCheck;
import dev.warden.common.Problem;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.PhishingDefence.SignInCode;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Sign-ins from an address new to the account (an IPv4 address, an IPv6 /64) are stepped up, and
 * the account is mailed when one succeeds.
 *
 * <p>The rule: an account with two-factor authentication must give its second factor (every sign-in
 * path already asks it, so this only guards a path that would not). An account without one is
 * mailed a one-time code, valid for {@link #CODE_LIFETIME}, which the client sends as its one-time
 * password (npm prompts for it on its 401 {@code WWW-Authenticate: OTP}). Each mailed code gets one
 * try; a wrong one is dropped and the next attempt mails a new one, and no second code is mailed
 * while one is pending. Refusing outright was the other choice; a code keeps an owner who travels
 * able to work, while a phisher who has only the password gets nothing.
 *
 * <p>The first sign-in an account makes after this rule exists (or ever) has nothing to compare
 * with: its address becomes the first known one (trust on first use).
 */
public final class NewAddressSignIns implements SignInCheck {

    static final Duration CODE_LIFETIME = Duration.ofMinutes(15);

    private final MetadataStore store;
    private final Mailer mailer;
    private final SecurityLog log;
    private final Clock clock;
    private final RandomGenerator random;

    public NewAddressSignIns(MetadataStore store, Mailer mailer, SecurityLog log, Clock clock) {
        this(store, mailer, log, clock, new SecureRandom());
    }

    NewAddressSignIns(
            MetadataStore store,
            Mailer mailer,
            SecurityLog log,
            Clock clock,
            RandomGenerator random) {
        this.store = store;
        this.mailer = mailer;
        this.log = log;
        this.clock = clock;
        this.random = random;
    }

    /** Whether {@code from} is new to {@code user}: they have known addresses, not this one. */
    public boolean isNew(String user, InetAddress from) {
        String key = Addresses.key(from);
        return store.read(
                tx ->
                        tx.phishingDefence().hasKnownAddresses(user)
                                && tx.phishingDefence().knownAddress(user, key).isEmpty());
    }

    @Override
    public void afterPassword(
            String user,
            InetAddress from,
            String client,
            boolean hasSecondFactor,
            boolean secondFactorGiven,
            String otp) {
        if (from == null || secondFactorGiven || !isNew(user, from)) {
            return;
        }
        String shown = from.getHostAddress();
        if (hasSecondFactor) {
            throw new Problem(
                    Problem.Kind.OTP_REQUIRED,
                    SignInCheck.NEW_ADDRESS
                            + " ("
                            + shown
                            + "): give the one-time password from your authenticator");
        }
        String key = Addresses.key(from);
        Instant now = clock.instant();
        if (otp != null && !otp.isBlank()) {
            Optional<SignInCode> pending =
                    store.write(
                            tx -> {
                                var c = tx.phishingDefence().signInCode(user, key);
                                tx.phishingDefence().removeSignInCode(user, key);
                                return c;
                            });
            if (pending.isPresent()
                    && now.isBefore(pending.get().expires())
                    && MessageDigest.isEqual(
                            hash(otp.strip()).getBytes(StandardCharsets.US_ASCII),
                            pending.get().codeHash().getBytes(StandardCharsets.US_ASCII))) {
                return;
            }
            throw new Problem(
                    Problem.Kind.OTP_REQUIRED,
                    SignInCheck.NEW_ADDRESS
                            + " ("
                            + shown
                            + "), and that code is wrong or expired: sign in again to be mailed a"
                            + " new one-time code");
        }
        Optional<SignInCode> pending =
                store.read(tx -> tx.phishingDefence().signInCode(user, key))
                        .filter(c -> now.isBefore(c.expires()));
        if (pending.isEmpty()) {
            String code = String.format("%08d", random.nextInt(100_000_000));
            store.write(
                    tx -> {
                        tx.phishingDefence()
                                .putSignInCode(user, key, hash(code), now.plus(CODE_LIFETIME));
                        return null;
                    });
            mailCode(user, shown, Addresses.client(client), code);
        }
        throw new Problem(
                Problem.Kind.OTP_REQUIRED,
                SignInCheck.NEW_ADDRESS
                        + " ("
                        + shown
                        + "): a one-time code was mailed to your account's address; enter it"
                        + " as the one-time password (npm asks for it, or pass --otp=<code>)");
    }

    @Override
    public void signedIn(String user, InetAddress from, String client) {
        if (from == null) {
            return;
        }
        String key = Addresses.key(from);
        String named = Addresses.client(client);
        boolean wasNew =
                store.write(
                        tx -> {
                            boolean news =
                                    tx.phishingDefence().hasKnownAddresses(user)
                                            && tx.phishingDefence()
                                                    .knownAddress(user, key)
                                                    .isEmpty();
                            tx.phishingDefence().noteSignIn(user, key, named, clock.instant());
                            return news;
                        });
        if (!wasNew) {
            return;
        }
        log.record(user, "login.new-address", from, Map.of("client", named));
        store.read(tx -> tx.users().find(user))
                .ifPresent(
                        u ->
                                mailer.send(
                                        user,
                                        u.email(),
                                        "Warden: new sign-in from " + from.getHostAddress(),
                                        "Warden account "
                                                + user
                                                + " signed in from an address it had not used"
                                                + " before: "
                                                + from.getHostAddress()
                                                + ", "
                                                + named
                                                + ", at "
                                                + clock.instant()
                                                + ".\n\nIf this was not you, sign in by typing"
                                                + " the registry's address yourself, change your"
                                                + " password, revoke your tokens and turn on"
                                                + " two-factor authentication with a passkey.\n"));
    }

    private void mailCode(String user, String shown, String client, String code) {
        store.read(tx -> tx.users().find(user))
                .ifPresent(
                        u ->
                                mailer.send(
                                        user,
                                        u.email(),
                                        "Warden: your sign-in code",
                                        "Someone who knows the password of Warden account "
                                                + user
                                                + " is signing in from "
                                                + shown
                                                + " ("
                                                + client
                                                + "), an address the account has not used"
                                                + " before.\n\nIf it is you, enter this one-time"
                                                + " code where npm or the sign-in page asks for"
                                                + " it (it works once, for "
                                                + CODE_LIFETIME.toMinutes()
                                                + " minutes):\n\n  "
                                                + code
                                                + "\n\nWarden never asks for this code by mail,"
                                                + " chat or phone. If it is not you, your password"
                                                + " is known to someone else: sign in by typing"
                                                + " the registry's address yourself and change"
                                                + " it now.\n"));
    }

    static String hash(String code) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(code.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
