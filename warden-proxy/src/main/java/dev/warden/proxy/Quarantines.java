package dev.warden.proxy;

import dev.warden.storage.MetadataStore;
import dev.warden.storage.Upstreams.Quarantine;

import org.semver4j.Semver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Versions withheld from installs, by an admin ({@code admin:<user>}) or an advisory ({@code
 * MAL-...}). Each quarantine and each lift is a transparency-log statement ({@code
 * proxy.quarantined}, {@code proxy.lifted}) recorded in the same transaction as the row and logged
 * after the commit, so the log shows who withheld what and when.
 */
final class Quarantines {

    private static final Logger LOG = LoggerFactory.getLogger(Quarantines.class);

    static final int MAX_NAME = 214;
    static final int MAX_REASON = 1_000;
    static final int MAX_VERSION = 256;
    static final int MAX_LIST = 1_000;

    private final MetadataStore store;
    private final IngestLog log;
    private final Clock clock;

    Quarantines(MetadataStore store, IngestLog log, Clock clock) {
        this.store = store;
        this.log = log;
        this.clock = clock;
    }

    /**
     * Quarantines {@code name@version} ("*": every version) by an admin, replacing a quarantine of
     * the same version.
     *
     * @throws IllegalArgumentException naming what is wrong with the name, version or reason
     */
    void quarantine(String name, String version, String reason, String admin) {
        checkName(name);
        checkVersion(version);
        checkReason(reason);
        checkText("admin", admin, MAX_NAME);
        Quarantine q = new Quarantine(name, version, reason, "admin:" + admin, clock.instant());
        List<IngestLog.Pending> pending =
                store.write(
                        tx -> {
                            tx.upstreams().quarantine(q);
                            return List.of(record(tx, q));
                        });
        logged(pending);
    }

    /**
     * Adds the quarantines whose name and version have none yet (one transaction, a statement
     * each); returns how many were added. The caller checked each value.
     */
    int addNew(List<Quarantine> candidates) {
        if (candidates.isEmpty()) {
            return 0;
        }
        List<IngestLog.Pending> pending =
                store.write(
                        tx -> {
                            Map<String, List<Quarantine>> known = new HashMap<>();
                            List<IngestLog.Pending> out = new ArrayList<>();
                            for (Quarantine q : candidates) {
                                List<Quarantine> of =
                                        known.computeIfAbsent(
                                                q.name(),
                                                n ->
                                                        new ArrayList<>(
                                                                tx.upstreams().quarantines(n)));
                                // an existing quarantine of the version stays as it was decided
                                if (of.stream().anyMatch(k -> k.version().equals(q.version()))) {
                                    continue;
                                }
                                tx.upstreams().quarantine(q);
                                of.add(q);
                                out.add(record(tx, q));
                            }
                            return out;
                        });
        logged(pending);
        return pending.size();
    }

    /**
     * Lifts the quarantine of {@code name@version} (exactly that version, or "*"); false if there
     * was none.
     *
     * @throws IllegalArgumentException naming what is wrong with the name or version
     */
    boolean lift(String name, String version, String admin) {
        checkName(name);
        checkVersion(version);
        checkText("admin", admin, MAX_NAME);
        Instant now = clock.instant();
        List<IngestLog.Pending> pending =
                store.write(
                        tx -> {
                            Optional<Quarantine> was =
                                    tx.upstreams().quarantines(name).stream()
                                            .filter(q -> q.version().equals(version))
                                            .findFirst();
                            if (was.isEmpty() || !tx.upstreams().lift(name, version)) {
                                return List.of();
                            }
                            Map<String, Object> detail = new LinkedHashMap<>();
                            detail.put("by", "admin:" + admin);
                            detail.put("reason", was.get().reason());
                            detail.put("source", was.get().source());
                            return List.of(
                                    log.record(tx, "proxy.lifted", name, version, detail, now));
                        });
        logged(pending);
        return !pending.isEmpty();
    }

    /** Every quarantine, newest first, at most {@code limit} (capped at {@value #MAX_LIST}). */
    List<Quarantine> list(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, not " + limit);
        }
        return store.read(tx -> tx.upstreams().quarantines(Math.min(limit, MAX_LIST)));
    }

    /** The quarantines of one name (of single versions and "*"). */
    List<Quarantine> of(String name) {
        return store.read(tx -> tx.upstreams().quarantines(name));
    }

    /**
     * Why {@code name@version} may not be installed, if it is quarantined: its own quarantine
     * first, else the one of every version.
     */
    Optional<String> refusal(String name, String version) {
        List<Quarantine> of = of(name);
        return of.stream()
                .filter(q -> q.version().equals(version))
                .findFirst()
                .or(() -> of.stream().filter(q -> q.version().equals("*")).findFirst())
                .map(q -> message(name, version, q));
    }

    /** What a client is told of a quarantined version. */
    static String message(String name, String version, Quarantine q) {
        return name + "@" + version + " is quarantined: " + q.reason() + " (" + q.source() + ")";
    }

    private IngestLog.Pending record(MetadataStore.WriteTx tx, Quarantine q) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("reason", q.reason());
        detail.put("source", q.source());
        return log.record(tx, "proxy.quarantined", q.name(), q.version(), detail, q.at());
    }

    /** After the commit: a statement not logged now stays queued for the outbox's retry. */
    private void logged(List<IngestLog.Pending> pending) {
        if (pending.isEmpty()) {
            return;
        }
        try {
            log.log(pending);
        } catch (RuntimeException e) {
            LOG.warn("quarantine statements committed but not logged yet: {}", e.toString());
        }
    }

    // ------------------------------------------------------------------ validation

    static void checkName(String name) {
        checkText("package name", name, MAX_NAME);
        // the names the routing would take from an uplink (old names may have capitals)
        if (!Routing.validName(name)) {
            throw new IllegalArgumentException(
                    "invalid package name \""
                            + clip(name)
                            + "\": a name is letters, digits and \"-._~\", as @scope/name or name,"
                            + " not starting with \".\" or \"_\"");
        }
    }

    static void checkVersion(String version) {
        checkText("version", version, MAX_VERSION);
        if (!version.equals("*") && !Semver.isValid(version)) {
            throw new IllegalArgumentException(
                    "invalid version \"" + clip(version) + "\": a semver version or \"*\"");
        }
    }

    static void checkReason(String reason) {
        checkText("reason", reason, MAX_REASON);
    }

    private static void checkText(String what, String value, int max) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a quarantine needs a " + what);
        }
        if (value.length() > max) {
            throw new IllegalArgumentException(
                    what + " is longer than " + max + " characters: \"" + clip(value) + "\"");
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(
                    what + " contains a control character: \"" + clip(value) + "\"");
        }
    }

    private static String clip(String s) {
        String t = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return t.replaceAll("\\p{Cntrl}", "?");
    }
}
