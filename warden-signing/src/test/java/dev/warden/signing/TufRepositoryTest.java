package dev.warden.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The repository's metadata: signatures over canonical JSON, versions that only move forward,
 * refresh, and what it serves.
 */
class TufRepositoryTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static boolean signedBy(JsonNode envelope, TufRepository.Key key) {
        byte[] message = TufRepository.canonical(envelope.path("signed"));
        for (JsonNode s : envelope.path("signatures")) {
            if (s.path("keyid").asText().equals(key.keyId())) {
                Ed25519Signer v = new Ed25519Signer();
                v.init(false, new Ed25519PublicKeyParameters(key.publicKey(), 0));
                v.update(message, 0, message.length);
                return v.verifySignature(HexFormat.of().parseHex(s.path("sig").asText()));
            }
        }
        return false;
    }

    @Test
    void roots_targets_snapshots_and_timestamps_are_signed_and_versioned(@TempDir Path dir)
            throws Exception {
        List<TufRepository.Key> roots =
                List.of(
                        TufRepository.Key.generate(),
                        TufRepository.Key.generate(),
                        TufRepository.Key.generate());
        TufRepository.Key online = TufRepository.Key.generate();
        Instant now = Instant.parse("2026-11-22T00:00:00Z");
        TufRepository.initialize(dir, roots, 2, online, now);
        assertThatThrownBy(() -> TufRepository.initialize(dir, roots, 2, online, now))
                .hasMessageContaining("already has a root");
        TufRepository repo = new TufRepository(dir, online);
        JsonNode root = JSON.readTree(repo.file("1.root.json").orElseThrow());
        assertThat(root.path("signed").path("roles").path("root").path("threshold").asInt())
                .isEqualTo(2);
        roots.forEach(k -> assertThat(signedBy(root, k)).isTrue());

        repo.publish(
                Map.of("trusted_root.json", "{\"a\":1}".getBytes(StandardCharsets.UTF_8)), now);
        JsonNode targets = JSON.readTree(repo.file("1.targets.json").orElseThrow());
        assertThat(signedBy(targets, online)).isTrue();
        String hash =
                targets.path("signed")
                        .path("targets")
                        .path("trusted_root.json")
                        .path("hashes")
                        .path("sha256")
                        .asText();
        assertThat(repo.file("targets/" + hash + ".trusted_root.json")).isPresent();
        JsonNode ts = JSON.readTree(repo.file("timestamp.json").orElseThrow());
        assertThat(ts.path("signed").path("meta").path("snapshot.json").path("version").asInt())
                .isEqualTo(1);

        // the same targets again: no new versions; changed targets: the next versions
        repo.publish(
                Map.of("trusted_root.json", "{\"a\":1}".getBytes(StandardCharsets.UTF_8)), now);
        assertThat(repo.file("2.targets.json")).isEmpty();
        repo.publish(
                Map.of("trusted_root.json", "{\"a\":2}".getBytes(StandardCharsets.UTF_8)), now);
        assertThat(repo.file("2.targets.json")).isPresent();
        assertThat(repo.file("2.snapshot.json")).isPresent();

        // the timestamp is renewed once half its lifetime is gone, the snapshot likewise
        int before =
                JSON.readTree(repo.file("timestamp.json").orElseThrow())
                        .path("signed")
                        .path("version")
                        .asInt();
        repo.refresh(now.plus(Duration.ofHours(1)));
        assertThat(
                        JSON.readTree(repo.file("timestamp.json").orElseThrow())
                                .path("signed")
                                .path("version")
                                .asInt())
                .isEqualTo(before);
        repo.refresh(now.plus(Duration.ofHours(13)));
        assertThat(
                        JSON.readTree(repo.file("timestamp.json").orElseThrow())
                                .path("signed")
                                .path("version")
                                .asInt())
                .isEqualTo(before + 1);
        repo.refresh(now.plus(Duration.ofDays(4)));
        assertThat(repo.file("3.snapshot.json")).isPresent();

        // rotation: version 2 names new keys and is signed by old and new
        List<TufRepository.Key> fresh =
                List.of(TufRepository.Key.generate(), TufRepository.Key.generate());
        assertThat(
                        TufRepository.nextRoot(
                                dir,
                                List.of(roots.get(0), roots.get(1), fresh.get(0), fresh.get(1)),
                                fresh,
                                2,
                                online,
                                now))
                .isEqualTo(2);
        JsonNode two = JSON.readTree(repo.file("2.root.json").orElseThrow());
        assertThat(signedBy(two, roots.get(0)) && signedBy(two, fresh.get(1))).isTrue();
        assertThat(two.path("signed").path("roles").path("root").path("keyids")).hasSize(2);
        assertThatThrownBy(() -> TufRepository.nextRoot(dir, fresh, fresh, 3, online, now))
                .hasMessageContaining("threshold");

        // only metadata and target paths are served
        for (String bad :
                List.of(
                        "../keys/tuf/online.json",
                        "root.json",
                        "1.root.json/../x",
                        "targets/abc.trusted_root.json",
                        "9.root.json")) {
            assertThat(repo.file(bad)).as(bad).isEmpty();
        }
    }

    @Test
    void canonical_json_sorts_keys_without_whitespace() {
        ObjectNode n = JSON.createObjectNode();
        n.put("b", 1).putObject("a").put("d", "x").put("c", true);
        assertThat(new String(TufRepository.canonical(n), StandardCharsets.UTF_8))
                .isEqualTo("{\"a\":{\"c\":true,\"d\":\"x\"},\"b\":1}");
    }
}
