package dev.warden.accounts;

import dev.warden.common.Digests;
import dev.warden.common.Problem;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.Transients.Transient;
import dev.warden.storage.TwoFactor.TfaRecord;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * TOTP second factors as npm's {@code profile enable-2fa} drives them: a pending secret, confirmed
 * by the first code, which returns recovery codes; then codes are asked for at login ({@code
 * auth-only}) or also for every write ({@code auth-and-writes}).
 *
 * <p>Each code is accepted once: the time step of the last accepted code is stored and codes of
 * that step or earlier are refused. Recovery codes are 64 hex characters (so npm's OTP prompt takes
 * them), stored as hashes, and each works once. Wrong codes make the (account, address) that sent
 * them, and an address failing across accounts, back off, and an account guessed at from many
 * addresses paces the addresses it has not signed in from ({@link CredentialGuard}): a right code
 * from an address that has not been failing is refused at most for a minute, and from one the
 * account signed in from recently, never.
 */
public final class SecondFactors {

    public static final String AUTH_ONLY = "auth-only";
    public static final String AUTH_AND_WRITES = "auth-and-writes";

    private final MetadataStore store;
    private final Totp totp = new Totp();
    private final Clock clock;
    private final SecurityLog log;
    private final String issuer;
    private final CredentialGuard guard;
    private final SecureRandom random = new SecureRandom();

    SecondFactors(MetadataStore store, Clock clock, SecurityLog log, String issuer) {
        this.store = store;
        this.clock = clock;
        this.log = log;
        this.issuer = issuer;
        this.guard =
                new CredentialGuard(store, "otp", "one-time password", "2fa.guessing", log, clock);
    }

    /**
     * The active mode ({@link #AUTH_ONLY} or {@link #AUTH_AND_WRITES}), or empty when 2FA is off or
     * pending.
     */
    public Optional<String> activeMode(String user) {
        return record(user).filter(r -> !r.pending()).map(TfaRecord::mode);
    }

    Optional<TfaRecord> record(String user) {
        return store.read(tx -> tx.twoFactor().find(user));
    }

    /** Starts enabling: a new pending secret; returns the otpauth URL to show. */
    String begin(String user, String mode, InetAddress from) {
        checkMode(mode);
        String secret = totp.newSecret();
        store.write(
                tx -> {
                    tx.twoFactor()
                            .put(
                                    new TfaRecord(
                                            user,
                                            secret,
                                            mode,
                                            true,
                                            0,
                                            List.of(),
                                            clock.instant()));
                    return null;
                });
        log.record(user, "2fa.pending", from, Map.of("mode", mode));
        return Totp.url(issuer, user, secret);
    }

    /** Switches the mode of an active factor (the caller has verified an OTP). */
    void switchMode(String user, String mode, InetAddress from) {
        checkMode(mode);
        TfaRecord r =
                record(user)
                        .filter(x -> !x.pending())
                        .orElseThrow(
                                () ->
                                        Problem.badRequest(
                                                "two-factor authentication is not enabled"));
        store.write(
                tx -> {
                    tx.twoFactor()
                            .put(
                                    new TfaRecord(
                                            user,
                                            r.secret(),
                                            mode,
                                            false,
                                            r.lastStep(),
                                            r.recoveryHashes(),
                                            r.created()));
                    return null;
                });
        log.record(user, "2fa.mode-changed", from, Map.of("mode", mode));
    }

