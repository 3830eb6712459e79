package dev.warden.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.provenance.sigstore.BundleVerifier;
import dev.warden.verify.lockfile.LockedPackage;
import dev.warden.verify.lockfile.ProjectRegistry;
import dev.warden.verify.trust.PinnedMaterial;
import dev.warden.verify.trust.RegistryTrust;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registries of one run: which registry a locked package comes from, and each registry's
 * packuments and trust material, fetched once however many packages need them.
 */
final class Registries {

    static final URI NPMJS = URI.create("https://registry.npmjs.org/");
    private static final long PACKUMENT_LIMIT = 64L << 20;

    private final FetchCache cache;
    private final Optional<URI> forced;
    private final ProjectRegistry project;
    private final Map<String, PinnedMaterial> pins;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final Once<URI, JsonNode> packuments;
    private final Once<URI, RegistryTrust> trust;
    private final Map<RegistryTrust, BundleVerifier> verifiers = new ConcurrentHashMap<>();
    private final Map<URI, RegistryTrust> loaded = new ConcurrentHashMap<>();
    private final Map<RegistryTrust, String> fingerprints = new ConcurrentHashMap<>();

    Registries(
            FetchCache cache,
            Optional<URI> forced,
            ProjectRegistry project,
            Map<URI, PinnedMaterial> pins,
            Clock clock) {
        this.cache = cache;
        this.forced = forced.map(Registries::base);
        this.project = project;
        Map<String, PinnedMaterial> byKey = new java.util.HashMap<>();
        pins.forEach((u, m) -> byKey.put(key(u), m));
        this.pins = Map.copyOf(byKey);
        this.clock = clock;
        this.packuments = new Once<>(this::fetchPackument);
        this.trust =
                new Once<>(
                        r ->
                                RegistryTrust.load(
                                        r,
                                        cache.remote(),
                                        cache.dir(),
                                        cache.offline(),
                                        pinFor(r),
                                        clock));
    }

    /**
     * The registry a package is expected from: the one given on the command line, else the
     * project's configuration for its scope, else where the lockfile resolved it, else npm's.
     */
    Expected registryFor(LockedPackage p) {
        Optional<URI> configured =
                forced.or(() -> project.registryFor(p.name()).map(Registries::base));
        if (configured.isPresent()) {
            return new Expected(configured.get(), true);
        }
        return new Expected(
                Optional.ofNullable(p.resolved()).flatMap(r -> baseOf(r, p.name())).orElse(NPMJS),
                false);
    }

    /**
     * A registry, and whether it was configured (then a lockfile URL at another host is a finding)
     * or only inferred from the lockfile.
     */
    record Expected(URI registry, boolean configured) {}

    JsonNode packument(URI registry, String name) throws Exception {
        return packuments.get(registry.resolve(PackageNames.pathSegment(name)));
    }

    RegistryTrust trust(URI registry) throws Exception {
        RegistryTrust t = trust.get(registry);
        loaded.putIfAbsent(registry, t);
        return t;
    }

    /** The notices of every registry's trust material loaded in this run, by registry. */
    java.util.List<String> notices() {
        java.util.List<String> out = new java.util.ArrayList<>();
        new java.util.TreeMap<>(loaded)
                .forEach((r, t) -> t.notices().forEach(n -> out.add(r + ": " + n)));
        return out;
    }

    /**
     * What identifies a registry's trust material, for results kept under it: a digest of its keys
     * and trusted root.
     */
    String fingerprint(RegistryTrust t) {
        return fingerprints.computeIfAbsent(t, RegistryTrust::fingerprint);
    }

    BundleVerifier verifier(RegistryTrust t) {
        return verifiers.computeIfAbsent(t, x -> new BundleVerifier(x.sigstoreRoot(), clock));
    }

    private JsonNode fetchPackument(URI uri) throws FetchException {
        byte[] body = cache.revalidated(uri, PACKUMENT_LIMIT);
        try {
            JsonNode doc = json.readTree(body);
            if (doc == null || !doc.isObject() || !doc.path("versions").isObject()) {
                throw new FetchException(uri + " answered something that is not a packument", 200);
            }
            return doc;
        } catch (IOException e) {
            throw new FetchException(uri + " answered invalid JSON", 200);
        }
    }

    /**
     * What the policy pins for a registry: for its URL as normalised (host without case, default
     * port dropped, one trailing slash), else for the only pin of its origin, so that a lockfile's
     * spelling of the registry's URL cannot step around a pin.
     */
    private Optional<PinnedMaterial> pinFor(URI registry) {
        PinnedMaterial exact = pins.get(key(registry));
        if (exact != null) {
            return Optional.of(exact);
        }
        String origin = origin(registry);
        List<PinnedMaterial> sameOrigin =
                pins.entrySet().stream()
                        .filter(e -> e.getKey().startsWith(origin + "/"))
                        .map(Map.Entry::getValue)
                        .toList();
        return sameOrigin.size() == 1 ? Optional.of(sameOrigin.get(0)) : Optional.empty();
    }

    private static String key(URI u) {
        String path = u.getRawPath() == null ? "" : u.getRawPath().replaceAll("/+$", "");
        return origin(u) + path + "/";
    }

    /** Whether two URLs are on the same origin (npm's and yarn's public hosts count as one). */
    static boolean sameOrigin(URI a, URI b) {
        return origin(a).equals(origin(b));
    }

    static String origin(URI u) {
        String host = u.getHost() == null ? "" : u.getHost().toLowerCase(Locale.ROOT);
        if (host.equals("registry.yarnpkg.com")) {
            host = "registry.npmjs.org";
        }
        int port =
                u.getPort() != -1
                        ? u.getPort()
                        : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
        return (u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT))
                + "://"
                + host
                + ":"
                + port;
    }

    /** A registry URL with a trailing slash, so names resolve under its path. */
    static URI base(URI u) {
        String s = u.toString();
        return URI.create(s.endsWith("/") ? s : s + "/");
    }

    /** The registry a tarball URL belongs to: the part before {@code /<name>/-/}, or its origin. */
    static Optional<URI> baseOf(String resolved, String name) {
        URI u;
        try {
            u = URI.create(resolved);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (u.getScheme() == null || !u.getScheme().matches("(?i)https?") || u.getHost() == null) {
            return Optional.empty();
        }
        String path = u.getRawPath() == null ? "" : u.getRawPath();
        int dash = path.indexOf("/-/");
        String before = dash >= 0 ? path.substring(0, dash) : "";
        for (String n : new String[] {name, name.replace("/", "%2f"), name.replace("/", "%2F")}) {
            if (before.endsWith("/" + n)) {
                before = before.substring(0, before.length() - n.length());
                return Optional.of(base(u.resolve(before)));
            }
        }
        return Optional.of(base(u.resolve("/")));
    }
}
