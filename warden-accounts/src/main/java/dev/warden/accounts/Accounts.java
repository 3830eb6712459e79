package dev.warden.accounts;

import dev.warden.common.Problem;
import dev.warden.provenance.TrustedPublishing;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.Tokens.TokenRecord;
import dev.warden.storage.TrustedPublishers;
import dev.warden.storage.Users.UserRecord;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Users and tokens: registration, login, token authentication, logout. */
public final class Accounts {

    /** Who may create an account through the registry API. */
    public enum Registration {
        OPEN,
        INVITE,
        CLOSED
    }

    /**
     * Settings of the accounts module.
     *
     * @param sensitivePause after an email change or a recovery code is used, how long the account
     *     may not publish or change maintainers
     * @param publicUrl where the registry is reached, for links in mail
     */
    public record Settings(
            Registration registration,
            int minPasswordLength,
            Duration loginTokenLifetime,
            Duration sensitivePause,
            String publicUrl) {
        public static Settings defaults() {
            return new Settings(
                    Registration.OPEN, 10, null, Duration.ofHours(72), "http://127.0.0.1:4873");
        }
    }

    /** A newly issued token: the secret is shown once and never stored. */
    public record IssuedToken(String secret, TokenRecord record) {
        @Override
        public String toString() {
            return "IssuedToken[" + record + "]";
        }
    }

    private static final Pattern USER_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    /**
     * Accounts one address may create per hour: sign-ups are limited by their own rate, never by
     * failed logins.
     */
    static final int SIGN_UPS_PER_HOUR = 20;

    private final MetadataStore store;
    private final PasswordHasher hasher;
    private final TokenCodec codec = new TokenCodec();
    private final Settings settings;
    private final Clock clock;
    private final SecurityLog log;
    private final SecondFactors secondFactors;
    private final CredentialGuard passwords;
    private final Throttle signUps;

    private final Mailer mailer;
    private final PasswordRules rules;

    /** Accounts that send no mail (command-line tools and tests). */
    public Accounts(MetadataStore store, PasswordHasher hasher, Settings settings, Clock clock) {
        this(store, hasher, settings, clock, (user, to, subject, body) -> {});
    }

    public Accounts(
            MetadataStore store,
            PasswordHasher hasher,
            Settings settings,
            Clock clock,
            Mailer mailer) {
        this.store = store;
        this.hasher = hasher;
        this.settings = settings;
        this.clock = clock;
        this.mailer = mailer;
        this.rules = new PasswordRules(settings.minPasswordLength());
        this.log = new SecurityLog(store, clock, mailer);
        this.secondFactors = new SecondFactors(store, clock, log, "Warden");
        this.passwords = new CredentialGuard("password", "password.guessing", log, clock);
        this.signUps =
                new Throttle(
                        SIGN_UPS_PER_HOUR,
                        Duration.ofHours(1),
                        "too many accounts created from this address",
                        clock);
    }

    public SecurityLog securityLog() {
        return log;
    }

    public SecondFactors secondFactors() {
        return secondFactors;
    }

    private WebLogins webLogins;
    private WebOtps webOtps;
    private WebAuthn webAuthn;

    /** Passkeys and security keys for this registry's public URL. */
    public synchronized WebAuthn webAuthn() {
        if (webAuthn == null) {
            webAuthn = new WebAuthn(store, clock, log, settings.publicUrl());
        }
        return webAuthn;
    }

    /** Second factors given on a web page instead of typed into the CLI (npm's web OTP flow). */
    public synchronized WebOtps webOtps() {
        if (webOtps == null) {
            webOtps = new WebOtps(secondFactors, clock);
        }
        return webOtps;
    }

    /**
     * Logins through the browser for npm's web auth type; their session tokens expire after 2
     * hours.
     */
    public synchronized WebLogins webLogins() {
        if (webLogins == null) {
            webLogins = new WebLogins(this, clock, Duration.ofHours(2));
        }
        return webLogins;
    }

