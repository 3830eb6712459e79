package dev.warden.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.server.testing.Tarballs;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Registry signatures as npm's own pacote checks them (verifySignatures), across a key rotation.
 */
class RegistrySignaturesTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Path SCRIPT =
            Path.of("src", "test", "resources", "signatures", "pacote-verify.mjs").toAbsolutePath();

    static JsonNode pacote(Path dir, String registry, String spec, JsonNode keys, String mode)
            throws Exception {
        Path keysFile = Files.createTempFile(dir, "keys", ".json");
        Files.writeString(keysFile, JSON.writeValueAsString(keys));
        Clients.Run r =
                mode == null
                        ? Clients.node(dir, Map.of(), SCRIPT, registry, spec, keysFile.toString())
                        : Clients.node(
                                dir, Map.of(), SCRIPT, registry, spec, keysFile.toString(), mode);
        assertThat(r.exit()).as(r.all()).isZero();
        return JSON.readTree(r.out().strip());
    }

    @Test
    void pacoteVerifiesSignaturesAndRefusesTamperingUnknownAndExpiredKeys(@TempDir Path dir)
            throws Exception {
        Path data = dir.resolve("data");
        TestServer first = TestServer.start(data, Map.of());
        String token = first.token("signer");
        assertThat(
                        first.http()
                                .put(
                                        Tarballs.path("signed-pkg"),
                                        token,
                                        Tarballs.publishBody("signed-pkg", "1.0.0"))
                                .status())
                .isEqualTo(200);
        JsonNode keys = first.http().get("/-/npm/v1/keys").json();
        assertThat(keys.path("keys")).hasSize(1);
        JsonNode key = keys.path("keys").get(0);
        assertThat(key.path("keyid").asText()).startsWith("SHA256:");
        assertThat(key.path("keytype").asText()).isEqualTo("ecdsa-sha2-nistp256");
        assertThat(key.path("scheme").asText()).isEqualTo("ecdsa-sha2-nistp256");
        assertThat(key.path("expires").isNull()).isTrue();
        JsonNode dist =
                first.http().get("/signed-pkg").json().path("versions").path("1.0.0").path("dist");
        assertThat(dist.path("signatures").get(0).path("keyid").asText())
                .isEqualTo(key.path("keyid").asText());

        JsonNode ok = pacote(dir, first.url(), "signed-pkg@1.0.0", keys, null);
        assertThat(ok.path("ok").asBoolean()).as(ok.toString()).isTrue();
        assertThat(ok.path("keyid").asText()).isEqualTo(key.path("keyid").asText());

        JsonNode tampered = pacote(dir, first.url(), "signed-pkg@1.0.0", keys, "tamper");
        assertThat(tampered.path("code").asText())
                .as(tampered.toString())
                .isEqualTo("EINTEGRITYSIGNATURE");

        ObjectNode unknown = keys.deepCopy();
        ((ObjectNode) unknown.path("keys").get(0)).put("keyid", "SHA256:" + "A".repeat(43));
        assertThat(
                        pacote(dir, first.url(), "signed-pkg@1.0.0", unknown, null)
                                .path("code")
                                .asText())
                .isEqualTo("EMISSINGSIGNATUREKEY");

        ObjectNode expired = keys.deepCopy();
        ((ObjectNode) expired.path("keys").get(0)).put("expires", "2001-01-01T00:00:00.000Z");
        assertThat(
                        pacote(dir, first.url(), "signed-pkg@1.0.0", expired, null)
                                .path("code")
                                .asText())
                .isEqualTo("EEXPIREDSIGNATUREKEY");

        ObjectNode otherKey = keys.deepCopy();
        // A valid P-256 key that did not sign: the signature does not verify.
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
        g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        ((ObjectNode) otherKey.path("keys").get(0))
                .put(
                        "key",
                        java.util.Base64.getEncoder()
                                .encodeToString(g.generateKeyPair().getPublic().getEncoded()));
        assertThat(
                        pacote(dir, first.url(), "signed-pkg@1.0.0", otherKey, null)
                                .path("code")
                                .asText())
                .isEqualTo("EINTEGRITYSIGNATURE");

        // Rotation with the CLI: the old key expires now, versions it signed stay verifiable.
        first.server().close();
        Clients.Run rotated =
                TransparencyLogTest.java(dir, "signing-key-rotate", "--data", data.toString());
        assertThat(rotated.exit()).as(rotated.all()).isZero();
        try (TestServer second = TestServer.start(data, Map.of())) {
            assertThat(
                            second.http()
                                    .put(
                                            Tarballs.path("signed-pkg"),
                                            token,
                                            Tarballs.publishBody("signed-pkg", "1.1.0"))
                                    .status())
                    .isEqualTo(200);
            JsonNode both = second.http().get("/-/npm/v1/keys").json();
            assertThat(both.path("keys")).hasSize(2);
            assertThat(both.path("keys").get(0).path("expires").asText()).isNotEmpty();
            assertThat(both.path("keys").get(1).path("expires").isNull()).isTrue();
            JsonNode old = pacote(dir, second.url(), "signed-pkg@1.0.0", both, null);
            assertThat(old.path("ok").asBoolean()).as(old.toString()).isTrue();
            assertThat(old.path("keyid").asText()).isEqualTo(key.path("keyid").asText());
            JsonNode fresh = pacote(dir, second.url(), "signed-pkg@1.1.0", both, null);
            assertThat(fresh.path("ok").asBoolean()).as(fresh.toString()).isTrue();
            assertThat(fresh.path("keyid").asText())
                    .isEqualTo(both.path("keys").get(1).path("keyid").asText());
        }
    }
}
