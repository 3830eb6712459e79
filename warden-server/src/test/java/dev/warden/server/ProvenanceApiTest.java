package dev.warden.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.provenance.testing.TestSigstore;
import dev.warden.provenance.testing.TestSigstore.Build;
import dev.warden.server.testing.Authenticator;
import dev.warden.server.testing.Http;
import dev.warden.server.testing.Tarballs;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Provenance at publish: a {@code <name>-<version>.sigstore} attachment is verified completely
 * (against the instance's own trusted root) before the version goes live, refused with the reason
 * when anything does not match, held for a maintainer when it breaks the package's line of builds,
 * and served as npm's attestations.
 */
class ProvenanceApiTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final TestSigstore SIGSTORE = new TestSigstore("ci");

    @TempDir static Path dir;
    static TestServer server;

    /**
     * Moves on by itself for each one-time password, so none is reused and no test waits for the
     * next 30 s step.
     */
    static final dev.warden.server.testing.MovableClock clock =
            new dev.warden.server.testing.MovableClock();

    static Http http;
    static final Map<String, String> tokens = new HashMap<>();

    /** The bundle last attached for each name@version. */
    static final Map<String, String> SENT = new java.util.concurrent.ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        Path root = dir.resolve("trusted_root.json");
        Files.writeString(root, SIGSTORE.trustedRoot());
        server =
                TestServer.start(
                        Map.of(
                                "provenance.trusted_roots",
                                JSON.writeValueAsString(List.of(root.toString()))),
                        clock);
        http = server.http();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static String token(String user) throws Exception {
        String t = tokens.get(user);
        if (t == null) {
            t = server.token(user);
            tokens.put(user, t);
        }
        return t;
    }

    record Release(ObjectNode body, byte[] tarball) {}

    /** A publish document for {@code pkg@version} whose package.json names {@code repository}. */
    static Release release(String pkg, String version, String repository) {
        ObjectNode m = Tarballs.manifest(pkg, version);
        if (repository != null) {
            m.putObject("repository")
                    .put("type", "git")
                    .put("url", "git+https://github.com/" + repository + ".git");
        }
        byte[] tgz = Tarballs.packageTgz(m);
        return new Release(Tarballs.publishBody(m, tgz), tgz);
    }

    /** Attaches a bundle as npm publish --provenance does: the bundle's JSON itself as the data. */
    static ObjectNode withBundle(Release r, String pkg, String version, JsonNode bundle) {
        String text = bundle.toString();
        SENT.put(pkg + "@" + version, text);
        ObjectNode att =
                r.body()
                        .withObjectProperty("_attachments")
                        .putObject(pkg + "-" + version + ".sigstore");
        att.put("content_type", "application/vnd.dev.sigstore.bundle.v0.3+json");
        att.put("data", text);
        att.put("length", text.length());
        return r.body();
    }

    static Http.Result publish(String user, String pkg, ObjectNode body) throws Exception {
        return http.put(Tarballs.path(pkg), token(user), body);
    }

    static ObjectNode provenanced(String pkg, String version, Build build, String packageJsonRepo) {
        Release r = release(pkg, version, packageJsonRepo);
        return withBundle(r, pkg, version, SIGSTORE.provenance(pkg, version, r.tarball(), build));
    }

    static boolean live(String pkg, String version) throws Exception {
        Http.Result r = http.get(Tarballs.path(pkg));
        return r.status() == 200 && r.json().path("versions").has(version);
    }

    @Test
    void a_release_with_verified_provenance_goes_live_with_its_attestations() throws Exception {
        Build build = Build.github("octo-org/prov-ok");
        Http.Result r =
                publish(
                        "pa",
                        "prov-ok",
                        provenanced("prov-ok", "1.0.0", build, "octo-org/prov-ok"));
        assertThat(r.status()).as(r.body()).isEqualTo(200);

        JsonNode dist = http.get("/prov-ok").json().path("versions").path("1.0.0").path("dist");
        assertThat(dist.path("attestations").path("url").asText())
                .isEqualTo(server.url() + "/-/npm/v1/attestations/prov-ok@1.0.0");
        assertThat(dist.path("attestations").path("provenance").path("predicateType").asText())
                .isEqualTo("https://slsa.dev/provenance/v1");
        JsonNode abbreviated = http.get("/prov-ok", null, Tarballs.abbreviatedAccept()).json();
        assertThat(
                        abbreviated
                                .path("versions")
                                .path("1.0.0")
                                .path("dist")
                                .path("attestations")
                                .path("url")
                                .asText())
                .endsWith("/-/npm/v1/attestations/prov-ok@1.0.0");

        JsonNode attestations =
                http.get("/-/npm/v1/attestations/prov-ok@1.0.0").json().path("attestations");
        assertThat(attestations).hasSize(2);
        JsonNode publishAttestation = attestations.get(0);
        JsonNode slsa = attestations.get(1);
        assertThat(slsa.path("predicateType").asText()).isEqualTo("https://slsa.dev/provenance/v1");
        // the bundle is kept whole: the predicate and every byte of the envelope are what was
        // published
        JsonNode sent = JSON.readTree(publishBundleOf("prov-ok", "1.0.0"));
        assertThat(slsa.path("bundle")).isEqualTo(sent);

        // npm's publish attestation, signed with a key /-/npm/v1/keys lists
        assertThat(publishAttestation.path("predicateType").asText())
                .isEqualTo("https://github.com/npm/attestation/tree/main/specs/publish/v0.1");
        JsonNode env = publishAttestation.path("bundle").path("dsseEnvelope");
        byte[] payload = Base64.getDecoder().decode(env.path("payload").asText());
        JsonNode statement = JSON.readTree(payload);
        assertThat(statement.path("subject").get(0).path("name").asText())
                .isEqualTo("pkg:npm/prov-ok@1.0.0");
        assertThat(statement.path("predicate").path("name").asText()).isEqualTo("prov-ok");
        String keyid =
                publishAttestation
                        .path("bundle")
                        .path("verificationMaterial")
                        .path("publicKey")
                        .path("hint")
                        .asText();
        JsonNode key = null;
        for (JsonNode k : http.get("/-/npm/v1/keys").json().path("keys")) {
            if (k.path("keyid").asText().equals(keyid)) {
                key = k;
            }
        }
        assertThat(key).as("publish attestation key %s is listed", keyid).isNotNull();
        String type = env.path("payloadType").asText();
        byte[] pae =
                ("DSSEv1 "
                                + type.length()
                                + " "
                                + type
                                + " "
                                + payload.length
                                + " "
                                + new String(payload, StandardCharsets.UTF_8))
                        .getBytes(StandardCharsets.UTF_8);
        Signature verify = Signature.getInstance("SHA256withECDSA");
        verify.initVerify(
                KeyFactory.getInstance("EC")
                        .generatePublic(
                                new X509EncodedKeySpec(
                                        Base64.getDecoder().decode(key.path("key").asText()))));
        verify.update(pae);
        assertThat(
                        verify.verify(
                                Base64.getDecoder()
                                        .decode(
                                                env.path("signatures")
                                                        .get(0)
                                                        .path("sig")
                                                        .asText())))
                .isTrue();

        assertThat(http.get("/-/npm/v1/attestations/prov-ok@9.9.9").status()).isEqualTo(404);
        assertThat(http.get("/-/npm/v1/attestations/prov-ok").status()).isEqualTo(400);
        // a version without provenance has no attestations and no dist.attestations
        assertThat(publish("pa", "plain-pkg", release("plain-pkg", "1.0.0", null).body()).status())
                .isEqualTo(200);
        assertThat(
                        http.get("/plain-pkg")
                                .json()
                                .path("versions")
                                .path("1.0.0")
                                .path("dist")
                                .has("attestations"))
                .isFalse();
        assertThat(http.get("/-/npm/v1/attestations/plain-pkg@1.0.0").status()).isEqualTo(404);

        // the package page shows where the release came from
        String page = http.get("/-/web/package/prov-ok").body();
        assertThat(page)
                .contains("https://github.com/octo-org/prov-ok")
                .contains(build.commit())
                .contains(".github/workflows/release.yml")
                .contains("/actions/runs/4242/attempts/1");
    }

    private static String publishBundleOf(String pkg, String version) {
        return SENT.get(pkg + "@" + version);
    }

    @Test
    void scoped_packages_have_attestations_at_their_purl_path() throws Exception {
        Build build = Build.github("octo-org/scoped");
        Http.Result r =
                publish(
                        "pa",
                        "@octo/scoped",
                        provenanced("@octo/scoped", "2.0.0", build, "octo-org/scoped"));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode a =
                http.get("/-/npm/v1/attestations/@octo/scoped@2.0.0").json().path("attestations");
        JsonNode statement =
                JSON.readTree(
                        Base64.getDecoder()
                                .decode(
                                        a.get(1)
                                                .path("bundle")
                                                .path("dsseEnvelope")
                                                .path("payload")
                                                .asText()));
        assertThat(statement.path("subject").get(0).path("name").asText())
                .isEqualTo("pkg:npm/%40octo/scoped@2.0.0");
        // the name escaped as npm escapes it in other paths
        assertThat(
                        http.get("/-/npm/v1/attestations/@octo%2fscoped@2.0.0")
                                .json()
                                .path("attestations"))
                .isEqualTo(a);
        assertThat(
                        http.get("/-/npm/v1/attestations/%40octo%2Fscoped@2.0.0")
                                .json()
                                .path("attestations"))
                .isEqualTo(a);
    }

    @Test
    void provenance_that_does_not_match_is_refused_with_the_reason_and_changes_nothing()
            throws Exception {
        String pkg = "prov-bad";
        Build build = Build.github("octo-org/prov-bad");
        Release r = release(pkg, "1.0.0", "octo-org/prov-bad");
        Release other = release("someone-else", "1.0.0", "octo-org/prov-bad");
        Release otherVersion = release(pkg, "1.0.1", "octo-org/prov-bad");

        Map<String, ObjectNode> cases = new java.util.LinkedHashMap<>();
        cases.put(
                "provenance subject is pkg:npm/someone-else@1.0.0, expected pkg:npm/prov-bad@1.0.0",
                SIGSTORE.provenance("someone-else", "1.0.0", r.tarball(), build));
        cases.put(
                "provenance subject digest does not match the tarball's sha512",
                SIGSTORE.provenance(pkg, "1.0.0", other.tarball(), build));
        cases.put(
                "provenance subject is pkg:npm/prov-bad@1.0.1, expected pkg:npm/prov-bad@1.0.0",
                SIGSTORE.provenance(pkg, "1.0.1", otherVersion.tarball(), build));
        cases.put(
                "package.json \"repository.url\" is git+https://github.com/octo-org/prov-bad.git,"
                        + " expected to match https://github.com/evil/fork",
                SIGSTORE.provenance(pkg, "1.0.0", r.tarball(), build.withRepository("evil/fork")));
        cases.put(
                "signing certificate was not issued by a certificate authority of the trusted root",
                SIGSTORE.withAnotherCa("rogue").provenance(pkg, "1.0.0", r.tarball(), build));
        cases.put(
                "is from a transparency log the trusted root does not list",
                new TestSigstore("elsewhere").provenance(pkg, "1.0.0", r.tarball(), build));

        ObjectNode tampered = SIGSTORE.provenance(pkg, "1.0.0", r.tarball(), build);
        ObjectNode statement =
                (ObjectNode)
                        JSON.readTree(
                                Base64.getDecoder()
                                        .decode(
                                                tampered.path("dsseEnvelope")
                                                        .path("payload")
                                                        .asText()));
        ((ObjectNode) statement.path("predicate").path("runDetails").path("builder"))
                .put("id", "https://evil.example/runner");
        ((ObjectNode) tampered.path("dsseEnvelope"))
                .put(
                        "payload",
                        Base64.getEncoder().encodeToString(JSON.writeValueAsBytes(statement)));
        cases.put("DSSE envelope signature does not verify with the certificate's key", tampered);

        ObjectNode badCheckpoint = SIGSTORE.provenance(pkg, "1.0.0", r.tarball(), build);
        ObjectNode checkpoint =
                (ObjectNode)
                        badCheckpoint
                                .path("verificationMaterial")
                                .path("tlogEntries")
                                .get(0)
                                .path("inclusionProof")
                                .path("checkpoint");
        checkpoint.put(
                "envelope", checkpoint.path("envelope").asText().replaceFirst("\n1\n", "\n2\n"));
        cases.put("inclusion proof does not match the checkpoint", badCheckpoint);

        Release withoutRepo = release(pkg, "1.0.0", null);
        ObjectNode noRepo = SIGSTORE.provenance(pkg, "1.0.0", withoutRepo.tarball(), build);
        for (Map.Entry<String, ObjectNode> c : cases.entrySet()) {
            Http.Result res = publish("pb", pkg, withBundle(r, pkg, "1.0.0", c.getValue()));
            assertThat(res.status()).as(c.getKey() + ": " + res.body()).isEqualTo(400);
            assertThat(res.error())
                    .as(c.getKey())
                    .contains("provenance of prov-bad@1.0.0 does not verify")
                    .contains(c.getKey());
        }
        Http.Result missingRepo = publish("pb", pkg, withBundle(withoutRepo, pkg, "1.0.0", noRepo));
        assertThat(missingRepo.status()).isEqualTo(400);
        assertThat(missingRepo.error()).contains("package.json \"repository.url\" is empty");

        // malformed and oversized attachments
        ObjectNode garbage = release(pkg, "1.0.0", "octo-org/prov-bad").body();
        garbage.withObjectProperty("_attachments")
                .putObject(pkg + "-1.0.0.sigstore")
                .put("data", "{not json");
        assertThat(publish("pb", pkg, garbage).error())
                .contains("not valid JSON of the Sigstore Bundle type");
        ObjectNode notBase64 = release(pkg, "1.0.0", "octo-org/prov-bad").body();
        notBase64
                .withObjectProperty("_attachments")
                .putObject(pkg + "-1.0.0.sigstore")
                .put("data", "%%%");
        assertThat(publish("pb", pkg, notBase64).status()).isEqualTo(400);
        ObjectNode empty = release(pkg, "1.0.0", "octo-org/prov-bad").body();
        empty.withObjectProperty("_attachments").putObject(pkg + "-1.0.0.sigstore");
        assertThat(publish("pb", pkg, empty).error()).contains("has no \"data\"");
        ObjectNode huge = release(pkg, "1.0.0", "octo-org/prov-bad").body();
        huge.withObjectProperty("_attachments")
                .putObject(pkg + "-1.0.0.sigstore")
                .put("data", "{" + " ".repeat(300_000) + "}");
        assertThat(publish("pb", pkg, huge).status()).isEqualTo(413);
        ObjectNode keyBundle = SIGSTORE.provenance(pkg, "1.0.0", r.tarball(), build);
        keyBundle.put("mediaType", "application/vnd.dev.sigstore.bundle+json;version=9.9");
        assertThat(publish("pb", pkg, withBundle(r, pkg, "1.0.0", keyBundle)).error())
                .contains("is not a supported version");

        assertThat(http.get("/" + pkg).status()).isEqualTo(404);
        // and the same release with the right bundle goes live
        assertThat(
                        publish(
                                        "pb",
                                        pkg,
                                        withBundle(
                                                r,
                                                pkg,
                                                "1.0.0",
                                                SIGSTORE.provenance(
                                                        pkg, "1.0.0", r.tarball(), build)))
                                .status())
                .isEqualTo(200);
    }

    @Test
    void provenance_must_come_from_the_packages_trusted_publisher() throws Exception {
        String pkg = "prov-trusted";
        assertThat(
                        publish("pt", pkg, release(pkg, "1.0.0", "octo-org/prov-trusted").body())
                                .status())
                .isEqualTo(200);
        Authenticator app = server.enableTwoFactor("pt", token("pt"), "auth-only", clock);
        Object config =
                List.of(
                        Map.of(
                                "type",
                                "github",
                                "claims",
                                Map.of(
                                        "repository",
                                        "octo-org/prov-trusted",
                                        "workflow_ref",
                                        Map.of("file", "release.yml")),
                                "permissions",
                                List.of("createPackage")));
        Http.Result trust =
                http.send(
                        "POST",
                        "/-/package/" + pkg + "/trust",
                        token("pt"),
                        JSON.writeValueAsBytes(config),
                        Map.of("Content-Type", "application/json", "npm-otp", app.next()));
        assertThat(trust.status()).as(trust.body()).isEqualTo(201);

        // the repository in package.json and the certificate agree, but it is not the trusted
        // publisher's
        Http.Result fork =
                publish(
                        "pt",
                        pkg,
                        provenanced(pkg, "1.1.0", Build.github("octo-org/fork"), "octo-org/fork"));
        assertThat(fork.status()).as(fork.body()).isEqualTo(400);
        assertThat(fork.error())
                .contains(
                        "provenance source repository is https://github.com/octo-org/fork, but the"
                                + " package's trusted publisher is octo-org/prov-trusted");
        Http.Result gitlab =
                publish(
                        "pt",
                        pkg,
                        provenanced(
                                pkg,
                                "1.1.0",
                                Build.github("octo-org/prov-trusted")
                                        .withIssuer("https://gitlab.com"),
                                "octo-org/prov-trusted"));
        assertThat(gitlab.error())
                .contains(
                        "signed by OIDC issuer https://gitlab.com, but the package's trusted"
                                + " publisher is github");
        assertThat(live(pkg, "1.1.0")).isFalse();
        Http.Result ok =
                publish(
                        "pt",
                        pkg,
                        provenanced(
                                pkg,
                                "1.1.0",
                                Build.github("octo-org/prov-trusted"),
                                "octo-org/prov-trusted"));
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(live(pkg, "1.1.0")).isTrue();
    }

    @Test
    void a_release_that_breaks_the_line_of_builds_waits_for_a_maintainer_with_two_factor()
            throws Exception {
        String pkg = "prov-line";
        Build build = Build.github("octo-org/prov-line");
        assertThat(
                        publish("pl", pkg, provenanced(pkg, "1.0.0", build, "octo-org/prov-line"))
                                .status())
                .isEqualTo(200);
        // the same build again: live at once
        assertThat(
                        publish("pl", pkg, provenanced(pkg, "1.0.1", build, "octo-org/prov-line"))
                                .status())
                .isEqualTo(200);
        assertThat(live(pkg, "1.0.1")).isTrue();
        Authenticator app = server.enableTwoFactor("pl", token("pl"), "auth-only", clock);

        record Break(String version, ObjectNode body, String reason) {}
        List<Break> breaks =
                List.of(
                        new Break(
                                "1.0.2",
                                release(pkg, "1.0.2", "octo-org/prov-line").body(),
                                "it has no provenance, but prov-line publishes with provenance"
                                        + " (1.0.1 was built from"
                                        + " https://github.com/octo-org/prov-line"),
                        new Break(
                                "1.0.3",
                                provenanced(
                                        pkg,
                                        "1.0.3",
                                        build.withWorkflow(".github/workflows/sneaky.yml"),
                                        "octo-org/prov-line"),
                                "workflow"
                                    + " https://github.com/octo-org/prov-line/.github/workflows/release.yml"
                                    + " -> https://github.com/octo-org/prov-line/.github/workflows/sneaky.yml"),
                        new Break(
                                "1.0.4",
                                provenanced(
                                        pkg,
                                        "1.0.4",
                                        build.withRepository("octo-org/prov-line-fork"),
                                        "octo-org/prov-line-fork"),
                                "source repository https://github.com/octo-org/prov-line ->"
                                        + " https://github.com/octo-org/prov-line-fork"),
                        new Break(
                                "1.0.5",
                                provenanced(
                                        pkg,
                                        "1.0.5",
                                        build.withRunner(
                                                "https://github.com/actions/runner/self-hosted",
                                                "self-hosted"),
                                        "octo-org/prov-line"),
                                "runner environment github-hosted -> self-hosted"));
        for (Break b : breaks) {
            Http.Result r = publish("pl", pkg, b.body());
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.header("npm-notice"))
                    .contains("is held for maintainer approval")
                    .contains(b.reason());
            String id = r.json().path("stageId").asText();
            assertThat(live(pkg, b.version())).isFalse();
            JsonNode view = http.send("GET", "/-/stage/" + id, token("pl"), null, Map.of()).json();
            assertThat(view.path("heldBecause").asText()).contains(b.reason());
            // approving needs a fresh second factor
            assertThat(
                            http.send(
                                            "POST",
                                            "/-/stage/" + id + "/approve",
                                            token("pl"),
                                            null,
                                            Map.of())
                                    .status())
                    .isEqualTo(401);
            Http.Result approved =
                    http.send(
                            "POST",
                            "/-/stage/" + id + "/approve",
                            token("pl"),
                            null,
                            Map.of("npm-otp", app.next()));
            assertThat(approved.status()).as(approved.body()).isEqualTo(200);
            assertThat(live(pkg, b.version())).isTrue();
        }
        // a reviewed change of build becomes the line later releases are compared with
        assertThat(
                        publish(
                                        "pl",
                                        pkg,
                                        provenanced(
                                                pkg,
                                                "1.0.6",
                                                build.withRunner(
                                                        "https://github.com/actions/runner/self-hosted",
                                                        "self-hosted"),
                                                "octo-org/prov-line"))
                                .header("npm-notice"))
                // nothing about a hold: the only notice is the publisher's posture nudge
                .startsWith("warden: next security step")
                .doesNotContain("held");
        assertThat(live(pkg, "1.0.6")).isTrue();
    }
}
