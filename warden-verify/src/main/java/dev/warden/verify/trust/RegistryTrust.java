package dev.warden.verify.trust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.log.NoteKey;
import dev.warden.provenance.sigstore.TrustRoot;
import dev.warden.verify.Remote;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a registry's trust material is, for one run: the keys of its {@code dist.signatures}, the
 * Sigstore roots its attestations are checked against, and its transparency log.
 *
 * <p>A Warden instance has a TUF repository at {@code <registry>/-/tuf/}: then everything comes
 * from its targets ({@code trusted_root.json}, {@code registry_keys.json}, {@code
 * transparency_log.json}) with TUF's guarantees, from a root the policy pins or pinned on first
 * use. Once a registry was seen with TUF, it is never trusted without it. A registry without one
 * (npmjs, Verdaccio) gives its keys through {@code /-/npm/v1/keys}, pinned on first use ({@link
 * Pins}); the npm public registry's keys are built in. Keys the policy pins replace both.
 */
public final class RegistryTrust {

    static final String TRUSTED_ROOT = "trusted_root.json";
    static final String REGISTRY_KEYS = "registry_keys.json";
    static final String TRANSPARENCY_LOG = "transparency_log.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<RegistryKey> registryKeys;
    private final TrustRoot sigstoreRoot;
    private final Optional<LogKeys> log;
    private final List<String> notices;
    private final String fingerprint;

    private RegistryTrust(
            List<RegistryKey> registryKeys,
            TrustRoot sigstoreRoot,
            byte[] instanceRoot,
            Optional<LogKeys> log,
            List<String> notices) {
        this.fingerprint = fingerprint(registryKeys, instanceRoot);
        this.registryKeys = List.copyOf(registryKeys);
        this.sigstoreRoot = sigstoreRoot;
        this.log = log;
        this.notices = List.copyOf(notices);
    }

    /**
     * Keys and roots for one registry base URL, fetched through remote (or read from the cache dir
     * when offline), pinned on first use under {@code <cacheDir>/trust/<host_port>/}.
     */
    public static RegistryTrust load(
            URI registry,
            Remote remote,
            Path cacheDir,
            boolean offline,
            Optional<PinnedMaterial> fromPolicy,
            Clock clock)
            throws TrustException {
        URI base = URI.create(registry.toString().replaceAll("/+$", "") + "/");
        Path dir = Pins.dir(cacheDir, base);
        List<String> notices = new ArrayList<>();
        List<RegistryKey> policyKeys = fromPolicy.map(PinnedMaterial::keys).orElse(List.of());
        Optional<byte[]> policyRoot = fromPolicy.flatMap(PinnedMaterial::root);
        URI tufBase = base.resolve("-/tuf/");
        boolean tuf =
                policyRoot.isPresent()
                        || Files.exists(dir.resolve("tuf").resolve(TufCache.ROOT))
                        || (!offline && hasTuf(remote, tufBase));
        TrustRoot sigstore = TrustRoot.publicGood();
        byte[] instanceRoot = null;
        Optional<LogKeys> log = Optional.empty();
        List<RegistryKey> keys;
        if (tuf) {
            TufClient client = new TufClient(tufBase, remote, dir.resolve("tuf"), clock);
            Map<String, byte[]> targets =
                    client.targets(
                            policyRoot,
                            Set.of(TRUSTED_ROOT, REGISTRY_KEYS, TRANSPARENCY_LOG),
                            offline);
            notices.addAll(client.notices());
            if (targets.containsKey(TRUSTED_ROOT)) {
                try {
                    sigstore = sigstore.and(TrustRoot.parse(targets.get(TRUSTED_ROOT)));
                    instanceRoot = targets.get(TRUSTED_ROOT);
                } catch (RuntimeException e) {
                    throw new TrustException(
                            "TUF target "
                                    + TRUSTED_ROOT
                                    + " of "
                                    + base
                                    + " is not a trusted root: "
                                    + e.getMessage(),
                            e);
                }
            }
            if (targets.containsKey(TRANSPARENCY_LOG)) {
                log = Optional.of(logKeys(targets.get(TRANSPARENCY_LOG), base));
            }
            if (!policyKeys.isEmpty()) {
                keys = policyKeys;
            } else if (targets.containsKey(REGISTRY_KEYS)) {
                keys =
                        KeysDocument.parse(
                                targets.get(REGISTRY_KEYS),
                                "TUF target " + REGISTRY_KEYS + " of " + base);
            } else {
                notices.add(
                        "the TUF repository of "
                                + base
                                + " has no "
                                + REGISTRY_KEYS
                                + ": keys taken from /-/npm/v1/keys");
                keys = Pins.keys(base, remote, dir, offline, List.of(), notices);
            }
        } else if (!policyKeys.isEmpty()) {
            keys = policyKeys;
        } else {
            keys = Pins.keys(base, remote, dir, offline, builtIn(base), notices);
        }
        return new RegistryTrust(keys, sigstore, instanceRoot, log, notices);
    }

