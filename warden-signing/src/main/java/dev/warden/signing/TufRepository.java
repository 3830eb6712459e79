package dev.warden.signing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A TUF repository (TUF specification 1.0, consistent snapshots) that distributes the instance's
 * trusted root and signing config to Sigstore clients. The root role is held by offline keys:
 * {@link #initialize} and {@link #nextRoot} write a root version signed by them (create, rotate,
 * re-sign), and the server never sees them. Targets, snapshot and timestamp are signed by the
 * server's online key: {@link #publish} writes new targets and snapshot versions when a target
 * changes, and {@link #refresh} keeps the timestamp fresh. Files are written atomically under the
 * repository directory and served as they are; versions continue across restarts.
 */
public final class TufRepository {

    static final String SPEC = "1.0.31";
    static final Duration ROOT_LIFETIME = Duration.ofDays(365);
    static final Duration TARGETS_LIFETIME = Duration.ofDays(90);
    static final Duration SNAPSHOT_LIFETIME = Duration.ofDays(7);
    static final Duration TIMESTAMP_LIFETIME = Duration.ofDays(1);
    private static final Pattern FILE =
            Pattern.compile(
                    "(\\d+\\.(root|snapshot|targets)\\.json|timestamp\\.json|targets/[0-9a-f]{64}\\.[A-Za-z0-9_.-]+)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();

    /** An Ed25519 TUF key; {@code seed} is null for a public key only. */
    public record Key(byte[] publicKey, byte[] seed) {
        public static Key generate() {
            Ed25519PrivateKeyParameters k = new Ed25519PrivateKeyParameters(new SecureRandom());
            return new Key(k.generatePublicKey().getEncoded(), k.getEncoded());
        }

        public ObjectNode json() {
            ObjectNode k = JSON.createObjectNode();
            k.put("keytype", "ed25519").put("scheme", "ed25519");
            k.putObject("keyval").put("public", HEX.formatHex(publicKey));
            return k;
        }

        public String keyId() {
            return HEX.formatHex(CtLog.sha256(canonical(json())));
        }

        String sign(byte[] message) {
            Ed25519Signer s = new Ed25519Signer();
            s.init(true, new Ed25519PrivateKeyParameters(seed, 0));
            s.update(message, 0, message.length);
            return HEX.formatHex(s.generateSignature());
        }

        /** Reads a key file written by {@link #save}. */
        public static Key load(Path file) {
            try {
                JsonNode n = JSON.readTree(file.toFile());
                return new Key(
                        HEX.parseHex(n.path("keyval").path("public").asText()),
                        n.path("keyval").hasNonNull("private")
                                ? HEX.parseHex(n.path("keyval").path("private").asText())
                                : null);
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "TUF key file " + file + " is not readable: " + e.getMessage(), e);
            }
        }

        public void save(Path file) {
            ObjectNode n = json();
            ((ObjectNode) n.get("keyval")).put("private", HEX.formatHex(seed));
            try {
                Files.createDirectories(file.toAbsolutePath().getParent());
                CertificateAuthority.writeSecret(file, n.toPrettyString() + "\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final Path dir;
    private final Key online;

    public TufRepository(Path dir, Key online) {
        this.dir = dir;
        this.online = online;
        if (latest("root").isEmpty()) {
            throw new IllegalStateException(
                    "TUF repository " + dir + " has no root: create it with warden tuf init");
        }
    }

    /**
     * Writes version 1 of the root: {@code rootKeys} ({@code threshold} of them sign roots), the
     * online key for the other roles.
     */
    public static void initialize(
            Path dir, List<Key> rootKeys, int threshold, Key online, Instant now) {
        if (Files.exists(dir.resolve("1.root.json"))) {
            throw new IllegalStateException("TUF repository " + dir + " already has a root");
        }
        writeRoot(dir, 1, rootKeys, threshold, online, rootKeys, now);
    }

    /**
     * Writes the next root version: the new root keys and threshold (the same ones to re-sign for a
     * later expiry), signed by {@code signers}, which must include a threshold of the current
     * root's keys and of the new one's for clients to accept it.
     */
    public static int nextRoot(
            Path dir,
            List<Key> signers,
            List<Key> newRootKeys,
            int threshold,
            Key online,
            Instant now) {
        int version =
                latestVersion(dir, "root")
                                .orElseThrow(
                                        () ->
                                                new IllegalStateException(
                                                        "TUF repository " + dir + " has no root"))
                        + 1;
        writeRoot(dir, version, newRootKeys, threshold, online, signers, now);
        return version;
    }

    private static void writeRoot(
            Path dir,
            int version,
            List<Key> rootKeys,
            int threshold,
            Key online,
            List<Key> signers,
            Instant now) {
        if (threshold < 1 || threshold > rootKeys.size()) {
            throw new IllegalArgumentException(
                    "root threshold must be between 1 and the number of root keys ("
                            + rootKeys.size()
                            + ")");
        }
        ObjectNode signed = JSON.createObjectNode();
        signed.put("_type", "root")
                .put("spec_version", SPEC)
                .put("version", version)
                .put("expires", expiry(now, ROOT_LIFETIME));
        signed.put("consistent_snapshot", true);
        ObjectNode keys = signed.putObject("keys");
        rootKeys.forEach(k -> keys.set(k.keyId(), k.json()));
        keys.set(online.keyId(), online.json());
        ObjectNode roles = signed.putObject("roles");
        ArrayNode rootIds = roles.putObject("root").put("threshold", threshold).putArray("keyids");
        rootKeys.forEach(k -> rootIds.add(k.keyId()));
        for (String role : List.of("targets", "snapshot", "timestamp")) {
            roles.putObject(role).put("threshold", 1).putArray("keyids").add(online.keyId());
        }
        write(dir.resolve(version + ".root.json"), envelope(signed, signers));
    }

    /**
     * Makes {@code targets} (name to bytes) the repository's targets, with new metadata versions
     * when anything changed.
     */
    public synchronized void publish(Map<String, byte[]> targets, Instant now) {
        Map<String, String> hashes = new LinkedHashMap<>();
        targets.forEach((name, bytes) -> hashes.put(name, HEX.formatHex(CtLog.sha256(bytes))));
        Optional<Integer> current = latest("targets");
        if (current.isPresent()) {
            JsonNode meta =
                    read(dir.resolve(current.get() + ".targets.json"))
                            .path("signed")
                            .path("targets");
            boolean same =
                    meta.size() == hashes.size()
                            && hashes.entrySet().stream()
                                    .allMatch(
                                            e ->
                                                    e.getValue()
                                                            .equals(
                                                                    meta.path(e.getKey())
                                                                            .path("hashes")
                                                                            .path("sha256")
                                                                            .asText()));
            if (same) {
                refresh(now);
                return;
            }
        }
        int version = current.orElse(0) + 1;
        targets.forEach(
                (name, bytes) ->
                        writeBytes(dir.resolve("targets/" + hashes.get(name) + "." + name), bytes));
        ObjectNode signed = JSON.createObjectNode();
        signed.put("_type", "targets")
                .put("spec_version", SPEC)
                .put("version", version)
                .put("expires", expiry(now, TARGETS_LIFETIME));
        ObjectNode t = signed.putObject("targets");
        targets.forEach(
                (name, bytes) -> {
                    ObjectNode e = t.putObject(name);
                    e.put("length", bytes.length);
                    e.putObject("hashes").put("sha256", hashes.get(name));
                    e.putObject("custom")
                            .putObject("sigstore")
                            .put("status", "Active")
                            .put("usage", "Unknown");
                });
        write(dir.resolve(version + ".targets.json"), envelope(signed, List.of(online)));
        snapshot(version, now);
    }

    private void snapshot(int targetsVersion, Instant now) {
        int version = latest("snapshot").orElse(0) + 1;
        ObjectNode signed = JSON.createObjectNode();
        signed.put("_type", "snapshot")
                .put("spec_version", SPEC)
                .put("version", version)
                .put("expires", expiry(now, SNAPSHOT_LIFETIME));
        signed.putObject("meta").putObject("targets.json").put("version", targetsVersion);
        write(dir.resolve(version + ".snapshot.json"), envelope(signed, List.of(online)));
        timestamp(version, now);
    }

    private void timestamp(int snapshotVersion, Instant now) {
        JsonNode old =
                Files.exists(dir.resolve("timestamp.json"))
                        ? read(dir.resolve("timestamp.json")).path("signed")
                        : null;
        int version = old == null ? 1 : old.path("version").asInt() + 1;
        ObjectNode signed = JSON.createObjectNode();
        signed.put("_type", "timestamp")
                .put("spec_version", SPEC)
                .put("version", version)
                .put("expires", expiry(now, TIMESTAMP_LIFETIME));
        byte[] snapshot = bytes(dir.resolve(snapshotVersion + ".snapshot.json"));
        signed.putObject("meta")
                .putObject("snapshot.json")
                .put("version", snapshotVersion)
                .put("length", snapshot.length)
                .putObject("hashes")
                .put("sha256", HEX.formatHex(CtLog.sha256(snapshot)));
        write(dir.resolve("timestamp.json"), envelope(signed, List.of(online)));
    }

    /** Re-signs the snapshot and timestamp when they would expire within half their lifetime. */
    public synchronized void refresh(Instant now) {
        int snapshotVersion = latest("snapshot").orElseThrow();
        JsonNode snapshot = read(dir.resolve(snapshotVersion + ".snapshot.json")).path("signed");
        if (Instant.parse(snapshot.path("expires").asText())
                .isBefore(now.plus(SNAPSHOT_LIFETIME.dividedBy(2)))) {
            snapshot(snapshot.path("meta").path("targets.json").path("version").asInt(), now);
            return;
        }
        JsonNode ts = read(dir.resolve("timestamp.json")).path("signed");
        if (Instant.parse(ts.path("expires").asText())
                .isBefore(now.plus(TIMESTAMP_LIFETIME.dividedBy(2)))) {
            timestamp(snapshotVersion, now);
        }
    }

    /**
     * A repository file by its path under the mirror URL, if it exists and is one a TUF client asks
     * for.
     */
    public Optional<byte[]> file(String path) {
        if (!FILE.matcher(path).matches()) {
            return Optional.empty();
        }
        Path p = dir.resolve(path);
        return Files.isRegularFile(p) ? Optional.of(bytes(p)) : Optional.empty();
    }

    private Optional<Integer> latest(String role) {
        return latestVersion(dir, role);
    }

    private static Optional<Integer> latestVersion(Path dir, String role) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("\\d+\\." + role + "\\.json"))
                    .map(n -> Integer.parseInt(n.substring(0, n.indexOf('.'))))
                    .max(Integer::compare);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode envelope(ObjectNode signed, List<Key> signers) {
        byte[] message = canonical(signed);
        ObjectNode env = JSON.createObjectNode();
        ArrayNode sigs = env.putArray("signatures");
        List<String> seen = new ArrayList<>();
        for (Key k : signers) {
            if (!seen.contains(k.keyId())) {
                seen.add(k.keyId());
                sigs.addObject().put("keyid", k.keyId()).put("sig", k.sign(message));
            }
        }
        env.set("signed", signed);
        return env;
    }

    /** TUF's canonical JSON: keys sorted, no insignificant whitespace. */
    static byte[] canonical(JsonNode node) {
        try {
            Object tree = JSON.treeToValue(node, Object.class);
            return JSON.copy()
                    .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
                    .writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String expiry(Instant now, Duration life) {
        return now.plus(life).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static JsonNode read(Path p) {
        try {
            return JSON.readTree(p.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, JsonNode node) {
        try {
            writeBytes(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writeBytes(Path file, byte[] bytes) {
        try {
            dev.warden.log.KeyFiles.write(file, bytes, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
