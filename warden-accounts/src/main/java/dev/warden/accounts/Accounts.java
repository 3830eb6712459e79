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
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Users and tokens: registration, login, token authentication, logout. */
public final class Accounts {

    /** Who may create an account through the registry API. */
    public enum Registration {
        OPEN,
        CLOSED
    }

    /** Settings of the accounts module. */
    public record Settings(Registration registration, int minPasswordLength, Duration loginTokenLifetime) {
        public static Settings defaults() {
            return new Settings(Registration.OPEN, 10, null);
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
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,255}");

    private final MetadataStore store;
    private final PasswordHasher hasher;
    private final TokenCodec codec = new TokenCodec();
    private final Settings settings;
    private final Clock clock;
    private final SecurityLog log;
    private final SecondFactors secondFactors;
    private final Throttle loginsPerUser;
    private final Throttle loginsPerAddress;

    public Accounts(MetadataStore store, PasswordHasher hasher, Settings settings, Clock clock) {
        this.store = store;
        this.hasher = hasher;
        this.settings = settings;
        this.clock = clock;
        this.log = new SecurityLog(store, clock);
        this.secondFactors = new SecondFactors(store, clock, log, "Warden");
        this.loginsPerUser = new Throttle(10, Duration.ofMinutes(15), clock);
        this.loginsPerAddress = new Throttle(50, Duration.ofMinutes(15), clock);
    }

    public SecurityLog securityLog() {
        return log;
    }

    public SecondFactors secondFactors() {
        return secondFactors;
    }

    public static void checkUserName(String name) {
        if (name == null || !USER_NAME.matcher(name).matches()) {
            throw Problem.badRequest("invalid user name: use 1 to 64 lower-case letters, digits, '.', '_' or '-', "
                    + "starting with a letter or digit");
        }
    }

    private void checkPassword(String password) {
        if (password == null || password.length() < settings.minPasswordLength()) {
            throw Problem.badRequest("password must be at least " + settings.minPasswordLength() + " characters long");
        }
        if (password.length() > 1024) {
            throw Problem.badRequest("password is too long");
        }
    }

    /** Creates a user from the command line, bypassing the registration setting. */
    public UserRecord createUser(String name, String email, String password, boolean admin) {
        checkUserName(name);
        checkPassword(password);
        if (email == null || !EMAIL.matcher(email).matches()) {
            throw Problem.badRequest("a valid email address is required");
        }
        String hash = hasher.hash(password);
        UserRecord user = new UserRecord(name, email.toLowerCase(Locale.ROOT), hash, clock.instant(), admin);
        return store.write(tx -> {
            if (tx.users().find(name).isPresent()) {
                throw Problem.conflict("user " + name + " already exists");
            }
            if (tx.scopes().owner(name).filter(owner -> !owner.equals(name)).isPresent()) {
                throw Problem.conflict("the name " + name + " is taken: it is a scope held by another account");
            }
            tx.users().insert(user);
            return user;
        });
    }

    /**
     * The CouchDB user-document flow npm uses for {@code adduser} and {@code login}: creates the user
     * when it does not exist (if registration is open), otherwise checks the password; either way a
     * new token is issued.
     */
    public IssuedToken loginOrRegister(String name, String password, String email) {
        return loginOrRegister(name, password, email, null, null);
    }

    /**
     * As {@link #loginOrRegister(String, String, String)}, with the one-time password the client
     * sent ({@code npm-otp}) for accounts with two-factor authentication, and the client's address
     * for throttling and the security history.
     */
    public IssuedToken loginOrRegister(String name, String password, String email, String otp, InetAddress from) {
        checkUserName(name);
        if (password == null || password.isEmpty()) {
            throw Problem.badRequest("password is required");
        }
        loginsPerUser.check(name);
        if (from != null) {
            loginsPerAddress.check(from.getHostAddress());
        }
        Optional<UserRecord> existing = store.read(tx -> tx.users().find(name));
        if (existing.isEmpty()) {
            if (settings.registration() != Registration.OPEN) {
                hasher.verify(password, dummyHash());
                throw Problem.forbidden("registration is closed on this registry: ask an administrator for an account");
            }
            createUser(name, email, password, false);
            log.record(name, "account.created", from, Map.of());
        } else if (!hasher.verify(password, existing.get().passwordHash())) {
            loginsPerUser.fail(name);
            if (from != null) {
                loginsPerAddress.fail(from.getHostAddress());
            }
            log.record(name, "login.failed", from, Map.of("reason", "password"));
            throw Problem.unauthorized("incorrect user name or password");
        } else if (secondFactors.activeMode(name).isPresent()) {
            if (otp == null || otp.isBlank()) {
                throw otpRequired();
            }
            if (!secondFactors.verify(name, otp, from)) {
                throw otpRequired();
            }
        }
        loginsPerUser.succeed(name);
        Instant now = clock.instant();
        Instant expires = settings.loginTokenLifetime() == null ? null : now.plus(settings.loginTokenLifetime());
        IssuedToken token = issue(name, false, expires, List.of());
        log.record(name, "login", from, Map.of("token", token.record().key()));
        return token;
    }

