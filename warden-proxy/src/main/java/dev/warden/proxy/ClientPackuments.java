package dev.warden.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.warden.common.Problem;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.Upstreams.IngestedVersion;
import dev.warden.storage.Upstreams.Quarantine;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The packuments clients get, rendered ({@link PackumentRender}) once and kept in bounded memory,
 * so a warm read is a map lookup. An entry is rendered again when the upstream body changes, when a
 * version is ingested or held or a quarantine changes ({@link #invalidate}), and when a version
 * hidden for its age comes of age (the entry's {@code ripens}). The judge's holds are computed once
 * per upstream body and kept with the entry.
 */
final class ClientPackuments {

    /** Memory given to rendered packuments; the least used are rendered again when needed. */
    static final long MEMORY_BYTES = 256L << 20;

    /**
     * A rendered packument as served.
     *
     * @param fetched when the upstream body it was rendered from was received (its identity)
     * @param checked when the uplink last confirmed that body
     * @param stale true when it is served because the uplink failed
     * @param dirty true when something it reflects changed: render before serving it again
     */
    record Entry(
            Uplink uplink,
            PackumentRender.Rendered rendered,
            Map<String, String> judged,
            Instant fetched,
            Instant checked,
            boolean stale,
            boolean dirty) {

        Entry with(Instant newChecked, boolean newStale) {
            return new Entry(uplink, rendered, judged, fetched, newChecked, newStale, dirty);
        }

        /** Served without asking the uplink or rendering again. */
        boolean fresh(Instant now) {
            return !dirty
                    && !stale
                    && checked.plus(uplink.maxAge()).isAfter(now)
                    && (rendered.ripens() == null || rendered.ripens().isAfter(now));
        }
    }

    private final MetadataStore store;
    private final PackumentRender render;
    private final ProxySettings settings;
    private final Judge judge;
    private final UplinkEvents events;
    private final ObjectMapper json;
    private final Clock clock;
    private final Map<String, Entry> memory;

    /** Grows on every invalidation: a render that overlapped one is not trusted to reflect it. */
    private final AtomicLong changes = new AtomicLong();

    ClientPackuments(
            MetadataStore store,
            PackumentRender render,
            ProxySettings settings,
            Judge judge,
            UplinkEvents events,
            ObjectMapper json,
            Clock clock) {
        this.store = store;
        this.render = render;
        this.settings = settings;
        this.judge = judge;
        this.events = events;
        this.json = json;
        this.clock = clock;
        Cache<String, Entry> cache =
                Caffeine.newBuilder()
                        .maximumWeight(MEMORY_BYTES)
                        .weigher((String name, Entry e) -> weight(e))
                        .build();
        this.memory = cache.asMap();
    }

    private static int weight(Entry e) {
        var r = e.rendered().record();
        long bytes =
                (long) r.full().length
                        + r.fullGzip().length
                        + r.abbreviated().length
                        + r.abbreviatedGzip().length;
        return (int) Math.min(Integer.MAX_VALUE, bytes + 1024);
    }

    /** The entry of {@code name} if it is in memory and fresh. */
    Entry fresh(String name) {
        Entry e = memory.get(name);
        return e != null && e.fresh(clock.instant()) ? e : null;
    }

    /** The entry in memory, fresh or not. */
    Entry entry(String name) {
        return memory.get(name);
    }

    /** The entry for an upstream copy: the one in memory when it still holds, else a new render. */
    Entry update(Uplink uplink, String name, UpstreamPackuments.Copy copy) {
        Instant now = clock.instant();
        Instant fetched = copy.packument().fetched();
        Entry old = memory.get(name);
        boolean sameBody =
                old != null
                        && old.uplink().name().equals(uplink.name())
                        && old.fetched().equals(fetched);
        if (sameBody
                && !old.dirty()
                && (old.rendered().ripens() == null || old.rendered().ripens().isAfter(now))) {
            Entry e = old.with(copy.packument().checked(), copy.stale());
            memory.put(name, e);
            return e;
        }
        long seen = changes.get();
        ObjectNode doc =
                copy.doc() != null ? copy.doc() : parse(uplink, name, copy.packument().body());
        Map<String, String> judged = sameBody ? old.judged() : judge.holds(uplink, name, doc);
        long rev = old == null ? 1 : old.rendered().record().rev() + 1;
        PackumentRender.Rendered rendered = render(name, doc, fetched, rev, judged, now);
        for (String v : rendered.swapped()) {
            events.record(
                    uplink.name(),
                    "tarball.changed",
                    name,
                    v,
                    "the uplink's packument names another integrity than the tarball verified"
                            + " and kept; the kept one is served");
        }
        Entry e =
                new Entry(
                        uplink,
                        rendered,
                        Map.copyOf(judged),
                        fetched,
                        copy.packument().checked(),
                        copy.stale(),
                        changes.get() != seen);
        memory.put(name, e);
        return e;
    }

    /**
     * Renders again before the next read (a version was ingested or held, a quarantine changed).
     */
    void invalidate(String name) {
        changes.incrementAndGet();
        memory.computeIfPresent(
                name,
                (n, e) ->
                        new Entry(
                                e.uplink(),
                                e.rendered(),
                                e.judged(),
                                e.fetched(),
                                e.checked(),
                                e.stale(),
                                true));
    }

    void invalidateAll() {
        memory.keySet().forEach(this::invalidate);
    }

    /** Forgets the name (it may become a local package). */
    void forget(String name) {
        memory.remove(name);
    }

    /** The upstream document, parsed strictly (it was validated when it was received). */
    ObjectNode parse(Uplink uplink, String name, byte[] body) {
        try {
            return (ObjectNode) UpstreamPackuments.STRICT.readTree(body);
        } catch (IOException | ClassCastException e) {
            throw new Problem(
                    Problem.Kind.BAD_GATEWAY,
                    "the cached packument of "
                            + name
                            + " from uplink "
                            + uplink.name()
                            + " is unreadable");
        }
    }

    boolean ageExempt(String name) {
        return NamePatterns.any(settings.minimumReleaseAgeExclude(), name);
    }

    private PackumentRender.Rendered render(
            String name,
            ObjectNode doc,
            Instant fetched,
            long rev,
            Map<String, String> judged,
            Instant now) {
        record Facts(List<IngestedVersion> rows, List<Quarantine> quarantines) {}
        Facts facts =
                store.read(
                        tx ->
                                new Facts(
                                        tx.upstreams().versions(name),
                                        tx.upstreams().quarantines(name)));
        Map<String, String> quarantined = new TreeMap<>();
        Map<String, PackumentRender.Ingested> ingested = new HashMap<>();
        for (IngestedVersion row : facts.rows()) {
            if (row.served()) {
                ingested.put(
                        row.version(),
                        new PackumentRender.Ingested(
                                row.integrity(),
                                UpstreamVersion.upstreamIntegrity(row),
                                ownSignature(row.verified()),
                                row.logIndex()));
            } else {
                quarantined.put(row.version(), row.reason() == null ? "held" : row.reason());
            }
        }
        for (Quarantine q : facts.quarantines()) {
            String reason = "quarantined: " + q.reason() + " (" + q.source() + ")";
            if (q.version().equals("*")) {
                for (Iterator<String> it = doc.path("versions").fieldNames(); it.hasNext(); ) {
                    quarantined.put(it.next(), reason);
                }
            } else {
                quarantined.put(q.version(), reason);
            }
        }
        Duration age = ageExempt(name) ? Duration.ZERO : settings.minimumReleaseAge();
        return render.render(
                new PackumentRender.Inputs(
                        name, doc, fetched, rev, quarantined, judged, ingested, age, now));
    }

    /**
     * This registry's signature of an ingested version, from its row's {@code verified} document:
     * the {@code keyid} and {@code sig} of its {@code signature} (as the ingest keeps it) or of
     * {@code verified.signature}; null when there is none.
     */
    Map<String, String> ownSignature(String verified) {
        if (verified == null) {
            return null;
        }
        JsonNode root;
        try {
            root = json.readTree(verified);
        } catch (IOException e) {
            return null;
        }
        JsonNode sig = root.path("signature");
        if (!sig.path("keyid").isTextual() || !sig.path("sig").isTextual()) {
            sig = root.path("verified").path("signature");
        }
        if (!sig.path("keyid").isTextual() || !sig.path("sig").isTextual()) {
            return null;
        }
        Map<String, String> out = new java.util.LinkedHashMap<>();
        out.put("keyid", sig.get("keyid").asText());
        out.put("sig", sig.get("sig").asText());
        return out;
    }
}
