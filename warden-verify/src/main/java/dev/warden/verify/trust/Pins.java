package dev.warden.verify.trust;

import dev.warden.verify.Remote;

import java.net.URI;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Registry keys trusted on first use, for a registry with no TUF repository: the first answer of
 * {@code /-/npm/v1/keys} is pinned in {@code keys.json} of the registry's trust directory (for
 * registry.npmjs.org the built-in keys are the first pin). Later answers are compared with the pin:
 * a new key is accepted with a notice (a policy that pins keys refuses it instead), a different key
 * under a pinned keyid is refused (the pinned one is kept), a pinned key the registry no longer
 * serves stays trusted with a notice, and an expiry is only ever moved earlier.
 */
public final class Pins {

    static final long KEYS_LIMIT = 1 << 20;
    private static final String FILE = "keys.json";

    private Pins() {}

    /**
     * The cache directory of one registry's trust material: {@code <cacheDir>/trust/<host_port>}.
     */
    public static Path dir(Path cacheDir, URI registry) {
        String host =
                registry.getHost() == null
                        ? "unknown"
                        : registry.getHost().toLowerCase(java.util.Locale.ROOT);
        int port =
                registry.getPort() != -1
                        ? registry.getPort()
                        : "https".equalsIgnoreCase(registry.getScheme()) ? 443 : 80;
        return cacheDir.resolve("trust").resolve(host.replaceAll("[^a-z0-9.-]", "_") + "_" + port);
    }

    /** The keys to trust for {@code registry}, pinned on first use under {@code dir}. */
    static List<RegistryKey> keys(
            URI registry,
            Remote remote,
            Path dir,
            boolean offline,
            List<RegistryKey> builtIn,
            List<String> notices)
            throws TrustException {
        TufCache cache = new TufCache(dir);
        Optional<byte[]> file = cache.read(FILE);
        Optional<List<RegistryKey>> pinned =
                file.isPresent()
                        ? Optional.of(
                                KeysDocument.parse(file.get(), "pinned keys " + dir.resolve(FILE)))
                        : builtIn.isEmpty() ? Optional.empty() : Optional.of(builtIn);
        if (offline) {
            return pinned.orElseThrow(
                    () ->
                            new TrustException(
                                    "offline, and no keys of "
                                            + registry
                                            + " in the cache: run once online first"));
        }
        URI uri = registry.resolve("-/npm/v1/keys");
        Remote.Response r = Fetch.get(remote, uri, KEYS_LIMIT);
        List<RegistryKey> served;
        if (r.status() == 404) {
            served = List.of();
        } else if (r.status() == 200) {
            served = KeysDocument.parse(r.body(), "GET " + uri);
        } else {
            throw new TrustException(
                    "GET " + uri + " answered " + r.status() + ", expected 200 or 404");
        }
        List<RegistryKey> result;
        if (pinned.isEmpty()) {
            result = served;
            notices.add(
                    served.isEmpty()
                            ? registry
                                    + " publishes no signing keys ("
                                    + uri
                                    + " answered "
                                    + r.status()
                                    + ")"
                            : "no TUF repository at "
                                    + registry
                                    + ": pinned its keys "
                                    + served.stream().map(RegistryKey::keyid).toList()
                                    + " from /-/npm/v1/keys on first use");
        } else {
            result = merge(registry, pinned.get(), served, notices);
        }
        cache.write(FILE, KeysDocument.write(result));
        return result;
    }

    private static List<RegistryKey> merge(
            URI registry,
            List<RegistryKey> pinned,
            List<RegistryKey> served,
            List<String> notices) {
        Map<String, RegistryKey> out = new LinkedHashMap<>();
        pinned.forEach(k -> out.put(k.keyid(), k));
        List<String> servedIds = new ArrayList<>();
        for (RegistryKey s : served) {
            servedIds.add(s.keyid());
            RegistryKey p = out.get(s.keyid());
            if (p == null) {
                out.put(s.keyid(), s);
                notices.add(
                        registry
                                + " serves a new key "
                                + s.keyid()
                                + ": trusted from now on (pin the keys in the policy to refuse new"
                                + " ones)");
            } else if (!MessageDigest.isEqual(p.key().getEncoded(), s.key().getEncoded())) {
                notices.add(
                        registry
                                + " serves keyid "
                                + s.keyid()
                                + " with another key than the pinned one: kept the pinned key");
            } else {
                out.put(
                        s.keyid(),
                        new RegistryKey(p.keyid(), p.key(), earlier(p.expires(), s.expires())));
            }
        }
        for (RegistryKey p : pinned) {
            if (!servedIds.contains(p.keyid())) {
                notices.add(
                        registry
                                + " no longer serves the pinned key "
                                + p.keyid()
                                + ": still trusted");
            }
        }
        return List.copyOf(out.values());
    }

    private static Instant earlier(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isBefore(b) ? a : b;
    }
}
