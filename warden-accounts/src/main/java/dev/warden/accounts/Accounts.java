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

    public Accounts(MetadataStore store, PasswordHasher hasher, Settings settings, Clock clock) {
        this.store = store;
        this.hasher = hasher;
        this.settings = settings;
        this.clock = clock;
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
        checkUserName(name);
        if (password == null || password.isEmpty()) {
            throw Problem.badRequest("password is required");
        }
        Optional<UserRecord> existing = store.read(tx -> tx.users().find(name));
        if (existing.isEmpty()) {
            if (settings.registration() != Registration.OPEN) {
                hasher.verify(password, dummyHash());
                throw Problem.forbidden("registration is closed on this registry: ask an administrator for an account");
            }
            createUser(name, email, password, false);
        } else if (!hasher.verify(password, existing.get().passwordHash())) {
            throw Problem.unauthorized("incorrect user name or password");
        }
        Instant now = clock.instant();
        Instant expires = settings.loginTokenLifetime() == null ? null : now.plus(settings.loginTokenLifetime());
        return issue(name, false, expires, List.of());
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
        TokenRecord record = new TokenRecord(TokenCodec.key(hash), hash, user, readOnly, clock.instant(), expires, cidrs, null);
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
            throw Problem.forbidden("this token may not be used from " + (client == null ? "here" : client.getHostAddress()));
        }
        return Optional.of(new Principal(t.user(), t.readOnly(), hash));
    }

    /** Revokes the token with this secret (npm logout); returns whether it existed. */
    public boolean revoke(String secret) {
        String hash = TokenCodec.hash(secret);
        return store.write(tx -> tx.tokens().delete(hash));
    }

    public Optional<UserRecord> user(String name) {
        return store.read(tx -> tx.users().find(name));
    }
}
