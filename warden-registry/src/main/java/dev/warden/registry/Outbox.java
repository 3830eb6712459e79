package dev.warden.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.common.Digests;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.MetadataStore.WriteTx;
import dev.warden.storage.Packages.PackageRecord;
import dev.warden.storage.Packuments.PackumentRecord;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The event outbox: every committed change's statement is written in the change's own transaction
 * ({@link #record}) and handed to the transparency log after the commit ({@link #log}); what the
 * log did not take stays queued for {@link #logPendingEvents}. A restricted package's statements go
 * into the public log as commitments its readers can open.
 */
public final class Outbox {

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

    private final MetadataStore store;
    private final ObjectMapper json;
    private final RegistrySettings settings;
    private final Packuments docs;
    private final Attestor attestor;
    private final LogCommitments commitments;

    /**
     * @param attestor where statements go; null keeps them in the outbox
     * @param commitments the keys of restricted packages' commitments; null logs their statements
     *     whole
     */
    Outbox(
            MetadataStore store,
            ObjectMapper json,
            RegistrySettings settings,
            Packuments docs,
            Attestor attestor,
            LogCommitments commitments) {
        this.store = store;
        this.json = json;
        this.settings = settings;
        this.docs = docs;
        this.attestor = attestor;
        this.commitments = commitments;
    }

    boolean logs() {
        return attestor != null;
    }

    /** The key that opens a restricted package's commitments, or null. */
    byte[] keyOf(String pkg) {
        return commitments == null ? null : commitments.keyOf(pkg);
    }

    /** A change recorded in a transaction, to be logged once it commits. */
    record PendingEvent(long id, String kind, String pkg, String statement) {}

    /** Records a statement of a change in the transaction's event outbox. */
    void record(
            WriteTx tx,
            List<PendingEvent> out,
            String kind,
            String pkg,
            String version,
            String actor,
            Instant at,
            Map<String, Object> detail) {
        record(tx, out, kind, pkg, version, actor, at, detail, false);
    }

    /**
     * As above; {@code restricted} says the change is to a package that will be restricted though
     * it has no row yet (the stage of a first release published as restricted).
     */
    void record(
            WriteTx tx,
            List<PendingEvent> out,
            String kind,
            String pkg,
            String version,
            String actor,
            Instant at,
            Map<String, Object> detail,
            boolean restricted) {
        // The sequence number follows commit order (writers are serialized) and makes every
        // statement distinct, so the log never takes two changes for one.
        long seq = tx.registryEvents().nextId();
        ObjectNode st = json.createObjectNode();
        st.put("kind", kind);
        st.put("seq", seq);
        st.put("registry", settings.publicUrl());
        st.put("package", pkg);
        if (version != null) {
            st.put("version", version);
        }
        detail.forEach((k, v) -> st.set(k, json.valueToTree(v)));
        st.put("actor", actor);
        st.put("time", at.toString());
        String statement = write(st);
        if (statement.length() > MAX_STATEMENT) {
            // A log entry is at most 64 KiB: a change too large to state whole is stated by digest.
            String details = write(json.valueToTree(detail));
            detail.keySet().forEach(st::remove);
            st.put(
                    "detailSha256",
                    Digests.sha256Hex(details.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            st.put("detailBytes", details.length());
            statement = write(st);
        }
        String opening = null;
        LogCommitments c = commitments;
        if (c != null
                && (restricted
                        || tx.packages()
                                .find(pkg)
                                .filter(p -> p.access().equals("restricted"))
                                .isPresent())) {
            // the log is public: a restricted package's change goes in as a commitment its readers
            // can open
            opening = statement;
            statement = c.commitment(json, seq, settings.publicUrl(), pkg, opening);
        }
        tx.registryEvents().add(seq, kind, pkg, version, statement, opening, at);
        out.add(new PendingEvent(seq, kind, pkg, statement));
    }

    /**
     * Longest statement logged whole, in characters (its signed envelope must stay under 64 KiB).
     */
    private static final int MAX_STATEMENT = 8_192;

    /**
     * Logs committed changes and records where they went; a packument whose versions point to their
     * publish entries is rebuilt. A change that cannot be logged now stays in the outbox for {@link
     * #logPendingEvents}.
     */
    List<Long> log(List<PendingEvent> events) {
        return log(events, Set.of());
    }

    /**
     * As {@link #log(List)}; {@code unbuilt} names packages whose packuments the change's own
     * transaction left to be rebuilt here, once, with the log indexes in them.
     */
    List<Long> log(List<PendingEvent> events, Set<String> unbuilt) {
        Attestor a = attestor;
        List<Long> indexes = new ArrayList<>(events.size());
        Map<Long, Long> logged = new LinkedHashMap<>();
        if (a != null) {
            for (PendingEvent e : events) {
                try {
                    long index = a.attest(e.statement());
                    logged.put(e.id(), index);
                    indexes.add(index);
                } catch (RuntimeException ex) {
                    LOG.error(
                            "could not log change {} ({} of {}); it stays queued",
                            e.id(),
                            e.kind(),
                            e.pkg(),
                            ex);
                }
            }
        }
        if (logged.isEmpty() && unbuilt.isEmpty()) {
            return indexes;
        }
        Map<String, PackumentRecord> rendered = new LinkedHashMap<>();
        // Log indexes and packuments are derived from what already is durable (the change and its
        // outbox row, the log entry): after a power loss the outbox logs the change again and
        // the log answers with the same index.
        store.writeDerived(
                tx -> {
                    Set<String> toRebuild = new LinkedHashSet<>(unbuilt);
                    for (PendingEvent e : events) {
                        Long index = logged.get(e.id());
                        if (index != null) {
                            tx.registryEvents().setLogIndex(e.id(), index);
                            if (e.kind().equals("package.published")) {
                                toRebuild.add(e.pkg());
                            }
                        }
                    }
                    for (String pkg : toRebuild) {
                        tx.packages()
                                .find(pkg)
                                .filter(PackageRecord::live)
                                .ifPresent(p -> rendered.put(pkg, docs.rebuild(tx, p)));
                    }
                    return null;
                });
        rendered.forEach((pkg, doc) -> docs.install(pkg, doc, List.of()));
        return indexes;
    }

    /**
     * Logs changes that committed but were not logged (after a crash or a failing log); returns how
     * many.
     */
    public int logPendingEvents() {
        int total = 0;
        while (attestor != null) {
            List<PendingEvent> batch =
                    store.read(tx -> tx.registryEvents().unlogged(500)).stream()
                            .map(e -> new PendingEvent(e.id(), e.kind(), e.pkg(), e.statement()))
                            .toList();
            if (batch.isEmpty()) {
                break;
            }
            // Their packuments are rendered again whether or not the log takes them now: a publish
            // whose rendering was lost with its log index must still be visible.
            Set<String> published = new LinkedHashSet<>();
            batch.stream()
                    .filter(e -> e.kind().equals("package.published"))
                    .forEach(e -> published.add(e.pkg()));
            int logged = log(batch, published).size();
            total += logged;
            if (logged == 0 || batch.size() < 500) {
                break;
            }
        }
        return total;
    }

    private String write(JsonNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