    /** Confirms a pending secret with its first code; returns the recovery codes (shown once). */
    List<String> confirm(String user, String code, InetAddress from) {
        TfaRecord r =
                record(user)
                        .filter(TfaRecord::pending)
                        .orElseThrow(
                                () ->
                                        Problem.badRequest(
                                                "no two-factor setup is pending: run npm profile"
                                                        + " enable-2fa"));
        CredentialGuard.Attempt attempt = guard.begin(user, from);
        long step = totp.matchingStep(r.secret(), code, clock.instant());
        if (step < 0) {
            attempt.failed();
            log.record(user, "2fa.confirm-failed", from, Map.of());
            throw Problem.badRequest(
                    "that code does not match: check the authenticator's clock and try again");
        }
        List<String> codes = new ArrayList<>();
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            byte[] b = new byte[32];
            random.nextBytes(b);
            String c = HexFormat.of().formatHex(b);
            codes.add(c);
            hashes.add(hashCode(c));
        }
        store.write(
                tx -> {
                    tx.twoFactor()
                            .put(
                                    new TfaRecord(
                                            user,
                                            r.secret(),
                                            r.mode(),
                                            false,
                                            step,
                                            hashes,
                                            r.created()));
                    return null;
                });
        attempt.succeeded();
        log.record(user, "2fa.enabled", from, Map.of("mode", r.mode()));
        return codes;
    }

    void disable(String user, InetAddress from) {
        store.write(
                tx -> {
                    tx.twoFactor().delete(user);
                    return null;
                });
        log.record(user, "2fa.disabled", from, Map.of());
    }

    /**
     * Checks a one-time password (a TOTP code or a recovery code) and uses it up. Throttled;
     * failures and uses of recovery codes are recorded.
     */
    public boolean verify(String user, String otp, InetAddress from) {
        return verify(user, otp, from, null);
    }

    /**
     * As {@link #verify(String, String, InetAddress)}, for a request made with the token whose hash
     * is {@code tokenHash}: the same token may repeat an accepted code for two minutes, because npm
     * repeats {@code --otp} on every request of one command (unpublish sends two writes).
     */
    public boolean verify(String user, String otp, InetAddress from, String tokenHash) {
        Optional<TfaRecord> found = record(user).filter(r -> !r.pending());
        if (found.isEmpty() || otp == null) {
            return false;
        }
        if (otp.startsWith(WEB_PREFIX)) {
            return consumeWebToken(user, otp, tokenHash);
        }
        String code = otp.replace(" ", "").trim();
        if (tokenHash != null && repeatsAccepted(user, code, tokenHash)) {
            return true;
        }
        CredentialGuard.Attempt attempt = guard.begin(user, from);
        boolean ok =
                store.write(
                        tx -> {
                            TfaRecord r = tx.twoFactor().find(user).orElseThrow();
                            if (code.matches("[0-9a-fA-F]{64}")) {
                                String h = hashCode(code.toLowerCase(java.util.Locale.ROOT));
                                if (r.recoveryHashes().contains(h)) {
                                    List<String> rest = new ArrayList<>(r.recoveryHashes());
                                    rest.remove(h);
                                    tx.twoFactor()
                                            .put(
                                                    new TfaRecord(
                                                            user,
                                                            r.secret(),
                                                            r.mode(),
                                                            false,
                                                            r.lastStep(),
                                                            rest,
                                                            r.created()));
                                    return true;
                                }
                                return false;
                            }
                            long step = totp.matchingStep(r.secret(), code, clock.instant());
                            if (step < 0 || step <= r.lastStep()) {
                                return false; // wrong, or already used (replay)
                            }
                            tx.twoFactor()
                                    .put(
                                            new TfaRecord(
                                                    user,
                                                    r.secret(),
                                                    r.mode(),
                                                    false,
                                                    step,
                                                    r.recoveryHashes(),
                                                    r.created()));
                            return true;
                        });
        if (ok) {
            attempt.succeeded();
            if (tokenHash != null && code.length() == 6) {
                rememberAccepted(user, code, tokenHash);
            }
            if (code.length() == 64) {
                log.record(user, "2fa.recovery-code-used", from, Map.of());
            }
        } else {
            attempt.failed();
            log.record(user, "2fa.otp-failed", from, Map.of());
        }
        return ok;
    }

    /**
     * The last code each account had accepted with a token, for {@link #REPEAT}: a {@code
     * Transients} record, so a repeat reaching another node is accepted too. Only a hash of the
     * code and the token is kept.
     */
    private static final String ACCEPTED = "otp.accepted";

    /** How long the token a code was accepted with may repeat it. */
    private static final Duration REPEAT = Duration.ofMinutes(2);

    private boolean repeatsAccepted(String user, String code, String tokenHash) {
        Instant now = clock.instant();
        String expected = hashCode(code + " " + tokenHash);
        return store.read(tx -> tx.transients().get(ACCEPTED, user, now))
                .map(r -> r.value().split(" ", 2))
                .filter(
                        f ->
                                f[0].equals(expected)
                                        && now.isBefore(Instant.parse(f[1]).plus(REPEAT)))
                .isPresent();
    }

    private void rememberAccepted(String user, String code, String tokenHash) {
        Instant now = clock.instant();
        store.writeDerived(
                tx -> {
                    tx.transients()
                            .put(
                                    new Transient(
                                            ACCEPTED,
                                            user,
                                            hashCode(code + " " + tokenHash) + " " + now,
                                            now.plus(REPEAT)));
                    return null;
                });
    }

    static final String WEB_PREFIX = "wotp_";

    /** Web OTP tokens issued and not yet used, by the token's hash (the token is never stored). */
    private static final String WEB_TOKENS = "otp.web";

    private static final Duration WEB_TOKEN_LIFETIME = Duration.ofMinutes(5);

    /**
     * A one-shot OTP stand-in, for a second factor given on the web OTP page; valid 5 minutes,
     * once, and only for requests made with the token that was challenged ({@code boundTo}).
     */
    String issueWebToken(String user, String boundTo) {
        byte[] b = new byte[24];
        random.nextBytes(b);
        String token = WEB_PREFIX + HexFormat.of().formatHex(b);
        Instant now = clock.instant();
        Instant expires = now.plus(WEB_TOKEN_LIFETIME);
        store.writeDerived(
                tx -> {
                    tx.transients()
                            .put(
                                    new Transient(
                                            WEB_TOKENS,
                                            hashCode(token),
                                            expires
                                                    + " "
                                                    + user
                                                    + " "
                                                    + (boundTo == null ? "" : boundTo),
                                            expires));
                    return null;
                });
        return token;
    }

    /**
     * Uses up a web OTP token (on any node, once) and answers whether it was good for this request.
     */
    private boolean consumeWebToken(String user, String token, String tokenHash) {
        Instant now = clock.instant();
        String key = hashCode(token);
        Optional<Transient> found =
                store.writeDerived(
                        tx -> {
                            Optional<Transient> r = tx.transients().get(WEB_TOKENS, key, now);
                            r.ifPresent(x -> tx.transients().delete(WEB_TOKENS, key, now));
                            return r;
                        });
        if (found.isEmpty()) {
            return false;
        }
        String[] f = found.get().value().split(" ", 2);
        return f[1].equals(user + " " + (tokenHash == null ? "" : tokenHash))
                && now.isBefore(Instant.parse(f[0]));
    }

    private static void checkMode(String mode) {
        if (!AUTH_ONLY.equals(mode) && !AUTH_AND_WRITES.equals(mode)) {
            throw Problem.badRequest("two-factor mode must be auth-only or auth-and-writes");
        }
    }

    private static String hashCode(String code) {
        return Digests.sha256Hex(code.getBytes(StandardCharsets.UTF_8));
    }
}
