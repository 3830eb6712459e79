package dev.warden.server;

import static dev.warden.server.testing.Tarballs.Entry.device;
import static dev.warden.server.testing.Tarballs.Entry.file;
import static dev.warden.server.testing.Tarballs.Entry.hardlink;
import static dev.warden.server.testing.Tarballs.Entry.symlink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.server.testing.Http;
import dev.warden.server.testing.Tarballs;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Every malformed, oversized, forged or inconsistent publish is refused with a 4xx whose {@code
 * error} the npm CLI prints, and leaves the registry as it was.
 */
class PublishValidationTest {

    static TestServer server;
    static Http http;
    static String token;

    @BeforeAll
    static void start() throws Exception {
        server =
                TestServer.start(
                        Map.of(
                                "server.max_body_bytes", "2000000",
                                "limits.max_unpacked_bytes", "4000000",
                                "limits.ratio_floor_bytes", "100000",
                                "limits.max_ratio", "50"));
        http = server.http();
        token = server.token("alice");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    /**
     * Publishes {@code body} for {@code name}, expects {@code status} and an error containing
     * {@code message}, and that nothing changed.
     */
    private static void refused(String name, Object body, int status, String message)
            throws Exception {
        Http.Result before = http.get(Tarballs.path(name));
        Http.Result r = http.put(Tarballs.path(name), token, body);
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.error()).containsIgnoringCase(message);
        Http.Result after = http.get(Tarballs.path(name));
        assertThat(after.status()).isEqualTo(before.status());
        assertThat(after.body()).isEqualTo(before.body());
    }

    private static ObjectNode withTarball(ObjectNode manifest, byte[] tgz) {
        return Tarballs.publishBody(manifest, tgz);
    }

    @Test
    void honestPublishSucceeds() throws Exception {
        Http.Result r = http.put("/ok-pkg", token, Tarballs.publishBody("ok-pkg", "1.0.0"));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(http.get("/ok-pkg").json().path("versions").has("1.0.0")).isTrue();
    }

    @Test
    void invalidNamesAreRefused() throws Exception {
        for (String name :
                List.of(
                        "Upper-Case",
                        ".dot",
                        "_under",
                        "has space",
                        "fs",
                        "node_modules",
                        "bad(name)",
                        "a".repeat(215))) {
            ObjectNode body = Tarballs.publishBody(name, "1.0.0");
            Http.Result r =
                    http.put(
                            "/"
                                    + java.net.URLEncoder.encode(name, StandardCharsets.UTF_8)
                                            .replace("+", "%20"),
                            token,
                            body);
            assertThat(r.status()).as(name + ": " + r.body()).isEqualTo(400);
            assertThat(r.error()).contains("invalid package name");
        }
    }

    @Test
    void invalidSemverIsRefused() throws Exception {
        for (String v : List.of("1.0", "v1.0.0", "01.0.0", "1.0.0.0", "latest")) {
            refused("semver-pkg", Tarballs.publishBody("semver-pkg", v), 400, "invalid version");
        }
    }

    @Test
    void existingVersionIsAConflict() throws Exception {
        assertThat(http.put("/dup-pkg", token, Tarballs.publishBody("dup-pkg", "1.0.0")).status())
                .isEqualTo(200);
        refused(
                "dup-pkg",
                Tarballs.publishBody("dup-pkg", "1.0.0"),
                409,
                "previously published version 1.0.0");
    }

    @Test
    void malformedJsonIsRefused() throws Exception {
        Http.Result r =
                http.putRaw(
                        "/json-pkg",
                        token,
                        "{\"name\": \"json-pkg\", ".getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.error()).contains("not valid JSON");
        r = http.putRaw("/json-pkg", token, "[1,2]".getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.error()).contains("JSON object");
        assertThat(http.get("/json-pkg").status()).isEqualTo(404);
    }