    public Organizations organizations() {
        return new Organizations(store, clock, log);
    }

    public static void checkUserName(String name) {
        if (name == null || !USER_NAME.matcher(name).matches()) {
            throw Problem.badRequest(
                    "invalid user name: use 1 to 64 lower-case letters, digits, '.', '_' or '-', "
                            + "starting with a letter or digit");
        }
    }

    private void checkNewPassword(String user, String password) {
        rules.check(user, password);
    }

    /** Creates a user from the command line, bypassing the registration setting. */
    public UserRecord createUser(String name, String email, String password, boolean admin) {
        checkUserName(name);
        checkNewPassword(name, password);
        String address = EmailAddress.check(email);
        String hash = hasher.hash(password);
        UserRecord user = new UserRecord(name, address, hash, clock.instant(), admin);
        return store.write(
                tx -> {
                    if (tx.users().find(name).isPresent()) {
                        throw Problem.conflict("user " + name + " already exists");
                    }
                    if (tx.scopes().owner(name).filter(owner -> !owner.equals(name)).isPresent()
                            || tx.orgs().exists(name)) {
                        throw Problem.conflict(
                                "the name "
                                        + name
                                        + " is taken: it is a scope held by another account");
                    }
                    tx.users().insert(user);
                    return user;
                });
    }

    /**
     * The CouchDB user-document flow npm uses for {@code adduser} and {@code login}: creates the
     * user when it does not exist (if registration is open), otherwise checks the password; either
     * way a new token is issued.
     */
    public IssuedToken loginOrRegister(String name, String password, String email) {
        return loginOrRegister(name, password, email, null, null);
    }

    /**
     * As {@link #loginOrRegister(String, String, String)}, with the one-time password the client
     * sent ({@code npm-otp}) for accounts with two-factor authentication, and the client's address
     * for throttling and the security history.
     */
    public IssuedToken loginOrRegister(
            String name, String password, String email, String otp, InetAddress from) {
        checkUserName(name);
        if (password == null || password.isEmpty()) {
            throw Problem.badRequest("password is required");
        }
        Optional<UserRecord> existing = store.read(tx -> tx.users().find(name));
        if (existing.isEmpty()) {
            register(name, password, email, from);
        } else {
            CredentialGuard.Attempt attempt = passwords.begin(name, from);
            if (!hasher.verify(password, existing.get().passwordHash())) {
                attempt.failed();
                log.record(name, "login.failed", from, Map.of("reason", "password"));
                throw Problem.unauthorized("incorrect user name or password");
            }
            attempt.succeeded();
            if (secondFactors.activeMode(name).isPresent()
                    && (otp == null || otp.isBlank() || !secondFactors.verify(name, otp, from))) {
                throw otpRequired();
            }
        }
        Instant now = clock.instant();
        Instant expires =
                settings.loginTokenLifetime() == null
                        ? null
                        : now.plus(settings.loginTokenLifetime());
        IssuedToken token = issue(name, false, expires, List.of());
        log.record(name, "login", from, Map.of("token", token.record().key()));
        return token;
    }

    /**
     * Creates an account through the API or the web, as the registration setting allows (open, or
     * invited with this email); sends the email verification link.
     */
    public void register(String name, String password, String email, InetAddress from) {
        checkUserName(name);
        String address = from == null ? null : CredentialGuard.addressKey(from);
        if (address != null) {
            signUps.acquire(address);
        }
        try {
            createAllowed(name, password, email, from);
        } catch (RuntimeException e) {
            if (address != null) {
                signUps.release(
                        address); // nothing was created: a refused sign-up does not use up the
                // address's allowance
            }
            throw e;
        }
    }

