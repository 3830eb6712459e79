package dev.warden.accounts;

import dev.warden.common.Problem;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.Users.UserRecord;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * New accounts: from the command line, or through the API and the web as the registration setting
 * allows (open, or invited), limited per address.
 */
final class SignUps {

    /**
     * Accounts one address may create per hour: sign-ups are limited by their own rate, never by
     * failed logins.
     */
    static final int SIGN_UPS_PER_HOUR = 20;

    private final MetadataStore store;
    private final Passwords passwords;
    private final AccountEmails emails;
    private final Accounts.Registration registration;
    private final Clock clock;
    private final SecurityLog log;
    private final Throttle signUps;

    SignUps(
            MetadataStore store,
            Passwords passwords,
            AccountEmails emails,
            Accounts.Registration registration,
            Clock clock,
            SecurityLog log) {
        this.store = store;
        this.passwords = passwords;
        this.emails = emails;
        this.registration = registration;
        this.clock = clock;
        this.log = log;
        this.signUps =
                new Throttle(
                        store,
                        "throttle.sign-up",
                        SIGN_UPS_PER_HOUR,
                        Duration.ofHours(1),
                        "too many accounts created from this address",
                        clock);
    }

    /** Creates a user from the command line, bypassing the registration setting. */
    UserRecord createUser(String name, String email, String password, boolean admin) {
        Accounts.checkUserName(name);
        passwords.checkNew(name, password);
        String address = EmailAddress.check(email);
        String hash = passwords.hash(password);
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
     * Creates an account through the API or the web, as the registration setting allows (open, or
     * invited with this email); sends the email verification link.
     */
    void register(String name, String password, String email, InetAddress from) {
        Accounts.checkUserName(name);
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
                registration == Accounts.Registration.OPEN
                        || (registration == Accounts.Registration.INVITE
                                && invited.isPresent()
                                && email != null
                                && invited.get().equalsIgnoreCase(email));
        if (!mayRegister) {
            passwords.spendHash(password);
            throw Problem.forbidden(
                    registration == Accounts.Registration.INVITE
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
        emails.sendVerification(name, email.toLowerCase(Locale.ROOT));
    }

    boolean openToSome() {
        return registration != Accounts.Registration.CLOSED;
    }

    /**
     * Invites {@code user} (invite-only registration): that name may then register with {@code
     * email}.
     */
    void invite(String user, String email) {
        Accounts.checkUserName(user);
        String address = EmailAddress.check(email);
        store.write(
                tx -> {
                    tx.invites().put(user, address, clock.instant());
                    return null;
                });
    }
}
