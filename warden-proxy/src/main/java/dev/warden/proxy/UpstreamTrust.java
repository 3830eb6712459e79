package dev.warden.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.storage.MetadataStore;
import dev.warden.storage.Upstreams.UpstreamEvent;
import dev.warden.verify.Remote;
import dev.warden.verify.trust.RegistryKey;
import dev.warden.verify.trust.RegistryTrust;
import dev.warden.verify.trust.TrustException;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Each uplink's trust material: the keys of its {@code dist.signatures} and the Sigstore roots its
 * provenance is checked against. warden-verify's {@link RegistryTrust} does the work (a Warden
 * uplink's TUF repository, npmjs's built-in keys, other registries' keys pinned on first use under
 * the trust directory); this class asks it again at most every {@link #REFRESH}, through an adapter
 * from the proxy's {@link Upstream} port to verify's {@link Remote}.
 *
 * <p>A pinned keyid that the uplink now serves with another key is not trusted (the pin is kept)
 * and reported as the event {@code key.changed}; a key with a new keyid is trusted as the pins
 * trust it, and reported as {@code key.added}, so an operator sees every change of keys.
 */
final class UpstreamTrust {

    static final Duration REFRESH = Duration.ofMinutes(10);
    static final Duration RETRY = Duration.ofMinutes(1);
    private static final long KEYS_LIMIT = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Loaded(RegistryTrust trust, Instant at) {}

    private record Failed(String why, Instant at) {}

    private final ProxySettings settings;
    private final MetadataStore store;
    private final Upstream upstream;
    private final Path trustDir;
    private final Clock clock;
    private final Map<String, Loaded> loaded = new ConcurrentHashMap<>();
    private final Map<String, Failed> failed = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    UpstreamTrust(
            ProxySettings settings,
            MetadataStore store,
            Upstream upstream,
            Path trustDir,
            Clock clock) {
        this.settings = settings;
        this.store = store;
        this.upstream = upstream;
        this.trustDir = trustDir;
        this.clock = clock;
    }

    /**
     * The uplink's trust material, loaded again when older than {@link #REFRESH}; when that fails,
     * the material loaded before is kept (and the uplink asked again after {@link #RETRY}).
     *
     * @throws TrustException when it cannot be had and none was loaded before (a failure is
     *     remembered for {@link #RETRY}: every render and keys request would otherwise ask again)
     */
    RegistryTrust of(Uplink uplink) throws TrustException {
        Instant now = clock.instant();
        Loaded known = loaded.get(uplink.name());
        if (known != null && now.isBefore(known.at().plus(REFRESH))) {
            return known.trust();
        }
        if (known == null) {
            throwIfFailedRecently(uplink, now);
        }
        // One load per uplink at a time; meanwhile others keep what was loaded before, if any.
        ReentrantLock lock = locks.computeIfAbsent(uplink.name(), k -> new ReentrantLock());
        if (known == null) {
            lock.lock();
        } else if (!lock.tryLock()) {
            return known.trust();
        }
        try {
            known = loaded.get(uplink.name());
            if (known != null && now.isBefore(known.at().plus(REFRESH))) {
                return known.trust();
            }
            if (known == null) {
                throwIfFailedRecently(uplink, now); // the one we waited for failed
            }
            RemoteAdapter remote = new RemoteAdapter(uplink);
            RegistryTrust trust;
            try {
                // npmjs's keys are built in (verify knows them) and it has no TUF repository: no
                // request needed, so a cold start does not wait on the network for them.
                trust =
                        RegistryTrust.load(
                                uplink.url(),
                                remote,
                                trustDir,
                                builtIn(uplink),
                                Optional.empty(),
                                clock);
                failed.remove(uplink.name());
            } catch (TrustException e) {
                if (known != null) {
                    // The uplink is down: what it gave before still holds; asked again in a minute.
                    loaded.put(
                            uplink.name(),
                            new Loaded(known.trust(), now.minus(REFRESH).plus(RETRY)));
                    return known.trust();
                }
                failed.put(uplink.name(), new Failed(e.getMessage(), now));
                throw e;
            }
            report(uplink, known == null ? null : known.trust(), trust, remote.servedKeys);
            loaded.put(uplink.name(), new Loaded(trust, now));
            return trust;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Loads every uplink's trust material (failures are remembered, not thrown): the server calls
     * it at start, off the request path, so the first requests find it loaded.
     */
    void warm() {
        for (Uplink u : settings.uplinks()) {
            try {
                of(u);
            } catch (TrustException e) {
                // remembered; the requests that need it get the reason
            }
        }
    }

    private void throwIfFailedRecently(Uplink uplink, Instant now) throws TrustException {
        Failed f = failed.get(uplink.name());
        if (f != null && now.isBefore(f.at().plus(RETRY))) {
            throw new TrustException(f.why());
        }
    }

    /** The npm public registry: its keys are built into verify, nothing to ask it for. */
    static boolean builtIn(Uplink uplink) {
        return "registry.npmjs.org".equalsIgnoreCase(uplink.url().getHost());
    }

    /**
     * Every uplink's keys as entries of npm's keys document, for {@code /-/npm/v1/keys}: an uplink
     * whose keys cannot be had is left out.
     */
    List<Map<String, Object>> keys() {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (Uplink u : settings.uplinks()) {
            RegistryTrust t;
            try {
                t = of(u);
            } catch (TrustException e) {
                continue;
            }
            for (RegistryKey k : t.registryKeys()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("expires", k.expires() == null ? null : k.expires().toString());
                m.put("keyid", k.keyid());
                m.put("keytype", "ecdsa-sha2-nistp256");
                m.put("scheme", "ecdsa-sha2-nistp256");
                m.put("key", Base64.getEncoder().encodeToString(k.key().getEncoded()));
                out.putIfAbsent(k.keyid(), m);
            }
        }
        return new ArrayList<>(out.values());
    }

    /** Reports a served key that differs from the pinned one, and a key not seen before. */
    private void report(
            Uplink uplink, RegistryTrust before, RegistryTrust now, List<ServedKey> served) {
        List<UpstreamEvent> events = new ArrayList<>();
        for (ServedKey s : served) {
            RegistryKey trusted =
                    now.registryKeys().stream()
                            .filter(k -> k.keyid().equals(s.keyid()))
                            .findFirst()
                            .orElse(null);
            if (trusted != null && !MessageDigest.isEqual(trusted.key().getEncoded(), s.spki())) {
                events.add(
                        event(
                                uplink,
                                "key.changed",
                                "uplink "
                                        + uplink.name()
                                        + " serves keyid "
                                        + s.keyid()
                                        + " with another key than the one pinned: not trusted,"
                                        + " the pinned key is kept"));
            }
        }
        if (before != null) {
            for (RegistryKey k : now.registryKeys()) {
                boolean old =
                        before.registryKeys().stream().anyMatch(b -> b.keyid().equals(k.keyid()));
                if (!old) {
                    events.add(
                            event(
                                    uplink,
                                    "key.added",
                                    "uplink "
                                            + uplink.name()
                                            + " has a new key "
                                            + k.keyid()
                                            + ": trusted from now on"));
                }
            }
        }
        if (!events.isEmpty()) {
            store.write(
                    tx -> {
                        events.forEach(tx.upstreams()::addEvent);
                        return null;
                    });
        }
    }

    private UpstreamEvent event(Uplink uplink, String kind, String detail) {
        return new UpstreamEvent(0, uplink.name(), kind, null, null, detail, clock.instant());
    }

    /** A key as the uplink's {@code /-/npm/v1/keys} served it in this load. */
    private record ServedKey(String keyid, byte[] spki) {}

    /**
     * verify's network port over the proxy's: every request goes to the uplink (its token and
     * timeout), and the keys document the uplink serves is kept to compare with what is trusted.
     */
    private final class RemoteAdapter implements Remote {
        private final Uplink uplink;
        final List<ServedKey> servedKeys = new ArrayList<>();

        RemoteAdapter(Uplink uplink) {
            this.uplink = uplink;
        }

        @Override
        public Response get(URI uri, String ifNoneMatch, long limit)
                throws IOException, InterruptedException {
            Upstream.Response r = upstream.get(uplink, uri, "application/json", ifNoneMatch, limit);
            if (r.status() == 200 && uri.getRawPath().endsWith("/-/npm/v1/keys")) {
                servedKeys.addAll(served(r.body()));
            }
            return new Response(r.status(), r.body(), r.etag());
        }
    }

    /** The keyids and keys of a keys document; what does not parse is left to verify to refuse. */
    private static List<ServedKey> served(byte[] body) {
        List<ServedKey> out = new ArrayList<>();
        if (body.length > KEYS_LIMIT) {
            return out;
        }
        try {
            for (JsonNode k : JSON.readTree(body).path("keys")) {
                out.add(
                        new ServedKey(
                                k.path("keyid").asText(""),
                                Base64.getDecoder().decode(k.path("key").asText(""))));
            }
        } catch (IOException | IllegalArgumentException e) {
            return List.of();
        }
        return out;
    }
}
