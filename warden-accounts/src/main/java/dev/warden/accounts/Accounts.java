package dev.warden.accounts;

import dev.warden.common.Problem;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.Tokens.TokenRecord;
import dev.warden.storage.Users.UserRecord;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Users and tokens: registration, login, token authentication, logout.
 *
 * <p>The entry point of the module: each part is its own class ({@link SignUps}, {@link Passwords},
 * {@link UserTokens}, {@link PublisherTokens}, {@link BrowserSessions}, {@link AccountEmails},
 * {@link SecondFactors}...), and this class wires them and answers for them.
 */
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

    private final MetadataStore store;
    private final Settings settings;
    private final Clock clock;
    private final SecurityLog log;
    private final SecondFactors secondFactors;
    private final Passwords passwords;
    private final SignUps signUps;
    private final AccountEmails emails;
    private final PublisherTokens publisherTokens;
    private final UserTokens tokens;
    private final BrowserSessions browserSessions;

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
        this.settings = settings;
        this.clock = clock;
        this.log = new SecurityLog(store, clock, mailer);
        this.secondFactors = new SecondFactors(store, clock, log, "Warden");
        this.passwords =
                new Passwords(
                        store,
                        hasher,
                        new PasswordRules(settings.minPasswordLength()),
                        log,
                        secondFactors,
                        new CredentialGuard(
                                store, "password", "password", "password.guessing", log, clock));
        TokenCodec codec = new TokenCodec();
        this.emails = new AccountEmails(store, codec, settings, clock, log, mailer);
        this.signUps = new SignUps(store, passwords, emails, settings.registration(), clock, log);
        this.publisherTokens = new PublisherTokens(store, codec, clock);
        this.tokens = new UserTokens(store, codec, clock, log, publisherTokens);
        this.browserSessions = new BrowserSessions(store, codec, clock, tokens);
    }

    private volatile SignInCheck signInCheck = SignInCheck.NONE;

    /** What every sign-in goes through besides the password and the account's own second factor. */
    public void signInCheck(SignInCheck check) {
        this.signInCheck = check;
    }

    /** The sign-in check, for the sign-ins the web and the token API finish themselves. */
    public SignInCheck signInCheck() {
        return signInCheck;
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
            webOtps = new WebOtps(secondFactors, store, clock);
        }
        return webOtps;
    }

    /**
     * Logins through the browser for npm's web auth type; their session tokens expire after 2
     * hours.
     */
    public synchronized WebLogins webLogins() {
        if (webLogins == null) {
            webLogins = new WebLogins(this, store, clock, Duration.ofHours(2));
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

    /** Creates a user from the command line, bypassing the registration setting. */
    public UserRecord createUser(String name, String email, String password, boolean admin) {
        return signUps.createUser(name, email, password, admin);
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
        return loginOrRegister(name, password, email, otp, from, "npm");
    }

    /** As above, with what the client says it is ({@code User-Agent}), for the history and mail. */
    public IssuedToken loginOrRegister(
            String name,
            String password,
            String email,
            String otp,
            InetAddress from,
            String client) {
        checkUserName(name);
        if (password == null || password.isEmpty()) {
            throw Problem.badRequest("password is required");
        }
        Optional<UserRecord> existing = store.read(tx -> tx.users().find(name));
        if (existing.isEmpty()) {
            register(name, password, email, from);
        } else {
            passwords.checkLogin(name, existing.get(), password, from);
            boolean has2fa = secondFactors.activeMode(name).isPresent();
            if (has2fa
                    && (otp == null || otp.isBlank() || !secondFactors.verify(name, otp, from))) {
                throw otpRequired();
            }
            signInCheck.afterPassword(name, from, client, has2fa, has2fa, otp);
        }
        Instant now = clock.instant();
        Instant expires =
                settings.loginTokenLifetime() == null
                        ? null
                        : now.plus(settings.loginTokenLifetime());
        IssuedToken token = issue(name, false, expires, List.of());
        log.record(name, "login", from, Map.of("token", token.record().key()));
        signInCheck.signedIn(name, from, client);
        return token;
    }

    /**
     * Creates an account through the API or the web, as the registration setting allows (open, or
     * invited with this email); sends the email verification link.
     */
    public void register(String name, String password, String email, InetAddress from) {
        signUps.register(name, password, email, from);
    }

    public boolean registrationOpenToSome() {
        return signUps.openToSome();
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
        return passwords.authenticate(name, password, from);
    }

    public IssuedToken issue(String user, boolean readOnly, Instant expires, List<String> cidrs) {
        return tokens.issue(user, readOnly, expires, cidrs);
    }

    /**
     * The principal a bearer token stands for, if it is valid now and from this address. A browser
     * session is refused with a 401 that says so: it stays on the web, so a session cookie taken
     * from a browser is no way into the API.
     */
    public Optional<Principal> authenticateToken(String secret, InetAddress client) {
        return tokens.authenticateToken(secret, client);
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
        return publisherTokens.issue(
                pkg, trustId, permissions, identity, idTokenKey, idTokenExpires);
    }

    /** How long a token issued to a trusted publisher lasts. */
    public static final Duration PUBLISH_TOKEN_LIFETIME = Duration.ofMinutes(15);

    public record IssuedPublishToken(String secret, Instant expires) {
        @Override
        public String toString() {
            return "IssuedPublishToken[expires=" + expires + "]";
        }
    }

    /** Revokes the token with this secret (npm logout); returns whether it existed. */
    public boolean revoke(String secret) {
        return tokens.revoke(secret);
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
        passwords.change(user, newPassword, from);
    }

    public void changeEmail(String user, String email, InetAddress from) {
        emails.change(user, email, from);
    }

    /**
     * Invites {@code user} (invite-only registration): that name may then register with {@code
     * email}.
     */
    public void invite(String user, String email) {
        signUps.invite(user, email);
    }

    /**
     * Marks the address in a verification link as verified; false for an unknown, used or expired
     * link.
     */
    public boolean verifyEmail(String secret) {
        return emails.verify(secret);
    }

    public boolean emailVerified(String user) {
        return emails.verified(user);
    }

    /**
     * Refuses publishing and maintainer changes for a while after the account's email changed or a
     * recovery code was used: the moves of someone who has just taken an account over.
     */
    public void checkSensitiveAllowed(String user) {
        emails.checkSensitiveAllowed(user);
    }

    /**
     * Revokes tokens reported as leaked (by a secret scanner, say) and tells their owners; returns
     * how many were live.
     */
    public int reportLeaked(List<String> secrets, String source, InetAddress from) {
        return tokens.reportLeaked(secrets, source, from);
    }

    /** Checks {@code password} for an account, throttled, recording failures. */
    public void checkPassword(String user, String password, InetAddress from) {
        passwords.check(user, password, from);
    }

    /** A browser session for {@code user}, issued only after a sign-in on the web; 2 hours. */
    public IssuedToken browserSession(String user) {
        return browserSessions.start(user);
    }

    /** When a browser session began, if the secret is one. */
    public Optional<Instant> browserSessionStarted(String secret) {
        return browserSessions.started(secret);
    }

    /** The user of a browser session cookie; any other kind of token is refused. */
    public Optional<Principal> authenticateBrowserSession(String secret, InetAddress from) {
        return browserSessions.authenticate(secret, from);
    }

    /**
     * Refuses a credential that may not make tokens (see {@link TokenCreation#check}); the caller
     * checks the password, and the second factor when the account has one.
     */
    public void checkMayCreateToken(Principal creator, TokenRequest request) {
        tokens.checkMayCreateToken(creator, request);
    }

    /**
     * Stores a token made with limits ({@code npm token create}) for {@code creator}, if its
     * credential may make it ({@link #checkMayCreateToken}); the secret is returned once.
     */
    public IssuedToken createToken(Principal creator, TokenRequest request, InetAddress from) {
        return tokens.createToken(creator, request, from);
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
        return tokens.tokens(user);
    }

    /** Revokes one of {@code user}'s tokens by key or by its secret; true if it existed. */
    public boolean revokeOwn(String user, String keyOrSecret, InetAddress from) {
        return tokens.revokeOwn(user, keyOrSecret, from);
    }

    public Optional<UserRecord> user(String name) {
        return store.read(tx -> tx.users().find(name));
    }
}