    private void createAllowed(String name, String password, String email, InetAddress from) {
        Optional<String> invited = store.read(tx -> tx.invites().emailFor(name));
        boolean mayRegister =
                settings.registration() == Registration.OPEN
                        || (settings.registration() == Registration.INVITE
                                && invited.isPresent()
                                && email != null
                                && invited.get().equalsIgnoreCase(email));
        if (!mayRegister) {
            hasher.verify(password == null ? "" : password, dummyHash());
            throw Problem.forbidden(
                    settings.registration() == Registration.INVITE
                            ? "this registry is invite-only: ask an administrator to invite "
                                    + name
                                    + " with your email address"
                            : "registration is closed on this registry: ask an administrator for an"
                                    + " account");
        }
        createUser(name, email, password, false);
        store.write(
                tx -> {
                    tx.invites().delete(name);
                    return null;
                });
        log.record(name, "account.created", from, Map.of());
        sendVerification(name, email.toLowerCase(Locale.ROOT));
    }

    public boolean registrationOpenToSome() {
        return settings.registration() != Registration.CLOSED;
    }

    /** The 401 that makes npm ask for a one-time password ({@code WWW-Authenticate: OTP}). */
    public static Problem otpRequired() {
        return new Problem(
                Problem.Kind.OTP_REQUIRED,
                "this operation requires a one-time password from your authenticator: pass"
                        + " --otp=<code> or enter it when asked");
    }

    /**
     * Checks a user name and password (HTTP basic authentication). Unknown users cost a hash too,
     * so timing tells nothing.
     */
    public Optional<Principal> authenticatePassword(String name, String password) {
        return authenticatePassword(name, password, null);
    }

    public Optional<Principal> authenticatePassword(
            String name, String password, InetAddress from) {
        CredentialGuard.Attempt attempt = passwords.begin(name, from);
        Optional<UserRecord> user = store.read(tx -> tx.users().find(name));
        if (user.isEmpty()) {
            hasher.verify(password, dummyHash());
            attempt.failed();
            return Optional.empty();
        }
        if (!hasher.verify(password, user.get().passwordHash())) {
            attempt.failed();
            return Optional.empty();
        }
        attempt.succeeded();
        if (secondFactors.activeMode(name).isPresent()) {
            return Optional.empty(); // accounts with 2FA authenticate requests with tokens only
        }
        return Optional.of(new Principal(name, false, null));
    }

    private volatile String dummy;

    private String dummyHash() {
        if (dummy == null) {
            dummy = hasher.hash("not a password of anyone");
        }
        return dummy;
    }

    public IssuedToken issue(String user, boolean readOnly, Instant expires, List<String> cidrs) {
        String secret = codec.newSecret();
        String hash = TokenCodec.hash(secret);
        TokenRecord record =
                new TokenRecord(
                        TokenCodec.key(hash),
                        hash,
                        user,
                        readOnly,
                        clock.instant(),
                        expires,
                        cidrs);
        store.write(
                tx -> {
                    tx.tokens().insert(record);
                    return null;
                });
        return new IssuedToken(secret, record);
    }

    /**
     * The principal a bearer token stands for, if it is valid now and from this address. A browser
     * session is refused with a 401 that says so: it stays on the web, so a session cookie taken
     * from a browser is no way into the API.
     */
    public Optional<Principal> authenticateToken(String secret, InetAddress client) {
        if (!TokenCodec.wellFormed(secret)) {
            return Optional.empty();
        }
        String hash = TokenCodec.hash(secret);
        Optional<TokenRecord> token = store.read(tx -> tx.tokens().findByHash(hash));
        if (token.isEmpty()) {
            return publishToken(hash);
        }
        if (BROWSER_SESSION.equals(token.get().description())) {
            throw Problem.unauthorized(
                    "a browser session cannot be used as an API token: run npm login for a token");
        }
        return principal(token.get(), client);
    }

