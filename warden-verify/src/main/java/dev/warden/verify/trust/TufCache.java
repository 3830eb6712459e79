package dev.warden.verify.trust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * What a {@link TufClient} verified last, in its own directory: the trusted root, timestamp,
 * snapshot and targets metadata as fetched, the targets by name, and {@code state.json} (the
 * SHA-256 of the root the chain started from, and when it was last verified online). Files are
 * replaced atomically, so an interrupted run leaves the previous state.
 */
final class TufCache {

    static final String ROOT = "root.json";
    static final String TIMESTAMP = "timestamp.json";
    static final String SNAPSHOT = "snapshot.json";
    static final String TARGETS = "targets.json";
    private static final String STATE = "state.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;

    TufCache(Path dir) {
        this.dir = dir;
    }

    static String target(String name) {
        if (!name.matches("[A-Za-z0-9_][A-Za-z0-9_.-]*")) {
            throw new IllegalArgumentException("not a target name: " + name);
        }
        return "targets/" + name;
    }

    Optional<byte[]> read(String file) throws TrustException {
        try {
            return Optional.of(Files.readAllBytes(dir.resolve(file)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new TrustException(
                    "cannot read the trust cache " + dir.resolve(file) + ": " + e.getMessage(), e);
        }
    }

    void write(String file, byte[] bytes) throws TrustException {
        Path target = dir.resolve(file);
        try {
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), ".tmp", null);
            Files.write(tmp, bytes);
            Files.move(
                    tmp,
                    target,
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new TrustException(
                    "cannot write the trust cache " + target + ": " + e.getMessage(), e);
        }
    }

    void delete(String file) throws TrustException {
        try {
            Files.deleteIfExists(dir.resolve(file));
        } catch (IOException e) {
            throw new TrustException(
                    "cannot write the trust cache " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Forgets all metadata: a new chain starts. */
    void clear() throws TrustException {
        for (String f : List.of(ROOT, TIMESTAMP, SNAPSHOT, TARGETS, STATE)) {
            delete(f);
        }
    }

    Optional<String> pin() throws TrustException {
        return state().map(s -> s.path("pin").asText(null));
    }

    void pin(String sha256) throws TrustException {
        ObjectNode s = JSON.createObjectNode();
        s.put("pin", sha256);
        writeState(s);
    }

    Optional<Instant> verifiedAt() throws TrustException {
        Optional<JsonNode> s = state();
        if (s.isEmpty() || !s.get().path("verifiedAt").isTextual()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(s.get().path("verifiedAt").asText()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    void verifiedAt(Instant at) throws TrustException {
        ObjectNode s =
                state().map(n -> (ObjectNode) n.deepCopy()).orElseGet(JSON::createObjectNode);
        s.put("verifiedAt", at.toString());
        writeState(s);
    }

    private Optional<JsonNode> state() throws TrustException {
        Optional<byte[]> b = read(STATE);
        if (b.isEmpty()) {
            return Optional.empty();
        }
        try {
            JsonNode n = JSON.readTree(b.get());
            return n != null && n.isObject() ? Optional.of(n) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private void writeState(ObjectNode s) throws TrustException {
        try {
            write(STATE, JSON.writeValueAsBytes(s));
        } catch (IOException e) {
            throw new TrustException(
                    "cannot write the trust cache " + dir + ": " + e.getMessage(), e);
        }
    }
}