    /** The 401 that makes npm ask for a one-time password ({@code WWW-Authenticate: OTP}). */
    public static Problem otpRequired() {
        return new Problem(Problem.Kind.OTP_REQUIRED,
                "this operation requires a one-time password from your authenticator: pass --otp=<code> or enter it when asked");
    }

    /** Checks a user name and password (HTTP basic authentication). Unknown users cost a hash too, so timing tells nothing. */
    public Optional<Principal> authenticatePassword(String name, String password) {
        Optional<UserRecord> user = store.read(tx -> tx.users().find(name));
        if (user.isEmpty()) {
            hasher.verify(password, dummyHash());
            return Optional.empty();
        }
        if (!hasher.verify(password, user.get().passwordHash())) {
            return Optional.empty();
        }
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
        TokenRecord record = new TokenRecord(TokenCodec.key(hash), hash, user, readOnly, clock.instant(), expires, cidrs);
        store.write(tx -> {
            tx.tokens().insert(record);
            return null;
        });
        return new IssuedToken(secret, record);
    }

    /** The principal a bearer token stands for, if it is valid now and from this address. */
    public Optional<Principal> authenticateToken(String secret, InetAddress client) {
        if (!TokenCodec.wellFormed(secret)) {
            return Optional.empty();
        }
        String hash = TokenCodec.hash(secret);
        Optional<TokenRecord> token = store.read(tx -> tx.tokens().findByHash(hash));
        if (token.isEmpty()) {
            return Optional.empty();
        }
        TokenRecord t = token.get();
        if (t.expires() != null && !clock.instant().isBefore(t.expires())) {
            return Optional.empty();
        }
        if (!t.cidrs().isEmpty() && (client == null || t.cidrs().stream().noneMatch(c -> Cidr.parse(c).contains(client)))) {
            log.record(t.user(), "token.refused-address", client, Map.of("token", t.key()));
            throw Problem.forbidden("this token may not be used from " + (client == null ? "here" : client.getHostAddress()));
        }
        log.noteAddress(t.user(), client);
        return Optional.of(new Principal(t.user(), t.readOnly(), hash, t.bypass2fa(), TokenLimitsJson.parse(t.limits())));
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
        checkPassword(newPassword);
        String hash = hasher.hash(newPassword);
        store.write(tx -> {
            UserRecord u = tx.users().find(user).orElseThrow();
            tx.users().update(new UserRecord(u.name(), u.email(), hash, u.created(), u.admin()));
            return null;
        });
        log.record(user, "password.changed", from, Map.of());
    }

    public void changeEmail(String user, String email, InetAddress from) {
        if (!EMAIL.matcher(email).matches()) {
            throw Problem.badRequest("a valid email address is required");
        }
        String normalized = email.toLowerCase(Locale.ROOT);
        boolean changed = store.write(tx -> {
            UserRecord u = tx.users().find(user).orElseThrow();
            if (u.email().equals(normalized)) {
                return false;
            }
            tx.users().update(new UserRecord(u.name(), normalized, u.passwordHash(), u.created(), u.admin()));
            return true;
        });
        if (changed) {
            log.record(user, "email.changed", from, Map.of("email", normalized));
        }
    }

    /** Checks {@code password} for an account, throttled, recording failures. */
    public void checkPassword(String user, String password, InetAddress from) {
        loginsPerUser.check(user);
        UserRecord u = store.read(tx -> tx.users().find(user)).orElseThrow(() -> Problem.unauthorized("unknown user"));
        if (password == null || !hasher.verify(password, u.passwordHash())) {
            loginsPerUser.fail(user);
            log.record(user, "password.failed", from, Map.of());
            throw Problem.unauthorized("incorrect password");
        }
        loginsPerUser.succeed(user);
    }

    /** Stores a token made with limits ({@code npm token create}); the secret is returned once. */
    public IssuedToken createToken(String user, TokenRequest request, InetAddress from) {
        String secret = codec.newSecret();
        String hash = TokenCodec.hash(secret);
        TokenRecord record = new TokenRecord(TokenCodec.key(hash), hash, user, request.readOnly(), clock.instant(),
                request.expires(), request.cidrs(), null, request.name(), request.description(),
                TokenLimitsJson.write(request.limits()), request.bypass2fa());
        store.write(tx -> {
            tx.tokens().insert(record);
            return null;
        });
        log.record(user, "token.created", from, Map.of("token", record.key(), "readOnly", request.readOnly(),
                "bypass2fa", request.bypass2fa()));
        return new IssuedToken(secret, record);
    }

    /**
     * What {@code npm token create} asked for, validated.
     *
     * @param expires null for none
     */
    public record TokenRequest(
            String name, String description, boolean readOnly, Instant expires, List<String> cidrs, Principal.TokenLimits limits,
            boolean bypass2fa) {}

    public List<TokenRecord> tokens(String user) {
        return store.read(tx -> tx.tokens().of(user));
    }

    /** Revokes one of {@code user}'s tokens by key or by its secret; true if it existed. */
    public boolean revokeOwn(String user, String keyOrSecret, InetAddress from) {
        Optional<TokenRecord> t = store.read(tx -> tx.tokens().of(user).stream()
                .filter(r -> r.key().equals(keyOrSecret) || r.hash().equals(TokenCodec.hash(keyOrSecret)))
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
