package dev.warden.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.provenance.sigstore.BundleVerifier;
import dev.warden.provenance.sigstore.TrustRoot;
import dev.warden.provenance.testing.TestSigstore;
import dev.warden.server.testing.Http;
import dev.warden.server.testing.MovableClock;
import dev.warden.server.testing.Tarballs;
import dev.warden.server.testing.TestOidcIssuer;
import dev.warden.server.testing.TestServer;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1String;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The private Sigstore over HTTP, driven as sigstore-js drives Fulcio and Rekor: a CI's ID token
 * and a proof of possession get a short-lived certificate with SCTs, a signed DSSE envelope gets a
 * log entry with a signed entry timestamp, inclusion proof and checkpoint, and the bundle built
 * from them verifies against the instance's trusted root and publishes with provenance.
 */
class SigningApiTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static MovableClock clock;
    static TestOidcIssuer issuer;
    static TestServer server;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        clock = new MovableClock();
        issuer = TestOidcIssuer.start(clock);
        server =
                TestServer.start(Map.of("oidc.extra_issuers", issuer.extraIssuersSetting()), clock);
        http = server.http();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        issuer.close();
    }

    static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    static byte[] sign(KeyPair key, byte[] data) throws Exception {
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(key.getPrivate());
        s.update(data);
        return s.sign();
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN "
                + type
                + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END "
                + type
                + "-----\n";
    }

    /** What sigstore-js sends Fulcio. */
    static Map<String, Object> certRequest(String token, KeyPair key, byte[] proof) {
        return Map.of(
                "credentials",
                Map.of("oidcIdentityToken", token),
                "publicKeyRequest",
                Map.of(
                        "publicKey",
                        Map.of(
                                "algorithm",
                                "ECDSA",
                                "content",
                                pem("PUBLIC KEY", key.getPublic().getEncoded())),
                        "proofOfPossession",
                        Base64.getEncoder().encodeToString(proof)));
    }

    static Http.Result post(String path, Object body) throws Exception {
        return http.send(
                "POST",
                path,
                null,
                JSON.writeValueAsBytes(body),
                Map.of("Content-Type", "application/json"));
    }

    static X509Certificate certificate(String pem) throws Exception {
        return (X509Certificate)
                CertificateFactory.getInstance("X.509")
                        .generateCertificate(
                                new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }

    static String extension(X509Certificate c, int arc) throws Exception {
        byte[] v = c.getExtensionValue("1.3.6.1.4.1.57264.1." + arc);
        return v == null
                ? null
                : ((ASN1String)
                                ASN1Primitive.fromByteArray(
                                        ASN1OctetString.getInstance(v).getOctets()))
                        .getString();
    }

    static byte[] pae(String type, byte[] payload) {
        byte[] head =
                ("DSSEv1 " + type.length() + " " + type + " " + payload.length + " ")
                        .getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[head.length + payload.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(payload, 0, out, head.length, payload.length);
        return out;
    }

    /**
     * A release of {@code name}'s repository on GitHub, its provenance signed with {@code key}
     * (certified by {@code leaf}) and logged.
     */
    record Signed(
            ObjectNode manifest, byte[] tgz, byte[] sig, String verifier, ObjectNode bundle) {}

    static Signed signAndLog(KeyPair key, X509Certificate leaf, String name, String version)
            throws Exception {
        ObjectNode m = Tarballs.manifest(name, version);
        m.putObject("repository").put("url", "git+https://github.com/octo/" + name + ".git");
        byte[] tgz = Tarballs.packageTgz(m);
        TestSigstore.Build build = TestSigstore.Build.github("octo/" + name);
        byte[] payload = JSON.writeValueAsBytes(TestSigstore.statement(name, version, tgz, build));
        byte[] sig = sign(key, pae("application/vnd.in-toto+json", payload));
        String envelope =
                JSON.writeValueAsString(
                        Map.of(
                                "payload",
                                Base64.getEncoder().encodeToString(payload),
                                "payloadType",
                                "application/vnd.in-toto+json",
                                "signatures",
                                List.of(
                                        Map.of(
                                                "sig",
                                                Base64.getEncoder().encodeToString(sig),
                                                "keyid",
                                                ""))));
        String verifier =
                Base64.getEncoder()
                        .encodeToString(
                                pem("CERTIFICATE", leaf.getEncoded())
                                        .getBytes(StandardCharsets.US_ASCII));
        Http.Result entry =
                post(
                        "/api/v1/log/entries",
                        Map.of(
                                "apiVersion",
                                "0.0.1",
                                "kind",
                                "dsse",
                                "spec",
                                Map.of(
                                        "proposedContent",
                                        Map.of(
                                                "envelope",
                                                envelope,
                                                "verifiers",
                                                List.of(verifier)))));
        assertThat(entry.status()).as(entry.body()).isEqualTo(201);
        return new Signed(
                m,
                tgz,
                sig,
                verifier,
                TestSigstore.bundle(leaf.getEncoded(), entry.json(), payload, sig));
    }

    @Test
    void a_ci_job_signs_provenance_with_the_instance_and_publishes_it() throws Exception {
        Map<String, Object> job = TestOidcIssuer.github("octo/signed-pkg", "publish.yml", null);
        String token = issuer.token("github", "sigstore", job);
        KeyPair key = ec();
        Http.Result cert =
                post(
                        "/api/v2/signingCert",
                        certRequest(
                                token,
                                key,
                                sign(
                                        key,
                                        ((String) job.get("sub"))
                                                .getBytes(StandardCharsets.UTF_8))));
        assertThat(cert.status()).as(cert.body()).isEqualTo(201);
        JsonNode chain =
                cert.json().path("signedCertificateEmbeddedSct").path("chain").path("certificates");
        assertThat(chain).hasSize(3);
        X509Certificate leaf = certificate(chain.get(0).asText());
        assertThat(leaf.getSubjectAlternativeNames().iterator().next().get(1))
                .isEqualTo(
                        "https://github.com/octo/signed-pkg/.github/workflows/publish.yml@refs/heads/main");
        assertThat(
                        Duration.between(
                                leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant()))
                .isEqualTo(Duration.ofMinutes(10));
        assertThat(extension(leaf, 8)).isEqualTo(issuer.issuer("github"));
        assertThat(extension(leaf, 12)).isEqualTo("https://github.com/octo/signed-pkg");
        assertThat(extension(leaf, 13)).isEqualTo("8f4b2c1d9e7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c");
        assertThat(extension(leaf, 11)).isEqualTo("github-hosted");
        assertThat(extension(leaf, 21))
                .isEqualTo("https://github.com/octo/signed-pkg/actions/runs/9876543210/attempts/1");
        assertThat(leaf.getExtensionValue("1.3.6.1.4.1.11129.2.4.2"))
                .as("embedded SCT")
                .isNotNull();

        // the release's provenance, signed and logged
        Signed signed = signAndLog(key, leaf, "signed-pkg", "1.0.0");
        byte[] tgz = signed.tgz();
        byte[] sig = signed.sig();
        String verifier = signed.verifier();
        ObjectNode m = signed.manifest();
        ObjectNode bundle = signed.bundle();

        // the instance's trusted root verifies it, as any Sigstore client given that root would
        TrustRoot root = TrustRoot.parse(http.get("/-/sigstore/trusted_root.json").bytes());
        BundleVerifier.Verified v =
                new BundleVerifier(root, clock)
                        .verify(
                                JSON.writeValueAsBytes(bundle),
                                BundleVerifier.Artifact.of(tgz),
                                new BundleVerifier.Identity(
                                        "https://github.com/octo/signed-pkg/.github/workflows/publish.yml@refs/heads/main",
                                        issuer.issuer("github")));
        assertThat(v.certificate().claim("sourceRepositoryURI"))
                .isEqualTo("https://github.com/octo/signed-pkg");

        // and the registry takes it as provenance
        ObjectNode body = Tarballs.publishBody(m, tgz);
        body.withObjectProperty("_attachments")
                .putObject("signed-pkg-1.0.0.sigstore")
                .put("data", bundle.toString());
        Http.Result published = http.put("/signed-pkg", server.token("signer"), body);
        assertThat(published.status()).as(published.body()).isEqualTo(200);
        assertThat(
                        http.get("/signed-pkg")
                                .json()
                                .path("versions")
                                .path("1.0.0")
                                .path("dist")
                                .path("attestations")
                                .path("url")
                                .asText())
                .endsWith("/-/npm/v1/attestations/signed-pkg@1.0.0");

        // a hashedrekord entry too
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(tgz);
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(key.getPrivate());
        s.update(tgz);
        Http.Result hashed =
                post(
                        "/api/v1/log/entries",
                        hashedrekord(HexFormat.of().formatHex(digest), s.sign(), verifier));
        assertThat(hashed.status()).as(hashed.body()).isEqualTo(201);
        assertThat(
                        post(
                                        "/api/v1/log/entries",
                                        hashedrekord(
                                                HexFormat.of().formatHex(digest), sig, verifier))
                                .status())
                .isEqualTo(400);

        // Rekor v2: hashedrekord 0.0.2
        s.initSign(key.getPrivate());
        s.update(tgz);
        byte[] v2sig = s.sign();
        Http.Result v2 = post("/api/v2/log/entries", rekorV2(digest, v2sig, leaf));
        assertThat(v2.status()).as(v2.body()).isEqualTo(201);
        JsonNode tle = v2.json();
        assertThat(tle.path("kindVersion").path("version").asText()).isEqualTo("0.0.2");
        ObjectNode v2bundle = JSON.createObjectNode();
        v2bundle.put("mediaType", "application/vnd.dev.sigstore.bundle.v0.3+json");
        v2bundle.putObject("verificationMaterial");
        ((ObjectNode) v2bundle.path("verificationMaterial"))
                .putObject("certificate")
                .put("rawBytes", Base64.getEncoder().encodeToString(leaf.getEncoded()));
        ((ObjectNode) v2bundle.path("verificationMaterial")).putArray("tlogEntries").add(tle);
        v2bundle.putObject("messageSignature")
                .put("signature", Base64.getEncoder().encodeToString(v2sig))
                .putObject("messageDigest")
                .put("algorithm", "SHA2_256")
                .put("digest", Base64.getEncoder().encodeToString(digest));
        // every check of the entry passes (body, inclusion proof, signed checkpoint); Rekor v2
        // gives no time, a TSA must
        assertThat(
                        org.assertj.core.api.Assertions.catchThrowable(
                                () ->
                                        new BundleVerifier(root, clock)
                                                .verify(
                                                        JSON.writeValueAsBytes(v2bundle),
                                                        BundleVerifier.Artifact.of(tgz),
                                                        new BundleVerifier.AnyCertificate())))
                .hasMessage(
                        "bundle has no verified time: no signed entry timestamp and no RFC 3161"
                                + " timestamp");
        // the instance's timestamp authority gives it that time: the bundle then verifies
        byte[] stamp = timestamp(v2sig, "2.16.840.1.101.3.4.2.1");
        ((ObjectNode) v2bundle.path("verificationMaterial"))
                .putObject("timestampVerificationData")
                .putArray("rfc3161Timestamps")
                .addObject()
                .put("signedTimestamp", Base64.getEncoder().encodeToString(stamp));
        BundleVerifier.Verified stamped =
                new BundleVerifier(
                                TrustRoot.parse(http.get("/-/sigstore/trusted_root.json").bytes()),
                                clock)
                        .verify(
                                JSON.writeValueAsBytes(v2bundle),
                                BundleVerifier.Artifact.of(tgz),
                                new BundleVerifier.Identity(
                                        "https://github.com/octo/signed-pkg/.github/workflows/publish.yml@refs/heads/main",
                                        issuer.issuer("github")));
        assertThat(stamped.times())
                .containsExactly(
                        clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        // and so does npm's sigstore-js given the instance's trusted root; without the timestamp it
        // refuses it
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("rekor-v2");
        java.nio.file.Path rootFile =
                java.nio.file.Files.write(
                        dir.resolve("trusted_root.json"),
                        http.get("/-/sigstore/trusted_root.json").bytes());
        java.nio.file.Path artifact = java.nio.file.Files.write(dir.resolve("artifact.tgz"), tgz);
        String identity =
                "https://github.com/octo/signed-pkg/.github/workflows/publish.yml@refs/heads/main";
        assertThat(
                        sigstoreJs(
                                rootFile,
                                java.nio.file.Files.write(
                                        dir.resolve("stamped.json"),
                                        JSON.writeValueAsBytes(v2bundle)),
                                artifact,
                                identity))
                .isEqualTo("verified");
        ObjectNode unstamped = v2bundle.deepCopy();
        ((ObjectNode) unstamped.path("verificationMaterial")).remove("timestampVerificationData");
        assertThat(
                        sigstoreJs(
                                rootFile,
                                java.nio.file.Files.write(
                                        dir.resolve("unstamped.json"),
                                        JSON.writeValueAsBytes(unstamped)),
                                artifact,
                                identity))
                .startsWith("TIMESTAMP_ERROR");
        // a timestamp over another signature does not count
        ((ObjectNode)
                        v2bundle.path("verificationMaterial")
                                .path("timestampVerificationData")
                                .path("rfc3161Timestamps")
                                .get(0))
                .put(
                        "signedTimestamp",
                        Base64.getEncoder()
                                .encodeToString(timestamp(sig, "2.16.840.1.101.3.4.2.1")));
        assertThat(
                        org.assertj.core.api.Assertions.catchThrowable(
                                () ->
                                        new BundleVerifier(root, clock)
                                                .verify(
                                                        JSON.writeValueAsBytes(v2bundle),
                                                        BundleVerifier.Artifact.of(tgz),
                                                        new BundleVerifier.AnyCertificate())))
                .isNotNull();
        assertThat(post("/api/v2/log/entries", rekorV2(digest, sig, leaf)).status()).isEqualTo(400);
        assertThat(post("/api/v2/log/entries", Map.of("dsseRequestV002", Map.of())).status())
                .isEqualTo(400);
        assertThat(post("/api/v2/log/entries", Map.of("nonsense", 1)).status()).isEqualTo(400);
    }

    /**
     * npm's bundled sigstore-js verifying {@code bundle} with {@code root}: "verified", or its
     * error.
     */
    static String sigstoreJs(
            java.nio.file.Path root,
            java.nio.file.Path bundle,
            java.nio.file.Path artifact,
            String identity)
            throws Exception {
        java.nio.file.Path script =
                java.nio.file.Path.of(
                                "..",
                                "warden-e2e",
                                "src",
                                "test",
                                "resources",
                                "sigstore-js-verify.mjs")
                        .toAbsolutePath();
        Process p =
                new ProcessBuilder(
                                "node",
                                script.toString(),
                                root.toString(),
                                bundle.toString(),
                                artifact.toString(),
                                identity,
                                issuer.issuer("github"))
                        .redirectErrorStream(true)
                        .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out.lines()
                .filter(l -> !l.startsWith("npm warn"))
                .reduce("", (a, b) -> a.isEmpty() ? b : a + "\n" + b);
    }

    /**
     * A timestamp from the instance's TSA over {@code signature}, digested with {@code digestOid}
     * as a client would.
     */
    static byte[] timestamp(byte[] signature, String digestOid) throws Exception {
        String algorithm =
                digestOid.endsWith(".2.1")
                        ? "SHA-256"
                        : digestOid.endsWith(".2.3") ? "SHA-512" : "SHA-1";
        org.bouncycastle.tsp.TimeStampRequestGenerator g =
                new org.bouncycastle.tsp.TimeStampRequestGenerator();
        g.setCertReq(true);
        byte[] req =
                g.generate(
                                new org.bouncycastle.asn1.ASN1ObjectIdentifier(digestOid),
                                java.security.MessageDigest.getInstance(algorithm)
                                        .digest(signature),
                                java.math.BigInteger.valueOf(42))
                        .getEncoded();
        Http.Result r =
                http.send(
                        "POST",
                        "/api/v1/timestamp",
                        null,
                        req,
                        Map.of("Content-Type", "application/timestamp-query"));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        org.bouncycastle.tsp.TimeStampResponse resp =
                new org.bouncycastle.tsp.TimeStampResponse(r.bytes());
        resp.validate(new org.bouncycastle.tsp.TimeStampRequest(req));
        return r.bytes();
    }

    @Test
    void timestamp_requests_that_are_not_rfc_3161_are_refused() throws Exception {
        org.bouncycastle.tsp.TimeStampRequestGenerator g =
                new org.bouncycastle.tsp.TimeStampRequestGenerator();
        byte[] sha1 =
                g.generate(
                                new org.bouncycastle.asn1.ASN1ObjectIdentifier("1.3.14.3.2.26"),
                                new byte[20])
                        .getEncoded();
        byte[] shortImprint =
                g.generate(
                                new org.bouncycastle.asn1.ASN1ObjectIdentifier(
                                        "2.16.840.1.101.3.4.2.1"),
                                new byte[20])
                        .getEncoded();
        g.setReqPolicy(new org.bouncycastle.asn1.ASN1ObjectIdentifier("1.2.3.4"));
        byte[] otherPolicy =
                g.generate(
                                new org.bouncycastle.asn1.ASN1ObjectIdentifier(
                                        "2.16.840.1.101.3.4.2.1"),
                                new byte[32])
                        .getEncoded();
        Map<String, String> query = Map.of("Content-Type", "application/timestamp-query");
        Http.Result r = http.send("POST", "/api/v1/timestamp", null, sha1, query);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("1.3.14.3.2.26 is not SHA-256, SHA-384 or SHA-512");
        assertThat(http.send("POST", "/api/v1/timestamp", null, shortImprint, query).status())
                .isEqualTo(400);
        r = http.send("POST", "/api/v1/timestamp", null, otherPolicy, query);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("policy");
        assertThat(
                        http.send(
                                        "POST",
                                        "/api/v1/timestamp",
                                        null,
                                        "{}".getBytes(StandardCharsets.UTF_8),
                                        query)
                                .status())
                .isEqualTo(400);
        assertThat(http.send("POST", "/api/v1/timestamp", null, new byte[0], query).status())
                .isEqualTo(400);
        assertThat(http.send("POST", "/api/v1/timestamp", null, new byte[9 * 1024], query).status())
                .isEqualTo(413);
        assertThat(
                        http.send(
                                        "POST",
                                        "/api/v1/timestamp",
                                        null,
                                        shortImprint,
                                        Map.of("Content-Type", "application/json"))
                                .status())
                .isEqualTo(415);
        // the chain it stamps with, as Sigstore's timestamp authority serves it, is the trusted
        // root's
        String chain = http.get("/api/v1/timestamp/certchain").body();
        X509Certificate stamper =
                certificate(chain.substring(0, chain.indexOf("-----END CERTIFICATE-----") + 25));
        assertThat(stamper.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.8");
        assertThat(
                        http.get("/-/sigstore/trusted_root.json")
                                .json()
                                .path("timestampAuthorities")
                                .get(0)
                                .path("certChain")
                                .path("certificates")
                                .get(0)
                                .path("rawBytes")
                                .asText())
                .isEqualTo(Base64.getEncoder().encodeToString(stamper.getEncoded()));
        assertThat(
                        http.get("/-/sigstore/signing_config.json")
                                .json()
                                .path("tsaUrls")
                                .get(0)
                                .path("url")
                                .asText())
                .isEqualTo(server.url() + "/api/v1/timestamp");
    }

    static Map<String, Object> rekorV2(byte[] digest, byte[] sig, X509Certificate leaf)
            throws Exception {
        return Map.of(
                "hashedRekordRequestV002",
                Map.of(
                        "digest",
                        Base64.getEncoder().encodeToString(digest),
                        "signature",
                        Map.of(
                                "content",
                                Base64.getEncoder().encodeToString(sig),
                                "verifier",
                                Map.of(
                                        "x509Certificate",
                                        Map.of(
                                                "rawBytes",
                                                Base64.getEncoder()
                                                        .encodeToString(leaf.getEncoded())),
                                        "keyDetails",
                                        "PKIX_ECDSA_P256_SHA_256"))));
    }

    static Map<String, Object> hashedrekord(String hex, byte[] sig, String verifier) {
        return Map.of(
                "apiVersion",
                "0.0.1",
                "kind",
                "hashedrekord",
                "spec",
                Map.of(
                        "data", Map.of("hash", Map.of("algorithm", "sha256", "value", hex)),
                        "signature",
                                Map.of(
                                        "content",
                                        Base64.getEncoder().encodeToString(sig),
                                        "publicKey",
                                        Map.of("content", verifier))));
    }

    /**
     * The leaf certificate the instance issues for a job with {@code claims} from {@code type}'s
     * issuer.
     */
    private static X509Certificate certify(String type, Map<String, Object> claims)
            throws Exception {
        return certify(type, claims, ec());
    }

    private static X509Certificate certify(String type, Map<String, Object> claims, KeyPair key)
            throws Exception {
        Http.Result cert =
                post(
                        "/api/v2/signingCert",
                        certRequest(
                                issuer.token(type, "sigstore", claims),
                                key,
                                sign(
                                        key,
                                        ((String) claims.get("sub"))
                                                .getBytes(StandardCharsets.UTF_8))));
        assertThat(cert.status()).as(cert.body()).isEqualTo(201);
        return certificate(
                cert.json()
                        .path("signedCertificateEmbeddedSct")
                        .path("chain")
                        .path("certificates")
                        .get(0)
                        .asText());
    }

    @Test
    void certificates_carry_the_claims_as_fulcio_maps_them() throws Exception {
        X509Certificate gh =
                certify(
                        "github",
                        TestOidcIssuer.github("octo/mapped", "release.yml", "production"));
        String repo = "https://github.com/octo/mapped";
        assertThat(extension(gh, 8)).isEqualTo(issuer.issuer("github"));
        assertThat(extension(gh, 9))
                .isEqualTo(repo + "/.github/workflows/release.yml@refs/heads/main");
        assertThat(extension(gh, 10)).isNull(); // the job has no job_workflow_sha claim
        assertThat(extension(gh, 11)).isEqualTo("github-hosted");
        assertThat(extension(gh, 12)).isEqualTo(repo);
        assertThat(extension(gh, 13)).isEqualTo("8f4b2c1d9e7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c");
        assertThat(extension(gh, 14)).isEqualTo("refs/heads/main");
        assertThat(extension(gh, 16)).isEqualTo("https://github.com/octo");
        assertThat(extension(gh, 18))
                .isEqualTo(repo + "/.github/workflows/release.yml@refs/heads/main");
        assertThat(extension(gh, 20)).isEqualTo("push");
        assertThat(extension(gh, 21)).isEqualTo(repo + "/actions/runs/9876543210/attempts/1");
        assertThat(extension(gh, 22)).isEqualTo("private");
        assertThat(extension(gh, 23)).as("deployment environment").isEqualTo("production");
        assertThat(
                        new String(
                                ASN1OctetString.getInstance(
                                                gh.getExtensionValue("1.3.6.1.4.1.57264.1.1"))
                                        .getOctets(),
                                StandardCharsets.UTF_8))
                .as("legacy issuer, raw")
                .isEqualTo(issuer.issuer("github"));
        assertThat(
                        extension(
                                certify(
                                        "github",
                                        TestOidcIssuer.github("octo/mapped", "release.yml", null)),
                                23))
                .as("no environment")
                .isNull();

        X509Certificate gl =
                certify(
                        "gitlab",
                        TestOidcIssuer.gitlab("group/sub/proj", ".gitlab-ci.yml", "staging"));
        String host = "https://" + java.net.URI.create(issuer.issuer("gitlab")).getHost();
        assertThat(gl.getSubjectAlternativeNames().iterator().next().get(1))
                .isEqualTo("https://gitlab.example/group/sub/proj//.gitlab-ci.yml@refs/heads/main");
        assertThat(extension(gl, 12)).isEqualTo(host + "/group/sub/proj");
        assertThat(extension(gl, 14)).isEqualTo("refs/heads/main");
        assertThat(extension(gl, 16)).isEqualTo(host + "/group/sub");
        assertThat(extension(gl, 20)).isEqualTo("push");
        assertThat(extension(gl, 21)).isEqualTo(host + "/group/sub/proj/-/jobs/7654321");
        assertThat(extension(gl, 22)).isEqualTo("private");
        assertThat(extension(gl, 23)).isEqualTo("staging");
    }

    @Test
    void the_ca_rotates_to_a_new_intermediate_and_what_the_old_one_signed_still_verifies(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path keys = server.data().resolve("keys/sigstore");
        KeyPair key = ec();
        X509Certificate before =
                certify("github", TestOidcIssuer.github("octo/rotating", "publish.yml", null), key);
        Signed first = signAndLog(key, before, "rotating", "1.0.0");
        byte[] oldRoot = http.get("/-/sigstore/trusted_root.json").bytes();
        int intermediates = JSON.readTree(oldRoot).path("certificateAuthorities").size();
        byte[] state = java.nio.file.Files.readAllBytes(keys.resolve("ca.json"));

        // What `warden ca rotate` does (its own refusals and output are warden-cli's
        // CaCommandTest).
        dev.warden.signing.CaKeyStore store =
                WardenServer.caKeyStore(new Config.Signing(true, "files", ""), server.data());
        java.time.Instant now = clock.instant();
        // a key that is not the root's is refused and changes nothing
        java.nio.file.Path wrong = dir.resolve("wrong.key");
        java.nio.file.Files.writeString(
                wrong,
                pem(
                        "PRIVATE KEY",
                        KeyPairGenerator.getInstance("EC")
                                .generateKeyPair()
                                .getPrivate()
                                .getEncoded()));
        assertThat(
                        org.assertj.core.api.Assertions.catchThrowable(
                                () ->
                                        dev.warden.signing.CertificateAuthority.rotate(
                                                keys,
                                                store,
                                                dev.warden.signing.CertificateAuthority.readKey(
                                                        wrong),
                                                now.plusSeconds(60),
                                                now)))
                .hasMessageContaining("not the root's");
        assertThat(
                        org.assertj.core.api.Assertions.catchThrowable(
                                () ->
                                        dev.warden.signing.CertificateAuthority.readKey(
                                                dir.resolve("absent.key"))))
                .hasMessageContaining("cannot read " + dir.resolve("absent.key"));
        assertThat(keys.resolve("ca.json")).hasBinaryContent(state);

        // the root key makes a new intermediate that takes over in a minute
        dev.warden.signing.CertificateAuthority.Intermediate made =
                dev.warden.signing.CertificateAuthority.rotate(
                        keys,
                        store,
                        dev.warden.signing.CertificateAuthority.readKey(
                                keys.resolve("ca-root.key")),
                        now.plusSeconds(60),
                        now);
        assertThat(made.alias()).isEqualTo("ca-intermediate-" + (intermediates + 1));
        server.server().refreshSigning();
        JsonNode authorities =
                http.get("/-/sigstore/trusted_root.json").json().path("certificateAuthorities");
        assertThat(authorities).hasSize(intermediates + 1);
        assertThat(authorities.get(intermediates - 1).path("validFor").path("end").asText())
                .isEqualTo(authorities.get(intermediates).path("validFor").path("start").asText());
        assertThat(http.get("/api/v2/trustBundle").json().path("chains"))
                .hasSize(intermediates + 1);
        // the TUF repository's targets name the new trusted root
        int snapshot =
                http.get("/-/tuf/timestamp.json")
                        .json()
                        .path("signed")
                        .path("meta")
                        .path("snapshot.json")
                        .path("version")
                        .asInt();
        int targets =
                http.get("/-/tuf/" + snapshot + ".snapshot.json")
                        .json()
                        .path("signed")
                        .path("meta")
                        .path("targets.json")
                        .path("version")
                        .asInt();
        assertThat(
                        http.get("/-/tuf/" + targets + ".targets.json")
                                .json()
                                .path("signed")
                                .path("targets")
                                .path("trusted_root.json")
                                .path("hashes")
                                .path("sha256")
                                .asText())
                .isEqualTo(
                        HexFormat.of()
                                .formatHex(
                                        java.security.MessageDigest.getInstance("SHA-256")
                                                .digest(
                                                        http.get("/-/sigstore/trusted_root.json")
                                                                .bytes())));
        // until then the old intermediate issues
        assertThat(
                        certify(
                                        "github",
                                        TestOidcIssuer.github("octo/rotating", "publish.yml", null))
                                .getIssuerX500Principal())
                .isEqualTo(before.getIssuerX500Principal());

        clock.advance(Duration.ofMinutes(2));
        KeyPair key2 = ec();
        X509Certificate after =
                certify(
                        "github",
                        TestOidcIssuer.github("octo/rotating", "publish.yml", null),
                        key2);
        assertThat(after.getIssuerX500Principal()).isNotEqualTo(before.getIssuerX500Principal());
        assertThat(after.getIssuerX500Principal().getName())
                .contains("intermediate " + (intermediates + 1));
        Signed second = signAndLog(key2, after, "rotating", "1.1.0");
        BundleVerifier.Identity identity =
                new BundleVerifier.Identity(
                        "https://github.com/octo/rotating/.github/workflows/publish.yml@refs/heads/main",
                        issuer.issuer("github"));
        TrustRoot newRoot = TrustRoot.parse(http.get("/-/sigstore/trusted_root.json").bytes());
        new BundleVerifier(newRoot, clock)
                .verify(
                        JSON.writeValueAsBytes(second.bundle()),
                        BundleVerifier.Artifact.of(second.tgz()),
                        identity);
        new BundleVerifier(newRoot, clock)
                .verify(
                        JSON.writeValueAsBytes(first.bundle()),
                        BundleVerifier.Artifact.of(first.tgz()),
                        identity);
        // a client still on the old trusted root cannot verify the new intermediate's certificates
        assertThat(
                        org.assertj.core.api.Assertions.catchThrowable(
                                () ->
                                        new BundleVerifier(TrustRoot.parse(oldRoot), clock)
                                                .verify(
                                                        JSON.writeValueAsBytes(second.bundle()),
                                                        BundleVerifier.Artifact.of(second.tgz()),
                                                        identity)))
                .isNotNull();

        // the registry trusts both: the release before the rotation and the one after go live
        for (Signed s : List.of(first, second)) {
            ObjectNode body = Tarballs.publishBody(s.manifest(), s.tgz());
            String version = s.manifest().path("version").asText();
            body.withObjectProperty("_attachments")
                    .putObject("rotating-" + version + ".sigstore")
                    .put("data", s.bundle().toString());
            Http.Result published = http.put("/rotating", server.token("rotator"), body);
            assertThat(published.status()).as(published.body()).isEqualTo(200);
        }
        assertThat(
                        http.get("/rotating")
                                .json()
                                .path("versions")
                                .path("1.1.0")
                                .path("dist")
                                .path("attestations")
                                .isObject())
                .isTrue();
    }

    /** The current TUF targets metadata's entry for {@code name}. */
    static JsonNode tufTarget(String name) throws Exception {
        int snapshot =
                http.get("/-/tuf/timestamp.json")
                        .json()
                        .path("signed")
                        .path("meta")
                        .path("snapshot.json")
                        .path("version")
                        .asInt();
        int targets =
                http.get("/-/tuf/" + snapshot + ".snapshot.json")
                        .json()
                        .path("signed")
                        .path("meta")
                        .path("targets.json")
                        .path("version")
                        .asInt();
        return http.get("/-/tuf/" + targets + ".targets.json")
                .json()
                .path("signed")
                .path("targets")
                .path(name);
    }

    @Test
    void the_tuf_repository_also_publishes_the_registry_keys_and_the_log_it_writes_to()
            throws Exception {
        JsonNode keys = tufTarget("registry_keys.json");
        byte[] served =
                http.get(
                                "/-/tuf/targets/"
                                        + keys.path("hashes").path("sha256").asText()
                                        + ".registry_keys.json")
                        .bytes();
        // exactly the document /-/npm/v1/keys serves, so a TUF client needs nothing else
        assertThat(served).isEqualTo(http.get("/-/npm/v1/keys").bytes());
        assertThat(keys.path("length").asInt()).isEqualTo(served.length);
        assertThat(JSON.readTree(served).path("keys").get(0).path("keyid").asText())
                .startsWith("SHA256:");

        JsonNode log = tufTarget("transparency_log.json");
        JsonNode described =
                JSON.readTree(
                        http.get(
                                        "/-/tuf/targets/"
                                                + log.path("hashes").path("sha256").asText()
                                                + ".transparency_log.json")
                                .bytes());
        JsonNode live = http.get("/-/log").json();
        for (String field : List.of("url", "origin", "key", "registryKey")) {
            assertThat(described.path(field).asText())
                    .as(field)
                    .isEqualTo(live.path(field).asText());
        }
        assertThat(described.size()).isEqualTo(4);
        // the trusted root is still there
        assertThat(tufTarget("trusted_root.json").path("length").asInt()).isPositive();
    }

    @Test
    void a_ca_key_store_setting_that_cannot_work_is_a_clear_error_at_start() {
        assertThat(WardenServer.caKeyStore(new Config.Signing(true, "files", ""), server.data()))
                .as("files: the default store")
                .isInstanceOf(dev.warden.signing.CaKeyStore.files(server.data()).getClass());
        assertThat(
                        org.assertj.core.api.Assertions.catchThrowable(
                                () ->
                                        WardenServer.caKeyStore(
                                                new Config.Signing(true, "vault", ""),
                                                server.data())))
                .hasMessage("signing.ca_key_store: \"files\" or \"pkcs11\", not \"vault\"");
        assertThat(
                        org.assertj.core.api.Assertions.catchThrowable(
                                () ->
                                        WardenServer.caKeyStore(
                                                new Config.Signing(true, "pkcs11", ""),
                                                server.data())))
                .hasMessageContaining("signing.pkcs11_config");
        assertThat(System.getenv("WARDEN_PKCS11_PIN")).isNull();
        assertThat(
                        org.assertj.core.api.Assertions.catchThrowable(
                                () ->
                                        WardenServer.caKeyStore(
                                                new Config.Signing(true, "pkcs11", "/etc/hsm.cfg"),
                                                server.data())))
                .hasMessageContaining("WARDEN_PKCS11_PIN");
    }

    @Test
    void certificate_requests_that_prove_nothing_are_refused() throws Exception {
        Map<String, Object> job = TestOidcIssuer.github("octo/refused", "publish.yml", null);
        byte[] subject = ((String) job.get("sub")).getBytes(StandardCharsets.UTF_8);
        KeyPair key = ec();
        KeyPair other = ec();
        Map<String, Object> expired =
                certRequest(
                        issuer.token(
                                "github",
                                "sigstore",
                                job,
                                clock.instant().minus(Duration.ofHours(2)),
                                clock.instant().minus(Duration.ofHours(1))),
                        key,
                        sign(key, subject));
        Map<String, Object> wrongAudience =
                certRequest(issuer.token("github", "npm:127.0.0.1", job), key, sign(key, subject));
        Map<String, Object> otherKey =
                certRequest(issuer.token("github", "sigstore", job), key, sign(other, subject));
        Map<String, Object> otherIdentity =
                certRequest(
                        issuer.token("github", "sigstore", job),
                        key,
                        sign(
                                key,
                                "repo:octo/someone-else:ref:refs/heads/main"
                                        .getBytes(StandardCharsets.UTF_8)));
        Map<String, Object> untrusted =
                certRequest(issuer.strayToken("github", "sigstore", job), key, sign(key, subject));
        assertThat(post("/api/v2/signingCert", expired).status()).isEqualTo(401);
        assertThat(post("/api/v2/signingCert", wrongAudience).status()).isEqualTo(401);
        assertThat(post("/api/v2/signingCert", untrusted).status()).isEqualTo(401);
        Http.Result pop = post("/api/v2/signingCert", otherKey);
        assertThat(pop.status()).isEqualTo(400);
        assertThat(pop.error()).contains("proofOfPossession");
        assertThat(post("/api/v2/signingCert", otherIdentity).error())
                .contains("proofOfPossession is not the token's subject");
        assertThat(post("/api/v2/signingCert", Map.of()).status()).isEqualTo(401);
        assertThat(
                        http.send(
                                        "POST",
                                        "/api/v2/signingCert",
                                        null,
                                        "{".getBytes(StandardCharsets.UTF_8),
                                        Map.of("Content-Type", "application/json"))
                                .status())
                .isEqualTo(400);
        byte[] huge = ("{\"x\":\"" + "a".repeat(100_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThat(
                        http.send(
                                        "POST",
                                        "/api/v2/signingCert",
                                        null,
                                        huge,
                                        Map.of("Content-Type", "application/json"))
                                .status())
                .isEqualTo(413);
        assertThat(
                        post("/api/v1/log/entries", Map.of("apiVersion", "0.0.1", "kind", "rekord"))
                                .status())
                .isEqualTo(400);
    }
}
