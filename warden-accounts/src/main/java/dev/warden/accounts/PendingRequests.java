package dev.warden.accounts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.common.Digests;
import dev.warden.common.Problem;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.Transients.Transient;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Requests the CLI opens and polls while a person finishes them on a web page (npm's web login and
 * web OTP flows). Each has two unrelated random ids, one in the page URL and one in the poll URL,
 * so a leaked page URL does not reveal what the poll hands out.
 *
 * <p>Design: requests are {@code Transients} records in the metadata store for {@code ttl}, so any
 * node answers the page and the poll and a restart loses none. Three records per request: the
 * request under its page id, its poll id (only its SHA-256 is stored) pointing to the page id, and
 * the claim of whoever finishes it. The store holds no secret the poll hands out: a finished
 * request records who finished it, and the poll that takes it (a one-time delete) makes the token
 * then.
 */
final class PendingRequests<R extends PendingRequests.Pending> {

    /** What every pending request has. */
    interface Pending {
        String pageId();

        /** The poll id; only known to the request as opened (the store keeps its hash). */
        String doneId();

        Instant created();

        /** Whether the person finished it on the page; the poll then takes it. */
        boolean finished();
    }

    /** How a kind of request is kept in its record. */
    interface Codec<R> {
        /** The request's own fields (all but the ids, the time and whether it is finished). */
        Map<String, String> fields(R request);

        /** The request read back; its poll id is not kept, so it is null. */
        R request(String pageId, Instant created, boolean finished, Map<String, String> fields);
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> FIELDS = new TypeReference<>() {};

    private final MetadataStore store;
    private final String kind;
    private final Codec<R> codec;
    private final Clock clock;
    private final Duration ttl;
    private final int capacity;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param kind the records' kind in the store ("web-login"), one per kind of request
     * @param capacity how many may be pending at once, on all nodes together
     */
    PendingRequests(
            MetadataStore store,
            String kind,
            Codec<R> codec,
            Clock clock,
            Duration ttl,
            int capacity) {
        this.store = store;
        this.kind = kind;
        this.codec = codec;
        this.clock = clock;
        this.ttl = ttl;
        this.capacity = capacity;
    }

    String newId() {
        byte[] b = new byte[24];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    Instant now() {
        return clock.instant();
    }

    /**
     * Opens {@code request}, counted against {@code owner}; empty when too many are pending, or
     * {@code perOwner} of them are the owner's.
     */
    Optional<R> open(R request, String owner, int perOwner) {
        Instant now = now();
        Instant expires = request.created().plus(ttl);
        Map<String, String> value = new LinkedHashMap<>(codec.fields(request));
        value.put("created", request.created().toString());
        boolean opened =
                store.writeDerived(
                        tx -> {
                            var t = tx.transients();
                            t.purgeExpired(now);
                            if (t.count(kind, now) >= capacity
                                    || t.countOwned(kind, owner, now) >= perOwner) {
                                return false;
                            }
                            t.put(
                                    new Transient(
                                            kind, request.pageId(), json(value), owner, expires));
                            t.put(
                                    new Transient(
                                            kind + ".poll",
                                            hash(request.doneId()),
                                            request.pageId(),
                                            expires));
                            return true;
                        });
        return opened ? Optional.of(request) : Optional.empty();
    }

    Optional<R> page(String pageId) {
        if (pageId == null) {
            return Optional.empty();
        }
        Instant now = now();
        return store.read(tx -> tx.transients().get(kind, pageId, now)).map(r -> decode(r));
    }

    /** Takes the right to finish a request: true for exactly one caller, on any node. */
    boolean claim(String pageId) {
        Instant now = now();
        return store.writeDerived(
                tx -> {
                    var t = tx.transients();
                    Optional<Transient> r = t.get(kind, pageId, now);
                    return r.isPresent()
                            && t.insertIfAbsent(
                                    new Transient(kind + ".claim", pageId, "", r.get().expires()),
                                    now);
                });
    }

    /** Marks a claimed request finished, with what the poll needs ({@code outcome}). */
    void finish(String pageId, Map<String, String> outcome) {
        Instant now = now();
        store.writeDerived(
                tx -> {
                    var t = tx.transients();
                    t.get(kind, pageId, now)
                            .ifPresent(
                                    r -> {
                                        Map<String, String> value = fields(r.value());
                                        value.putAll(outcome);
                                        value.put("finished", "true");
                                        t.put(
                                                new Transient(
                                                        kind,
                                                        pageId,
                                                        json(value),
                                                        r.owner(),
                                                        r.expires()));
                                    });
                    return null;
                });
    }

    /**
     * The fields of a finished request (its own and what {@link #finish} added), taken so no other
     * poll gets them, or empty while pending; unknown ids are a 404.
     */
    Optional<Map<String, String>> poll(String doneId) {
        Instant now = now();
        return store.writeDerived(
                tx -> {
                    var t = tx.transients();
                    String doneHash = doneId == null ? "" : hash(doneId);
                    Transient poll =
                            t.get(kind + ".poll", doneHash, now)
                                    .orElseThrow(() -> Problem.notFound("unknown request"));
                    Optional<Map<String, String>> finished =
                            t.get(kind, poll.value(), now)
                                    .map(r -> fields(r.value()))
                                    .filter(f -> "true".equals(f.get("finished")));
                    if (finished.isPresent()) {
                        t.delete(kind, poll.value(), now);
                        t.delete(kind + ".claim", poll.value(), now);
                        t.delete(kind + ".poll", doneHash, now);
                    }
                    return finished;
                });
    }

    private R decode(Transient r) {
        Map<String, String> fields = fields(r.value());
        Instant created = Instant.parse(fields.remove("created"));
        boolean finished = "true".equals(fields.remove("finished"));
        return codec.request(r.key(), created, finished, fields);
    }

    private static String hash(String id) {
        return Digests.sha256Hex(id.getBytes(StandardCharsets.UTF_8));
    }

    private static String json(Map<String, String> fields) {
        try {
            return JSON.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> fields(String json) {
        try {
            return new LinkedHashMap<>(JSON.readValue(json, FIELDS));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a pending request's record is not JSON", e);
        }
    }
}