    /** The principal of a stored token, if it is valid now and from this address. */
    private Optional<Principal> principal(TokenRecord t, InetAddress client) {
        String hash = t.hash();
        if (t.expires() != null && !clock.instant().isBefore(t.expires())) {
            return Optional.empty();
        }
        if (!t.cidrs().isEmpty()
                && (client == null
                        || t.cidrs().stream().noneMatch(c -> Cidr.parse(c).contains(client)))) {
            log.record(t.user(), "token.refused-address", client, Map.of("token", t.key()));
            throw Problem.forbidden(
                    "this token may not be used from "
                            + (client == null ? "here" : client.getHostAddress()));
        }
        log.noteAddress(t.user(), client);
        return Optional.of(
                new Principal(
                        t.user(),
                        t.readOnly(),
                        hash,
                        t.bypass2fa(),
                        TokenLimitsJson.parse(t.limits())));
    }

    /** The principal of a token issued to a trusted publisher, while it is valid. */
    private Optional<Principal> publishToken(String hash) {
        Optional<TrustedPublishers.PublishToken> token =
                store.read(tx -> tx.trustedPublishers().findToken(hash));
        return token.filter(t -> clock.instant().isBefore(t.expires()))
                .map(
                        t -> {
                            Principal.Publisher publisher =
                                    new Principal.Publisher(
                                            t.pkg(),
                                            t.trustId(),
                                            publisherType(t.identity()),
                                            t.permissions(),
                                            t.identity());
                            return new Principal(
                                    TrustedPublishing.publisherName(publisher.type()),
                                    false,
                                    hash,
                                    false,
                                    new Principal.TokenLimits(List.of(t.pkg()), List.of()),
                                    publisher);
                        });
    }

    /**
     * Issues a token for a CI job that proved, with an ID token, to be a trusted publisher of
     * {@code pkg}: it may act only on that package, only as {@code permissions} allow, and only for
     * {@link #PUBLISH_TOKEN_LIFETIME}.
     *
     * @param idTokenKey what identifies the ID token ({@code IdTokens.Verified.replayKey})
     * @throws Problem 401 if that ID token has been exchanged before
     */
    public IssuedPublishToken issuePublishToken(
            String pkg,
            String trustId,
            List<String> permissions,
            String identity,
            String idTokenKey,
            Instant idTokenExpires) {
        String secret = codec.newSecret();
        String hash = TokenCodec.hash(secret);
        Instant now = clock.instant();
        Instant expires = now.plus(PUBLISH_TOKEN_LIFETIME);
        store.write(
                tx -> {
                    tx.trustedPublishers().prune(now);
                    // kept past its expiry by the leeway an issuer's clock is allowed, so a replay
                    // in that window is still caught
                    if (!tx.trustedPublishers()
                            .useIdToken(idTokenKey, idTokenExpires.plus(Duration.ofMinutes(5)))) {
                        String message =
                                "this ID token has been exchanged already: each CI ID token can be"
                                        + " used once";
                        throw Problem.unauthorized(message).with("message", message);
                    }
                    tx.trustedPublishers()
                            .insertToken(
                                    new TrustedPublishers.PublishToken(
                                            hash,
                                            pkg,
                                            trustId,
                                            permissions,
                                            identity,
                                            now,
                                            expires));
                    return null;
                });
        return new IssuedPublishToken(secret, expires);
    }

    /** How long a token issued to a trusted publisher lasts. */
    public static final Duration PUBLISH_TOKEN_LIFETIME = Duration.ofMinutes(15);