    /**
     * What identifies this trust material, for results kept under it (a verified bundle's facts): a
     * SHA-256 over the registry's keys and the instance's trusted root, so that another key or root
     * is another identity.
     */
    public String fingerprint() {
        return fingerprint;
    }

    private static String fingerprint(List<RegistryKey> keys, byte[] instanceRoot) {
        try {
            java.security.MessageDigest d = java.security.MessageDigest.getInstance("SHA-256");
            d.update("warden-verify trust v1\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            for (RegistryKey k : keys) {
                d.update(
                        (k.keyid() + " " + k.expires() + " ")
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                d.update(k.key().getEncoded());
            }
            d.update(instanceRoot == null ? new byte[0] : instanceRoot);
            return java.util.HexFormat.of().formatHex(d.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the registry has a TUF repository: its first root answers. */
    private static boolean hasTuf(Remote remote, URI tufBase) throws TrustException {
        URI uri = tufBase.resolve("1.root.json");
        int status = Fetch.get(remote, uri, TufClient.METADATA_LIMIT).status();
        if (status == 200) {
            return true;
        }
        // npmjs and Verdaccio answer 404 (or another refusal of an unknown path); not a failure
        if (status >= 400
                && status < 500
                && status != 401
                && status != 403
                && status != 407
                && status != 429) {
            return false;
        }
        throw new TrustException("GET " + uri + " answered " + status + ", expected 200 or 404");
    }

    private static LogKeys logKeys(byte[] bytes, URI base) throws TrustException {
        String what = "TUF target " + TRANSPARENCY_LOG + " of " + base;
        JsonNode n;
        try {
            n = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new TrustException(what + " is not JSON");
        }
        if (n == null
                || !n.path("url").isTextual()
                || !n.path("origin").isTextual()
                || !n.path("key").isTextual()
                || !n.path("registryKey").isTextual()) {
            throw new TrustException(what + " lacks one of url, origin, key, registryKey");
        }
        try {
            URI url = URI.create(n.path("url").asText().replaceAll("/+$", "") + "/");
            if (url.getScheme() == null || url.getHost() == null) {
                throw new IllegalArgumentException("not an absolute URL");
            }
            return new LogKeys(
                    url,
                    n.path("origin").asText(),
                    NoteKey.parseVerifier(n.path("key").asText()),
                    NoteKey.parseVerifier(n.path("registryKey").asText()));
        } catch (IllegalArgumentException e) {
            throw new TrustException(what + " is malformed: " + e.getMessage());
        }
    }

    /**
     * The npm public registry's keys (Sigstore's TUF target {@code registry.npmjs.org/keys.json}):
     * the one retired on 2025-01-29 and its successor.
     */
    static List<RegistryKey> builtIn(URI registry) throws TrustException {
        if (!"registry.npmjs.org".equalsIgnoreCase(registry.getHost())) {
            return List.of();
        }
        return List.of(
                new RegistryKey(
                        "SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA",
                        KeysDocument.publicKey(
                                "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE1Olb3zMAFFxXKHiIkQO5cJ3Yhl5i6UPp+IhuteBJbuHcA5UogKo0EWtlWwW6KSaKoTNEYL7JlCQiVnkhBktUgg==",
                                "built-in npm key"),
                        Instant.parse("2025-01-29T00:00:00Z")),
                new RegistryKey(
                        "SHA256:DhQ8wR5APBvFHLF/+Tc+AYvPOdTpcIDqOhxsBHRwC7U",
                        KeysDocument.publicKey(
                                "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEY6Ya7W++7aUPzvMTrezH6Ycx3c+HOKYCcNGybJZSCJq/fd7Qa8uuAKtdIkUQtQiEKERhAmE5lMMJhP8OkDOa2g==",
                                "built-in npm key"),
                        null));
    }

    public List<RegistryKey> registryKeys() {
        return registryKeys;
    }

    /** Public-good (embedded, always) plus the instance's trusted root from its TUF repository. */
    public TrustRoot sigstoreRoot() {
        return sigstoreRoot;
    }

    /** The registry's transparency log, when its TUF repository names one. */
    public Optional<LogKeys> log() {
        return log;
    }

    public List<String> notices() {
        return notices;
    }
}