    @Test
    void oversizedBodyIsRefused() throws Exception {
        byte[] big = new byte[2_100_000];
        java.util.Arrays.fill(big, (byte) ' ');
        big[0] = '{';
        big[big.length - 1] = '}';
        Http.Result r = http.putRaw("/big-pkg", token, big);
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.error()).contains("larger than");
        assertThat(http.get("/big-pkg").status()).isEqualTo(404);
    }

    @Test
    void nonGzipTarballIsRefused() throws Exception {
        ObjectNode m = Tarballs.manifest("plain-pkg", "1.0.0");
        refused(
                "plain-pkg",
                withTarball(m, "just some text, not gzip".getBytes(StandardCharsets.UTF_8)),
                400,
                "not gzip");
        // gzip of something that is not a tar archive
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(
                    "not a tar archive at all, just text"
                            .repeat(40)
                            .getBytes(StandardCharsets.UTF_8));
        }
        refused("plain-pkg", withTarball(m, out.toByteArray()), 400, "tar");
        // truncated gzip stream
        byte[] good = Tarballs.packageTgz(m);
        refused(
                "plain-pkg",
                withTarball(m, java.util.Arrays.copyOf(good, good.length / 2)),
                400,
                "tarball");
    }

    @Test
    void unsafeEntriesAreRefused() throws Exception {
        ObjectNode m = Tarballs.manifest("unsafe-pkg", "1.0.0");
        refused(
                "unsafe-pkg",
                withTarball(m, Tarballs.packageTgz(m, file("package/../../etc/passwd", "x"))),
                400,
                "'..'");
        refused(
                "unsafe-pkg",
                withTarball(m, Tarballs.packageTgz(m, file("/etc/cron.d/evil", "x"))),
                400,
                "absolute path");
        refused(
                "unsafe-pkg",
                withTarball(m, Tarballs.packageTgz(m, symlink("package/link", "/etc/passwd"))),
                400,
                "link");
        refused(
                "unsafe-pkg",
                withTarball(
                        m, Tarballs.packageTgz(m, hardlink("package/hard", "package/index.js"))),
                400,
                "link");
        refused(
                "unsafe-pkg",
                withTarball(m, Tarballs.packageTgz(m, device("package/dev"))),
                400,
                "device");
        refused(
                "unsafe-pkg",
                withTarball(m, Tarballs.packageTgz(m, file("package/package.json", "{}"))),
                400,
                "twice");
    }

    @Test
    void decompressionBombsAreRefused() throws Exception {
        ObjectNode m = Tarballs.manifest("bomb-pkg", "1.0.0");
        // 3 MB of zeros compresses about 1000:1, past the 50:1 ratio allowed above 100 kB.
        refused(
                "bomb-pkg",
                withTarball(m, Tarballs.packageTgz(m, file("package/zeros", new byte[3_000_000]))),
                400,
                "ratio");
        // Four letters at random compress about 4:1, under the ratio limit, yet unpack past the 4
        // MB limit
        // while the request stays under the 2 MB body limit.
        byte[] letters = new byte[4_500_000];
        java.util.Random random = new java.util.Random(1);
        for (int i = 0; i < letters.length; i++) {
            letters[i] = (byte) ('a' + random.nextInt(4));
        }
        ObjectNode big = Tarballs.manifest("bomb-pkg", "1.0.1");
        Http.Result r =
                http.put(
                        "/bomb-pkg",
                        token,
                        withTarball(
                                big,
                                Tarballs.packageTgz(big, file("package/letters.txt", letters))));
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.error()).contains("unpacks to more than");
        assertThat(http.get("/bomb-pkg").status()).isEqualTo(404);
    }

    @Test
    void forgedIntegrityIsRefused() throws Exception {
        ObjectNode body = Tarballs.publishBody("forged-pkg", "1.0.0");
        ObjectNode dist = (ObjectNode) body.path("versions").path("1.0.0").path("dist");
        dist.put("integrity", "sha512-" + Base64.getEncoder().encodeToString(new byte[64]));
        refused("forged-pkg", body, 400, "integrity mismatch");

        body = Tarballs.publishBody("forged-pkg", "1.0.0");
        ((ObjectNode) body.path("versions").path("1.0.0").path("dist"))
                .put("shasum", "0".repeat(40));
        refused("forged-pkg", body, 400, "shasum mismatch");

        body = Tarballs.publishBody("forged-pkg", "1.0.0");
        ((ObjectNode) body.path("_attachments").path("forged-pkg-1.0.0.tgz")).put("length", 3);
        refused("forged-pkg", body, 400, "length");

        body = Tarballs.publishBody("forged-pkg", "1.0.0");
        ((ObjectNode) body.path("_attachments").path("forged-pkg-1.0.0.tgz"))
                .put("data", "!!!not base64!!!");
        refused("forged-pkg", body, 400, "base64");
    }

    @Test
    void tarballMustBeThePackageBeingPublished() throws Exception {
        ObjectNode inside = Tarballs.manifest("other-pkg", "1.0.0");
        ObjectNode claimed = Tarballs.manifest("mismatch-pkg", "1.0.0");
        refused(
                "mismatch-pkg",
                withTarball(claimed, Tarballs.packageTgz(inside)),
                400,
                "package.json in the tarball says other-pkg@1.0.0");
        ObjectNode otherVersion = Tarballs.manifest("mismatch-pkg", "2.0.0");
        refused(
                "mismatch-pkg",
                withTarball(claimed, Tarballs.packageTgz(otherVersion)),
                400,
                "mismatch-pkg@2.0.0");
        refused(
                "mismatch-pkg",
                withTarball(claimed, Tarballs.tgz(List.of(file("package/index.js", "x")))),
                400,
                "no package.json in its package folder \"package/\"");
    }

    @Test
    void urlAndBodyMustAgree() throws Exception {
        refused(
                "url-pkg",
                Tarballs.publishBody("body-pkg", "1.0.0"),
                400,
                "does not match the URL");
        ObjectNode two = Tarballs.publishBody("url-pkg", "1.0.0");
        ((ObjectNode) two.path("versions"))
                .set("1.0.1", two.path("versions").path("1.0.0").deepCopy());
        refused("url-pkg", two, 400, "exactly one version");
        ObjectNode noAttachment = Tarballs.publishBody("url-pkg", "1.0.0");
        ((ObjectNode) noAttachment.path("_attachments")).removeAll();
        Http.Result r = http.put("/url-pkg", token, noAttachment);
        assertThat(r.status()).isEqualTo(404);
        ObjectNode wrongKey = Tarballs.publishBody("url-pkg", "1.0.0");
        ObjectNode att = (ObjectNode) wrongKey.path("_attachments");
        att.set("evil-9.9.9.tgz", att.remove("url-pkg-1.0.0.tgz"));
        refused("url-pkg", wrongKey, 400, "attachment must be named url-pkg-1.0.0.tgz");
    }

    @Test
    void anonymousAndReadOnlyCallersCannotPublish() throws Exception {
        Http.Result r = http.put("/anon-pkg", null, Tarballs.publishBody("anon-pkg", "1.0.0"));
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.error()).contains("logged in");
        r =
                http.put(
                        "/anon-pkg",
                        "wdn_notarealtokenatallxxxxxxxxxxxxxxxxx",
                        Tarballs.publishBody("anon-pkg", "1.0.0"));
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(http.get("/anon-pkg").status()).isEqualTo(404);
    }

    @Test
    void onlyMaintainersPublishNewVersions() throws Exception {
        assertThat(
                        http.put("/owned-pkg", token, Tarballs.publishBody("owned-pkg", "1.0.0"))
                                .status())
                .isEqualTo(200);
        String mallory = server.token("mallory");
        Http.Result r = http.put("/owned-pkg", mallory, Tarballs.publishBody("owned-pkg", "1.0.1"));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.error()).contains("not a maintainer");
        assertThat(http.get("/owned-pkg").json().path("versions").has("1.0.1")).isFalse();
    }

    @Test
    void scopesBelongToTheirUser() throws Exception {
        String bob = server.token("bob");
        assertThat(
                        http.put(
                                        Tarballs.path("@bob/tool"),
                                        bob,
                                        Tarballs.publishBody("@bob/tool", "1.0.0"))
                                .status())
                .isEqualTo(200);
        Http.Result r =
                http.put(
                        Tarballs.path("@bob/other"),
                        token,
                        Tarballs.publishBody("@bob/other", "1.0.0"));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.error()).contains("scope @bob");
    }

    @Test
    void badDistTagsAreRefused() throws Exception {
        ObjectNode body = Tarballs.publishBody("tag-pkg", "1.0.0");
        ((ObjectNode) body.path("dist-tags")).put("latest", "9.9.9");
        refused("tag-pkg", body, 400, "must point to the version being published");
        body = Tarballs.publishBody("tag-pkg", "1.0.0");
        ((ObjectNode) body.path("dist-tags")).removeAll().put("1.0.0", "1.0.0");
        refused("tag-pkg", body, 400, "dist-tag");
    }
}
