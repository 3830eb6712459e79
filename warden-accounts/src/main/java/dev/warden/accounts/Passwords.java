package dev.warden.accounts;

import dev.warden.common.Problem;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.Users.UserRecord;

import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;

/**
 * Accounts' passwords: the rules for new ones, their hashes, and checking them with guessing
 * throttled and failures recorded.
 */
final class Passwords {

    private final MetadataStore store;
    private final PasswordHasher hasher;
    private final PasswordRules rules;
    private final SecurityLog log;
    private final SecondFactors secondFactors;
    private final CredentialGuard guard;

    Passwords(
            MetadataStore store,
            PasswordHasher hasher,
            PasswordRules rules,
            SecurityLog log,
            SecondFactors secondFactors,
            CredentialGuard guard) {
        this.store = store;
        this.hasher = hasher;
        this.rules = rules;
        this.log = log;
        this.secondFactors = secondFactors;
        this.guard = guard;
    }

    void checkNew(String user, String password) {
        rules.check(user, password);
    }

    String hash(String password) {
        return hasher.hash(password);
    }

    /** Spends a hash's time on a password that can match nothing, so a refusal tells nothing. */
    void spendHash(String password) {
        hasher.verify(password == null ? "" : password, dummyHash());
    }

    /**
     * The password of an existing account for npm's login flow: a wrong one is recorded and
     * refused.
     */
    void checkLogin(String name, UserRecord existing, String password, InetAddress from) {
        CredentialGuard.Attempt attempt = guard.begin(name, from);
        if (!hasher.verify(password, existing.passwordHash())) {
            attempt.failed();
            log.record(name, "login.failed", from, Map.of("reason", "password"));
            throw Problem.unauthorized("incorrect user name or password");
        }
        attempt.succeeded();
    }

    /**
     * Checks a user name and password (HTTP basic authentication). Unknown users cost a hash too,
     * so timing tells nothing.
     */
    Optional<Principal> authenticate(String name, String password, InetAddress from) {
        CredentialGuard.Attempt attempt = guard.begin(name, from);
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

    void change(String user, String newPassword, InetAddress from) {
        checkNew(user, newPassword);
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

    /** Checks {@code password} for an account, throttled, recording failures. */
    void check(String user, String password, InetAddress from) {
        CredentialGuard.Attempt attempt = guard.begin(user, from);
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
}
