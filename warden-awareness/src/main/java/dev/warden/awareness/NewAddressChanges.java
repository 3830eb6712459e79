package dev.warden.awareness;

import dev.warden.accounts.Mailer;
import dev.warden.accounts.SecurityLog;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.SecurityEvents.Event;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A change to a package by an account that signed in, or used a token, from a new address within
 * the window also tells the package's other maintainers (mail and their security history), once per
 * address and package: a stolen session's first moves are seen by someone besides the victim.
 *
 * <p>A token use is from a new address only if the account had been seen at another address before
 * ({@code token.new-address} is also recorded for an account's very first token use).
 */
public final class NewAddressChanges {

    static final String SIGN_IN = "login.new-address";
    static final String TOKEN = "token.new-address";
    private static final Set<String> SEEN_AT = Set.of("login", SIGN_IN, TOKEN);

    private final MetadataStore store;
    private final Mailer mailer;
    private final SecurityLog log;
    private final Clock clock;
    private final Duration window;

    public NewAddressChanges(
            MetadataStore store, Mailer mailer, SecurityLog log, Clock clock, Duration window) {
        this.store = store;
        this.mailer = mailer;
        this.log = log;
        this.clock = clock;
        this.window = window;
    }

    /** Whether a change of this kind is one the co-maintainers hear of. */
    public static boolean concerns(String kind) {
        return kind.startsWith("package.") || kind.startsWith("dist-tag.");
    }

    /** Called after {@code user} changed {@code pkg}; returns the co-maintainers told. */
    public List<String> changed(String user, String pkg, String kind) {
        Instant now = clock.instant();
        List<Event> events = store.read(tx -> tx.securityEvents().list(user, 0, 200));
        Optional<Event> recent = newAddress(events, now.minus(window));
        if (recent.isEmpty()) {
            return List.of();
        }
        String address = recent.get().address();
        record Targets(boolean first, List<String> others) {}
        Targets t =
                store.write(
                        tx -> {
                            if (!tx.phishingDefence().putAlert(user, address, pkg, now)) {
                                return new Targets(false, List.of());
                            }
                            return new Targets(
                                    true,
                                    tx.maintainers().of(pkg).stream()
                                            .filter(m -> !m.equals(user))
                                            .toList());
                        });
        for (String m : t.others()) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("package", pkg);
            detail.put("by", user);
            detail.put("address", address);
            detail.put("change", kind);
            log.record(m, "package.changed-from-new-address", null, detail);
            store.read(tx -> tx.users().find(m))
                    .ifPresent(
                            u ->
                                    mailer.send(
                                            m,
                                            u.email(),
                                            "Warden: "
                                                    + pkg
                                                    + " was changed by "
                                                    + user
                                                    + " from a new address",
                                            "Your co-maintainer "
                                                    + user
                                                    + " changed "
                                                    + pkg
                                                    + " ("
                                                    + kind
                                                    + ") "
                                                    + Duration.between(recent.get().at(), now)
                                                            .toMinutes()
                                                    + " minute(s) after "
                                                    + (recent.get().kind().equals(SIGN_IN)
                                                            ? "signing in"
                                                            : "using a token")
                                                    + " from "
                                                    + address
                                                    + ", an address their account had not used"
                                                    + " before.\n\nIf you did not expect this,"
                                                    + " ask them through a channel you already"
                                                    + " trust (not by replying here), and review"
                                                    + " the change in the package's history.\n"));
        }
        return t.others();
    }

    /**
     * The newest sign-in or token use from a new address since {@code since}: a token use counts
     * only if the account had been seen at another address before it.
     */
    static Optional<Event> newAddress(List<Event> newestFirst, Instant since) {
        for (int i = 0; i < newestFirst.size(); i++) {
            Event e = newestFirst.get(i);
            if (e.at().isBefore(since)) {
                return Optional.empty();
            }
            if (e.address() == null) {
                continue;
            }
            if (e.kind().equals(SIGN_IN)) {
                return Optional.of(e);
            }
            if (e.kind().equals(TOKEN)) {
                for (Event older : newestFirst.subList(i + 1, newestFirst.size())) {
                    if (SEEN_AT.contains(older.kind())
                            && older.address() != null
                            && !older.address().equals(e.address())) {
                        return Optional.of(e);
                    }
                }
            }
        }
        return Optional.empty();
    }
}
