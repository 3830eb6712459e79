package dev.warden.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.server.testing.Http;
import dev.warden.server.testing.Tarballs;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** What an attacker with an account, or without one, tries: each is refused and changes nothing. */
class AbuseTest {

    static TestServer server;
    static Http http;
    static String alice;
    static String mallory;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        http = server.http();
        alice = server.token("alice");
        mallory = server.token("mallory");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static long blobCount() throws Exception {
        try (Stream<Path> files = Files.walk(server.data().resolve("blobs"))) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void aScopeStaysWithItsHolder() throws Exception {
        assertThat(
                        http.put(
                                        "/@acme%2fcore",
                                        alice, Tarballs.publishBody("@acme/core", "1.0.0"))
                                .status())
                .isEqualTo(200);
        // registering the scope's name as a user does not open the scope
        Http.Result squat =
                http.put(
                        "/-/user/org.couchdb.user:acme",
                        null,
                        Map.of(
                                "name",
                                "acme",
                                "password",
                                "squatting-password",
                                "email",
                                "acme@example.com"));
        assertThat(squat.status()).isEqualTo(409);
        assertThat(squat.error()).contains("scope held by another account");
        // nor does unpublishing everything in it
        String rev = http.get("/@acme%2fcore?write=true").json().path("_rev").asText();
        assertThat(http.delete("/@acme%2fcore/-rev/" + rev, alice).status()).isEqualTo(200);
        Http.Result takeover =
                http.put("/@acme%2fother", mallory, Tarballs.publishBody("@acme/other", "1.0.0"));
        assertThat(takeover.status()).isEqualTo(403);
        assertThat(takeover.error()).contains("belongs to another account");
        // and someone else's user scope is closed from the start
        assertThat(
                        http.put("/@alice%2fx", mallory, Tarballs.publishBody("@alice/x", "1.0.0"))
                                .status())
                .isEqualTo(403);
    }

    @Test
    void refusedPublishesWriteNoBytes() throws Exception {
        assertThat(http.put("/blob-pkg", alice, Tarballs.publishBody("blob-pkg", "1.0.0")).status())
                .isEqualTo(200);
        long before = blobCount();
        ObjectNode m = Tarballs.manifest("blob-pkg", "1.0.0");
        m.put("description", "other bytes, same version");
        assertThat(
                        http.put(
                                        "/blob-pkg",
                                        alice,
                                        Tarballs.publishBody(m, Tarballs.packageTgz(m)))
                                .status())
                .isEqualTo(409);
        ObjectNode n = Tarballs.manifest("blob-pkg", "1.0.1");
        assertThat(
                        http.put(
                                        "/blob-pkg",
                                        mallory,
                                        Tarballs.publishBody(n, Tarballs.packageTgz(n)))
                                .status())
                .isEqualTo(403);
        assertThat(blobCount()).isEqualTo(before);
    }

    @Test
    void headerBombsAreRefused() throws Exception {
        ObjectNode m = Tarballs.manifest("pax-bomb", "1.0.0");
        // A GNU long-name record ('L') whose "name" is 3 MB: read while parsing the next header.
        byte[] name = "a".repeat(3_000_000).getBytes(StandardCharsets.US_ASCII);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(out)) {
            gz.write(gnuHeader("././@LongLink", name.length, (byte) 'L'));
            gz.write(name);
            gz.write(new byte[(512 - name.length % 512) % 512]);
            gz.write(gnuHeader("package/x", 0, (byte) '0'));
            gz.write(new byte[1024]);
        }
        Http.Result r = http.put("/pax-bomb", alice, Tarballs.publishBody(m, out.toByteArray()));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.error()).contains("headers are larger than");
        assertThat(http.get("/pax-bomb").status()).isEqualTo(404);
    }

    /** A 512-byte GNU tar header. */
    private static byte[] gnuHeader(String name, long size, byte type) {
        byte[] h = new byte[512];
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(n, 0, h, 0, n.length);
        put(h, 100, "0000644\0");
        put(h, 108, "0000000\0");
        put(h, 116, "0000000\0");
        put(h, 124, String.format("%011o", size) + "\0");
        put(h, 136, "00000000000\0");
        h[156] = type;
        put(h, 257, "ustar  \0");
        java.util.Arrays.fill(h, 148, 156, (byte) ' ');
        int sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, String.format("%06o", sum) + "\0 ");
        return h;
    }

    private static void put(byte[] h, int at, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, at, b.length);
    }

    @Test
    void buildMetadataCannotMintANewVersion() throws Exception {
        Http.Result r =
                http.put("/build-pkg", alice, Tarballs.publishBody("build-pkg", "1.0.0+evil"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.error()).contains("build metadata");
    }

    @Test
    void restrictedPackagesAreInvisibleToOthersEverywhere() throws Exception {
        ObjectNode body = Tarballs.publishBody("@alice/private", "1.0.0");
        body.put("access", "restricted");
        assertThat(http.put("/@alice%2fprivate", alice, body).status()).isEqualTo(200);
        Http.Result own = http.get("/@alice/private/-/private-1.0.0.tgz", alice, Map.of());
        assertThat(own.status()).isEqualTo(200);
        assertThat(own.header("Cache-Control")).startsWith("private");
        assertThat(http.get("/@alice/private/-/private-1.0.0.tgz", mallory, Map.of()).status())
                .isEqualTo(404);
        ObjectNode doc =
                (ObjectNode) http.get("/@alice%2fprivate?write=true", alice, Map.of()).json();
        ObjectNode star = doc.deepCopy();
        star.putObject("users").put("mallory", true);
        assertThat(http.put("/@alice%2fprivate", mallory, star).status()).isEqualTo(404);
        assertThat(
                        http.delete("/@alice%2fprivate/-rev/" + doc.path("_rev").asText(), mallory)
                                .status())
                .isEqualTo(404);
        assertThat(http.get("/-/package/@alice%2fprivate/dist-tags", mallory, Map.of()).status())
                .isEqualTo(404);
        assertThat(http.get("/-/v1/search?text=private", mallory, Map.of()).json().path("objects"))
                .isEmpty();
        assertThat(
                        http.get("/@alice%2fprivate?write=true", alice, Map.of())
                                .json()
                                .path("_rev")
                                .asText())
                .isEqualTo(doc.path("_rev").asText());
    }

    @Test
    void aProvenanceAttachmentIsTheOnlyOtherAttachmentAndMustVerify() throws Exception {
        ObjectNode body = Tarballs.publishBody("proven-pkg", "1.0.0");
        ((ObjectNode) body.path("_attachments"))
                .putObject("proven-pkg-1.0.0.sigstore")
                .put("content_type", "application/vnd.dev.sigstore.bundle.v0.3+json")
                .put("data", "{}")
                .put("length", 2);
        Http.Result empty = http.put("/proven-pkg", alice, body);
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.error()).contains("provenance of proven-pkg@1.0.0 does not verify");
        assertThat(http.get("/proven-pkg").status()).isEqualTo(404);
        assertThat(
                        http.put("/proven-pkg", alice, Tarballs.publishBody("proven-pkg", "1.0.0"))
                                .status())
                .isEqualTo(200);
        ObjectNode extra = Tarballs.publishBody("proven-pkg", "1.0.1");
        ((ObjectNode) extra.path("_attachments")).putObject("other-9.9.9.tgz").put("data", "AA==");
        assertThat(http.put("/proven-pkg", alice, extra).status()).isEqualTo(400);
    }

    @Test
    void ordinaryTagsThatStartWithDigitsAreFine() throws Exception {
        assertThat(http.put("/lts-pkg", alice, Tarballs.publishBody("lts-pkg", "1.0.0")).status())
                .isEqualTo(200);
        for (String ok : List.of("v1-lts", "2024-lts", "next")) {
            assertThat(http.put("/-/package/lts-pkg/dist-tags/" + ok, alice, "1.0.0").status())
                    .as(ok)
                    .isEqualTo(200);
        }
        for (String bad : List.of("1.x", "v2", "1.0.0", "%5E1.2", "*")) {
            assertThat(http.put("/-/package/lts-pkg/dist-tags/" + bad, alice, "1.0.0").status())
                    .as(bad)
                    .isEqualTo(400);
        }
    }

    @Test
    void loginAndLogoutEdgeCases() throws Exception {
        String token = server.token("edgy");
        assertThat(http.delete("/-/user/token/" + token, token).status()).isEqualTo(200);
        // npm logs out with a token that is already dead: still 200, so it clears its config
        assertThat(http.delete("/-/user/token/" + token, token).status()).isEqualTo(200);
        Http.Result wrong =
                http.put(
                        "/-/user/org.couchdb.user:edgy",
                        token,
                        Map.of(
                                "name",
                                "edgy",
                                "password",
                                "not-the-password",
                                "email",
                                "edgy@example.com"));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.header("WWW-Authenticate")).isNull();
        byte[] huge =
                ("{\"name\":\"edgy\",\"password\":\"" + "x".repeat(100_000) + "\"}")
                        .getBytes(StandardCharsets.UTF_8);
        assertThat(http.putRaw("/-/user/org.couchdb.user:edgy", null, huge).status())
                .isEqualTo(413);
    }

    @Test
    void auditBodiesAreCheckedWithoutBuildingThem() throws Exception {
        for (String bad :
                List.of(
                        "{\"a\":\"1.0.0\"}",
                        "{\"a\":[1]}",
                        "{\"a\":[[]]}",
                        "{} {}",
                        "[[],[],[]]")) {
            assertThat(
                            http.post(
                                            "/-/npm/v1/security/advisories/bulk",
                                            null,
                                            bad.getBytes(StandardCharsets.UTF_8),
                                            Map.of())
                                    .status())
                    .as(bad)
                    .isEqualTo(400);
        }
        assertThat(
                        http.post(
                                        "/-/npm/v1/security/advisories/bulk",
                                        null,
                                        "{\"a\":[\"1.0.0\",\"2.0.0\"],\"b\":[]}".getBytes(),
                                        Map.of())
                                .status())
                .isEqualTo(200);
    }
}
