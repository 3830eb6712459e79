package dev.warden.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.provenance.sigstore.BundleVerifier;
import dev.warden.provenance.sigstore.TrustRoot;
import dev.warden.server.testing.TestOidcIssuer;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The unmodified npm CLI publishes with provenance from an emulated GitHub Actions job, signing
 * with Warden's own Sigstore: sigstore-js calls the public Fulcio and Rekor host names, which an
 * intercepting HTTPS proxy (honoured through {@code HTTPS_PROXY}, trusted through {@code
 * NODE_EXTRA_CA_CERTS}) sends to Warden; Warden then verifies the bundle it helped make before the
 * version goes live.
 */
class ProvenancePublishTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static TestOidcIssuer issuer;
    static TestServer server;
    static InterceptingProxy proxy;
    @TempDir static Path proxyDir;

    @BeforeAll
    static void start() throws Exception {
        issuer = TestOidcIssuer.start(Clock.systemUTC());
        server = TestServer.start(Map.of("oidc.extra_issuers", issuer.extraIssuersSetting()));
        proxy =
                new InterceptingProxy(
                        proxyDir,
                        List.of("fulcio.sigstore.dev", "rekor.sigstore.dev"),
                        server.port());
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        server.close();
        issuer.close();
    }

    @Test
    void npmPublishProvenanceSignsWithWardensSigstoreAndPublishes(@TempDir Path dir)
            throws Exception {
        String name = "prov-cli";
        Map<String, String> env = loggedIn(dir, "ci-user");
        env.putAll(TrustedPublishingTest.githubActions(issuer, "octo/" + name));
        env.putAll(proxy.clientEnv());
        issuer.job(TestOidcIssuer.github("octo/" + name, "publish.yml", null));
        Path pkg =
                Clients.writePackage(
                        dir.resolve("pkg"),
                        "{\"name\":\""
                                + name
                                + "\",\"version\":\"1.0.0\","
                                + "\"repository\":{\"type\":\"git\",\"url\":\"git+https://github.com/octo/"
                                + name
                                + ".git\"}}",
                        Map.of("index.js", "module.exports = 1;\n"));

        Clients.Run published =
                Clients.npm(
                        pkg,
                        env,
                        "publish",
                        "--provenance",
                        "--access",
                        "public",
                        "--loglevel=notice");
        assertThat(published.exit()).as(published.out() + published.err()).isZero();
        assertThat(published.err()).contains("Signed provenance statement");
        assertThat(proxy.intercepted()).contains("fulcio.sigstore.dev", "rekor.sigstore.dev");

        String attestations =
                Clients.npm(dir, env, "view", name + "@1.0.0", "dist.attestations", "--json")
                        .ok()
                        .out();
        assertThat(JSON.readTree(attestations).path("provenance").path("predicateType").asText())
                .isEqualTo("https://slsa.dev/provenance/v1");
        JsonNode list =
                JSON.readTree(
                                server.http()
                                        .get("/-/npm/v1/attestations/" + name + "@1.0.0")
                                        .bytes())
                        .path("attestations");
        JsonNode bundle = list.get(1).path("bundle");
        byte[] tarball = server.http().get("/" + name + "/-/" + name + "-1.0.0.tgz").bytes();

        // Warden's verifier with the instance's trusted root, as a consuming team would run it
        TrustRoot root =
                TrustRoot.parse(server.http().get("/-/sigstore/trusted_root.json").bytes());
        BundleVerifier.Verified v =
                new BundleVerifier(root, Clock.systemUTC())
                        .verify(
                                JSON.writeValueAsBytes(bundle),
                                BundleVerifier.Artifact.of(tarball),
                                new BundleVerifier.Identity(
                                        "https://github.com/octo/"
                                                + name
                                                + "/.github/workflows/publish.yml@refs/heads/main",
                                        issuer.issuer("github")));
        assertThat(v.certificate().claim("sourceRepositoryURI"))
                .isEqualTo("https://github.com/octo/" + name);
        assertThat(v.certificate().claim("runInvocationURI"))
                .isEqualTo(
                        "https://github.com/octo/" + name + "/actions/runs/9876543210/attempts/1");

        // and sigstore-js (npm's copy), given the same trusted root, verifies it too
        Path rootFile =
                Files.write(
                        dir.resolve("trusted_root.json"),
                        server.http().get("/-/sigstore/trusted_root.json").bytes());
        Path bundleFile = Files.write(dir.resolve("bundle.json"), JSON.writeValueAsBytes(bundle));
        Path artifact = Files.write(dir.resolve("artifact.tgz"), tarball);
        Path script = Path.of(getClass().getResource("/sigstore-js-verify.mjs").toURI());
        String identity =
                "https://github.com/octo/"
                        + name
                        + "/.github/workflows/publish.yml@refs/heads/main";
        Process node =
                new ProcessBuilder(
                                "node",
                                script.toString(),
                                rootFile.toString(),
                                bundleFile.toString(),
                                artifact.toString(),
                                identity,
                                issuer.issuer("github"))
                        .redirectErrorStream(true)
                        .start();
        String out = new String(node.getInputStream().readAllBytes());
        assertThat(node.waitFor()).as(out).isZero();
        assertThat(out).contains("verified");
        // a wrong identity is refused by it
        Process wrong =
                new ProcessBuilder(
                                "node",
                                script.toString(),
                                rootFile.toString(),
                                bundleFile.toString(),
                                artifact.toString(),
                                identity.replace("publish.yml", "other.yml"),
                                issuer.issuer("github"))
                        .redirectErrorStream(true)
                        .start();
        wrong.getInputStream().readAllBytes();
        assertThat(wrong.waitFor()).isEqualTo(1);

        // sigstore-java matches DSSE subjects by sha256 only and npm's statement names sha512 only,
        // so it
        // refuses npm's own bundle for that reason (bundles from warden publish name both: see
        // below)
        Clients.Run sj = sigstoreJava(dir, rootFile, bundleFile, artifact, identity);
        assertThat(sj.exit()).isEqualTo(1);
        assertThat(sj.out())
                .contains("does not match any subject sha256 digests")
                .contains("[no-sha256-hash]");

        // sigstore-js getting the trusted root from Warden's TUF repository, from its first root
        Path firstRoot =
                Files.write(
                        dir.resolve("1.root.json"),
                        server.http().get("/-/tuf/1.root.json").bytes());
        Path tufScript = Path.of(getClass().getResource("/sigstore-js-tuf-verify.mjs").toURI());
        assertThat(
                        tufVerify(
                                tufScript,
                                firstRoot,
                                dir.resolve("tuf-cache-1"),
                                bundleFile,
                                artifact,
                                identity))
                .contains("verified");

        // the root keys rotate (2 of the 3 old keys and the new ones sign version 2): a client that
        // knows only version 1 follows to version 2 and still verifies
        Path rootKeys = server.data().resolve("keys/tuf-root");
        List<dev.warden.signing.TufRepository.Key> old =
                List.of(
                        dev.warden.signing.TufRepository.Key.load(rootKeys.resolve("root-1.json")),
                        dev.warden.signing.TufRepository.Key.load(rootKeys.resolve("root-2.json")));
        List<dev.warden.signing.TufRepository.Key> fresh =
                List.of(
                        dev.warden.signing.TufRepository.Key.generate(),
                        dev.warden.signing.TufRepository.Key.generate());
        List<dev.warden.signing.TufRepository.Key> signers = new java.util.ArrayList<>(old);
        signers.addAll(fresh);
        int version =
                dev.warden.signing.TufRepository.nextRoot(
                        server.data().resolve("tuf"),
                        signers,
                        fresh,
                        2,
                        dev.warden.signing.TufRepository.Key.load(
                                server.data().resolve("keys/tuf/online.json")),
                        java.time.Instant.now());
        assertThat(version).isEqualTo(2);
        assertThat(server.http().get("/-/tuf/2.root.json").status()).isEqualTo(200);
        assertThat(
                        tufVerify(
                                tufScript,
                                firstRoot,
                                dir.resolve("tuf-cache-2"),
                                bundleFile,
                                artifact,
                                identity))
                .contains("verified");
        assertThat(cachedRootVersion(dir.resolve("tuf-cache-2")))
                .as("sigstore-js's root after updating")
                .isEqualTo(2);

        // sigstore-java's TUF client follows the rotation too and gets the trusted root (it then
        // refuses
        // npm's bundle at the subject digest, as above, which it only reaches with a trusted root)
        Clients.Run sjTuf =
                sigstoreJavaTuf(
                        dir,
                        firstRoot,
                        dir.resolve("sj-tuf-cache"),
                        bundleFile,
                        artifact,
                        identity);
        assertThat(sjTuf.exit()).as(sjTuf.out() + sjTuf.err()).isEqualTo(1);
        assertThat(sjTuf.out()).contains("[no-sha256-hash]");
        assertThat(cachedRootVersion(dir.resolve("sj-tuf-cache")))
                .as("sigstore-java's root after updating")
                .isEqualTo(2);
        assertThat(dir.resolve("sj-tuf-cache/targets/trusted_root.json"))
                .hasSameBinaryContentAs(rootFile);
    }

    @Test
    void wardenPublishSignsWithTheRegistrysSigstoreWhereNpmCannotReachIt(@TempDir Path dir)
            throws Exception {
        String name = "prov-warden-cli";
        Map<String, String> env = loggedIn(dir, "ci-user2");
        Path pkg =
                Clients.writePackage(
                        dir.resolve("pkg"),
                        "{\"name\":\""
                                + name
                                + "\",\"version\":\"2.0.0\","
                                + "\"repository\":{\"type\":\"git\",\"url\":\"git+https://github.com/octo/"
                                + name
                                + ".git\"}}",
                        Map.of("index.js", "module.exports = 2;\n"));
        Clients.npm(pkg, env, "pack").ok();
        Path tgz = pkg.resolve(name + "-2.0.0.tgz");
        issuer.job(TestOidcIssuer.github("octo/" + name, "release.yml", null));
        Map<String, String> ci =
                new HashMap<>(TrustedPublishingTest.githubActions(issuer, "octo/" + name));
        ci.put("NPM_TOKEN", server.token("ci-user2"));
        List<String> cmd =
                List.of(
                        ProcessHandle.current().info().command().orElse("java"),
                        "--enable-native-access=ALL-UNNAMED",
                        "-jar",
                        TransparencyLogTest.JAR.toString(),
                        "publish",
                        tgz.toString(),
                        "--provenance",
                        "--registry",
                        server.url());
        Clients.Run run = Clients.exec(dir, ci, cmd, 120);
        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("signed provenance").contains("+ " + name + "@2.0.0");

        JsonNode bundle =
                JSON.readTree(
                                server.http()
                                        .get("/-/npm/v1/attestations/" + name + "@2.0.0")
                                        .bytes())
                        .path("attestations")
                        .get(1)
                        .path("bundle");
        TrustRoot root =
                TrustRoot.parse(server.http().get("/-/sigstore/trusted_root.json").bytes());
        BundleVerifier.Verified v =
                new BundleVerifier(root, Clock.systemUTC())
                        .verify(
                                JSON.writeValueAsBytes(bundle),
                                BundleVerifier.Artifact.of(Files.readAllBytes(tgz)),
                                new BundleVerifier.Identity(
                                        "https://github.com/octo/"
                                                + name
                                                + "/.github/workflows/release.yml@refs/heads/main",
                                        issuer.issuer("github")));
        assertThat(v.certificate().claim("buildConfigURI"))
                .isEqualTo(
                        "https://github.com/octo/"
                                + name
                                + "/.github/workflows/release.yml@refs/heads/main");

        // its statement names sha256 too, so sigstore-java verifies the whole bundle; and refuses
        // another identity
        Path rootFile =
                Files.write(
                        dir.resolve("trusted_root.json"),
                        server.http().get("/-/sigstore/trusted_root.json").bytes());
        Path bundleFile = Files.write(dir.resolve("bundle.json"), JSON.writeValueAsBytes(bundle));
        String identity =
                "https://github.com/octo/"
                        + name
                        + "/.github/workflows/release.yml@refs/heads/main";
        Clients.Run sj = sigstoreJava(dir, rootFile, bundleFile, tgz, identity);
        assertThat(sj.exit()).as(sj.out() + sj.err()).isZero();
        assertThat(sj.out()).contains("verified");
        assertThat(
                        sigstoreJava(
                                        dir,
                                        rootFile,
                                        bundleFile,
                                        tgz,
                                        identity.replace("release.yml", "other.yml"))
                                .exit())
                .isEqualTo(1);

        // and with the trusted root its TUF client fetches from Warden's mirror, starting from the
        // first root
        Path firstRoot =
                Files.write(
                        dir.resolve("1.root.json"),
                        server.http().get("/-/tuf/1.root.json").bytes());
        Clients.Run sjTuf =
                sigstoreJavaTuf(
                        dir, firstRoot, dir.resolve("sj-tuf-cache"), bundleFile, tgz, identity);
        assertThat(sjTuf.exit()).as(sjTuf.out() + sjTuf.err()).isZero();
        assertThat(sjTuf.out()).contains("verified");
        assertThat(dir.resolve("sj-tuf-cache/targets/trusted_root.json"))
                .hasSameBinaryContentAs(rootFile);
        // a first root whose keys are not the repository's gets no trusted root from the mirror
        com.fasterxml.jackson.databind.node.ObjectNode forgedRoot =
                (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(firstRoot.toFile());
        forgedRoot
                .path("signed")
                .path("keys")
                .forEach(
                        k ->
                                ((com.fasterxml.jackson.databind.node.ObjectNode) k.path("keyval"))
                                        .put(
                                                "public",
                                                java.util.HexFormat.of()
                                                        .formatHex(
                                                                dev.warden.signing.TufRepository.Key
                                                                        .generate()
                                                                        .publicKey())));
        Path otherRoot =
                Files.write(dir.resolve("other.root.json"), JSON.writeValueAsBytes(forgedRoot));
        Clients.Run forged =
                sigstoreJavaTuf(
                        dir,
                        otherRoot,
                        dir.resolve("sj-tuf-cache-forged"),
                        bundleFile,
                        tgz,
                        identity);
        assertThat(forged.exit()).as(forged.out() + forged.err()).isEqualTo(2);
        assertThat(forged.out()).contains("no trusted root");

        // without an ID token it refuses rather than publishing unsigned
        Clients.Run noToken =
                Clients.exec(
                        dir,
                        Map.of("NPM_TOKEN", server.token("ci-user2")),
                        List.of(
                                cmd.get(0),
                                cmd.get(1),
                                cmd.get(2),
                                cmd.get(3),
                                "publish",
                                tgz.toString(),
                                "--provenance",
                                "--registry",
                                server.url()),
                        120);
        assertThat(noToken.exit()).isEqualTo(2);
        assertThat(noToken.err()).contains("needs an OIDC ID token");
    }

    /** npm's environment for a home in {@code dir} logged in as {@code user}. */
    private static Map<String, String> loggedIn(Path dir, String user) throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Clients.login(home, server.url(), server.token(user));
        return new HashMap<>(Clients.env(home, server.url()));
    }

    /** sigstore-java's verification, in a JVM of its own, given the instance's trusted root. */
    private Clients.Run sigstoreJava(
            Path dir, Path rootFile, Path bundleFile, Path artifact, String identity)
            throws Exception {
        return sigstoreJava(dir, List.of(rootFile.toString()), bundleFile, artifact, identity);
    }

    /**
     * sigstore-java's verification with the trusted root its TUF client fetches from Warden's
     * mirror, starting at {@code firstRoot}.
     */
    private Clients.Run sigstoreJavaTuf(
            Path dir, Path firstRoot, Path cache, Path bundleFile, Path artifact, String identity)
            throws Exception {
        return sigstoreJava(
                dir,
                List.of(server.url() + "/-/tuf", firstRoot.toString(), cache.toString()),
                bundleFile,
                artifact,
                identity);
    }

    private Clients.Run sigstoreJava(
            Path dir, List<String> trust, Path bundleFile, Path artifact, String identity)
            throws Exception {
        Path lib =
                Path.of("..", "warden-e2e-sigstore-java", "target", "lib")
                        .toAbsolutePath()
                        .normalize();
        assertThat(lib).as("built by the warden-e2e-sigstore-java module").isDirectory();
        Path program = Path.of(getClass().getResource("/SigstoreJavaVerify.java").toURI());
        List<String> cmd =
                new java.util.ArrayList<>(
                        List.of(
                                ProcessHandle.current().info().command().orElse("java"),
                                "-cp",
                                lib + "/*",
                                program.toString()));
        cmd.addAll(trust);
        cmd.addAll(
                List.of(
                        bundleFile.toString(),
                        artifact.toString(),
                        identity,
                        issuer.issuer("github")));
        return Clients.exec(dir, Map.of(), cmd, 120);
    }

    /** The version of the TUF root a client cached under {@code cache}. */
    private static int cachedRootVersion(Path cache) throws Exception {
        Path cachedRoot;
        try (var files = Files.walk(cache)) {
            cachedRoot =
                    files.filter(f -> f.getFileName().toString().equals("root.json"))
                            .findFirst()
                            .orElseThrow();
        }
        return JSON.readTree(cachedRoot.toFile()).path("signed").path("version").asInt();
    }

    private static String tufVerify(
            Path script, Path root, Path cache, Path bundle, Path artifact, String identity)
            throws Exception {
        Process p =
                new ProcessBuilder(
                                "node",
                                script.toString(),
                                server.url() + "/-/tuf",
                                root.toString(),
                                cache.toString(),
                                bundle.toString(),
                                artifact.toString(),
                                identity,
                                issuer.issuer("github"))
                        .redirectErrorStream(true)
                        .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }
}