    public record IssuedPublishToken(String secret, Instant expires) {
        @Override
        public String toString() {
            return "IssuedPublishToken[expires=" + expires + "]";
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper IDENTITY =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private static String publisherType(String identity) {
        try {
            return IDENTITY.readTree(identity).path("id").asText();
        } catch (java.io.IOException e) {
            return "";
        }
    }

    /** Revokes the token with this secret (npm logout); returns whether it existed. */
    public boolean revoke(String secret) {
        String hash = TokenCodec.hash(secret);
        Optional<TokenRecord> t = store.read(tx -> tx.tokens().findByHash(hash));
        boolean deleted = store.write(tx -> tx.tokens().delete(hash));
        if (deleted) {
            log.record(t.get().user(), "token.revoked", null, Map.of("token", t.get().key()));
        }
        return deleted;
    }

    public Optional<dev.warden.storage.TwoFactor.TfaRecord> twoFactorRecord(String user) {
        return secondFactors.record(user);
    }

    public String beginTwoFactor(String user, String mode, InetAddress from) {
        return secondFactors.begin(user, mode, from);
    }

    public List<String> confirmTwoFactor(String user, String code, InetAddress from) {
        return secondFactors.confirm(user, code, from);
    }

    public void switchTwoFactorMode(String user, String mode, InetAddress from) {
        secondFactors.switchMode(user, mode, from);
    }

    public void disableTwoFactor(String user, InetAddress from) {
        secondFactors.disable(user, from);
    }

    public void changePassword(String user, String newPassword, InetAddress from) {
        checkNewPassword(user, newPassword);
        String hash = hasher.hash(newPassword);
        store.write(
                tx -> {
                    UserRecord u = tx.users().find(user).orElseThrow();
                    tx.users()
                            .update(
                                    new UserRecord(
                                            u.name(), u.email(), hash, u.created(), u.admin()));
                    return null;
                });
        log.record(user, "password.changed", from, Map.of());
    }

    public void changeEmail(String user, String email, InetAddress from) {
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

    /**
     * Invites {@code user} (invite-only registration): that name may then register with {@code
     * email}.
     */
    public void invite(String user, String email) {
        checkUserName(user);
        String address = EmailAddress.check(email);
        store.write(
                tx -> {
                    tx.invites().put(user, address, clock.instant());
                    return null;
                });
    }

    private void sendVerification(String user, String email) {
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
    public boolean verifyEmail(String secret) {
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

    public boolean emailVerified(String user) {
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
    public void checkSensitiveAllowed(String user) {
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

    /**
     * Revokes tokens reported as leaked (by a secret scanner, say) and tells their owners; returns
     * how many were live.
     */
    public int reportLeaked(List<String> secrets, String source, InetAddress from) {
        int revoked = 0;
        for (String secret : secrets) {
            if (!TokenCodec.wellFormed(secret)) {
                continue;
            }
            String hash = TokenCodec.hash(secret);
            Optional<TokenRecord> t = store.read(tx -> tx.tokens().findByHash(hash));
            if (t.isPresent() && store.write(tx -> tx.tokens().delete(hash))) {
                revoked++;
                log.record(
                        t.get().user(),
                        "token.leaked",
                        from,
                        Map.of("token", t.get().key(), "source", source == null ? "" : source));
            }
        }
        return revoked;
    }

    /** Checks {@code password} for an account, throttled, recording failures. */
    public void checkPassword(String user, String password, InetAddress from) {
        CredentialGuard.Attempt attempt = passwords.begin(user, from);
        Optional<UserRecord> u = store.read(tx -> tx.users().find(user));
        if (u.isEmpty()) {
            hasher.verify(password == null ? "" : password, dummyHash());
            attempt.failed();
            throw Problem.unauthorized("incorrect user name or password");
        }
        if (password == null || !hasher.verify(password, u.get().passwordHash())) {
            attempt.failed();
            log.record(user, "password.failed", from, Map.of());
            throw Problem.unauthorized("incorrect password");
        }
        attempt.succeeded();
    }

    /**
     * The description that marks a browser session token: only those are accepted as the web
     * session cookie.
     */
    static final String BROWSER_SESSION = "browser session";

    /** A browser session for {@code user}, issued only after a sign-in on the web; 2 hours. */
    public IssuedToken browserSession(String user) {
        String secret = codec.newSecret();
        String hash = TokenCodec.hash(secret);
        TokenRecord record =
                new TokenRecord(
                        TokenCodec.key(hash),
                        hash,
                        user,
                        false,
                        clock.instant(),
                        clock.instant().plus(Duration.ofHours(2)),
                        List.of(),
                        null,
                        null,
                        BROWSER_SESSION,
                        "{}",
                        false);
        store.write(
                tx -> {
                    tx.tokens().insert(record);
                    return null;
                });
        return new IssuedToken(secret, record);
    }

    /** When a browser session began, if the secret is one. */
    public Optional<Instant> browserSessionStarted(String secret) {
        if (!TokenCodec.wellFormed(secret)) {
            return Optional.empty();
        }
        return store.read(tx -> tx.tokens().findByHash(TokenCodec.hash(secret)))
                .filter(t -> BROWSER_SESSION.equals(t.description()))
                .map(TokenRecord::created);
    }

    /** The user of a browser session cookie; any other kind of token is refused. */
    public Optional<Principal> authenticateBrowserSession(String secret, InetAddress from) {
        if (!TokenCodec.wellFormed(secret)) {
            return Optional.empty();
        }
        Optional<TokenRecord> t = store.read(tx -> tx.tokens().findByHash(TokenCodec.hash(secret)));
        if (t.isEmpty() || !BROWSER_SESSION.equals(t.get().description())) {
            return Optional.empty();
        }
        return principal(t.get(), from);
    }

    /**
     * Refuses a credential that may not make tokens (see {@link TokenCreation#check}); the caller
     * checks the password, and the second factor when the account has one.
     */
    public void checkMayCreateToken(Principal creator, TokenRequest request) {
        TokenCreation.check(store, creator, request);
    }

    /**
     * Stores a token made with limits ({@code npm token create}) for {@code creator}, if its
     * credential may make it ({@link #checkMayCreateToken}); the secret is returned once.
     */
    public IssuedToken createToken(Principal creator, TokenRequest request, InetAddress from) {
        checkMayCreateToken(creator, request);
        if (BROWSER_SESSION.equals(request.description())) {
            throw Problem.badRequest(
                    "the description \""
                            + BROWSER_SESSION
                            + "\" marks browser sessions: choose another");
        }
        String user = creator.user();
        String secret = codec.newSecret();
        String hash = TokenCodec.hash(secret);
        TokenRecord record =
                new TokenRecord(
                        TokenCodec.key(hash),
                        hash,
                        user,
                        request.readOnly(),
                        clock.instant(),
                        request.expires(),
                        request.cidrs(),
                        null,
                        request.name(),
                        request.description(),
                        TokenLimitsJson.write(request.limits()),
                        request.bypass2fa());
        store.write(
                tx -> {
                    tx.tokens().insert(record);
                    return null;
                });
        log.record(
                user,
                "token.created",
                from,
                Map.of(
                        "token",
                        record.key(),
                        "readOnly",
                        request.readOnly(),
                        "bypass2fa",
                        request.bypass2fa()));
        return new IssuedToken(secret, record);
    }

    /**
     * What {@code npm token create} asked for, validated.
     *
     * @param expires null for none
     */
    public record TokenRequest(
            String name,
            String description,
            boolean readOnly,
            Instant expires,
            List<String> cidrs,
            Principal.TokenLimits limits,
            boolean bypass2fa) {}

    public List<TokenRecord> tokens(String user) {
        return store.read(tx -> tx.tokens().of(user));
    }

    /** Revokes one of {@code user}'s tokens by key or by its secret; true if it existed. */
    public boolean revokeOwn(String user, String keyOrSecret, InetAddress from) {
        Optional<TokenRecord> t =
                store.read(
                        tx ->
                                tx.tokens().of(user).stream()
                                        .filter(
                                                r ->
                                                        r.key().equals(keyOrSecret)
                                                                || r.hash()
                                                                        .equals(
                                                                                TokenCodec.hash(
                                                                                        keyOrSecret)))
                                        .findFirst());
        if (t.isEmpty()) {
            return false;
        }
        store.write(tx -> tx.tokens().delete(t.get().hash()));
        log.record(user, "token.revoked", from, Map.of("token", t.get().key()));
        return true;
    }

    public Optional<UserRecord> user(String name) {
        return store.read(tx -> tx.users().find(name));
    }
}
