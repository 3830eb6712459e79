package dev.warden.accounts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.storage.MetadataStore;
import dev.warden.storage.SecurityEvents.Event;

import java.net.InetAddress;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** Appends to and reads each account's security history. Events are never changed or removed. */
public final class SecurityLog {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Kinds that also send the account an email: changes an attacker would want to hide. */
    static final java.util.Set<String> NOTIFY =
            java.util.Set.of(
                    "2fa.enabled",
                    "2fa.disabled",
                    "2fa.mode-changed",
                    "2fa.recovery-code-used",
                    "token.created",
                    "token.leaked",
                    "email.changed",
                    "password.changed",
                    "passkey.registered",
                    "passkey.removed",
                    // the release review flagged, held or quarantined a release of a package the
                    // account maintains: perhaps someone else publishes with its credential
                    "release.flagged",
                    "release.held",
                    "release.quarantined");

    private final MetadataStore store;
    private final Clock clock;
    private final Mailer mailer;

    public SecurityLog(MetadataStore store, Clock clock, Mailer mailer) {
        this.store = store;
        this.clock = clock;
        this.mailer = mailer;
    }

    public void record(String user, String kind, InetAddress address, Map<String, ?> detail) {
        String json = json(detail);
        String addr = address == null ? null : address.getHostAddress();
        String body = json;
        java.time.Instant at = clock.instant();
        String email =
                store.write(
                        tx -> {
                            tx.securityEvents().append(user, kind, at, addr, body);
                            return tx.users().find(user).map(u -> u.email()).orElse(null);
                        });
        if (email != null && NOTIFY.contains(kind)) {
            mailer.send(
                    user,
                    email,
                    "Warden security notice: " + kind,
                    "A security-relevant change was made to your Warden account "
                            + user
                            + ":\n\n  "
                            + kind
                            + " at "
                            + at
                            + (addr == null ? "" : " from " + addr)
                            + "\n  "
                            + body
                            + "\n\n"
                            + "If this was not you, sign in, revoke your tokens and change your"
                            + " password now.\n");
        }
    }

    /**
     * Records {@code kind} for an account that exists (nothing for a name nobody holds) and mails
     * its owner {@code text}: for warnings, where the caller decides how often the owner hears.
     */
    void alert(String user, String kind, Map<String, ?> detail, String subject, String text) {
        String body = json(detail);
        java.time.Instant at = clock.instant();
        String email =
                store.write(
                        tx -> {
                            String to = tx.users().find(user).map(u -> u.email()).orElse(null);
                            if (to != null) {
                                tx.securityEvents().append(user, kind, at, null, body);
                            }
                            return to;
                        });
        if (email != null) {
            mailer.send(user, email, subject, text + "\n(" + kind + " at " + at + ")\n");
        }
    }

    private static String json(Map<String, ?> detail) {
        try {
            return JSON.writeValueAsString(detail);
        } catch (JsonProcessingException e) {
            return "{}";
        }
    }

    /**
     * (user, address) pairs known to be recorded: authenticated requests then cost no extra query.
     */
    private final com.github.benmanes.caffeine.cache.Cache<String, Boolean> knownAddresses =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(100_000).build();

    /** Records a token use from an address not seen for this user before. */
    public void noteAddress(String user, InetAddress address) {
        if (address == null) {
            return;
        }
        String addr = address.getHostAddress();
        String key = user + "\u0000" + addr;
        if (knownAddresses.getIfPresent(key) != null) {
            return;
        }
        knownAddresses.put(key, Boolean.TRUE);
        boolean seen = store.read(tx -> tx.securityEvents().seen(user, "token.new-address", addr));
        if (!seen) {
            record(user, "token.new-address", address, Map.of());
        }
    }

    public List<Event> list(String user, long beforeId, int limit) {
        return store.read(tx -> tx.securityEvents().list(user, beforeId, limit));
    }
}
