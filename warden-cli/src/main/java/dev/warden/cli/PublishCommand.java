package dev.warden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.zip.GZIPInputStream;

/**
 * {@code warden publish}: publishes a packed tarball, with {@code --provenance} signed keylessly by
 * the registry's own Sigstore, for CIs and clients whose npm cannot reach it under the public host
 * names. With provenance it takes the CI's OIDC ID token (audience {@code sigstore}), proves
 * possession of a fresh key to get a certificate, signs npm's SLSA statement about the tarball as a
 * DSSE envelope, logs it, and sends the bundle with the publish, as {@code npm publish
 * --provenance} does.
 */
@Command(
        name = "publish",
        mixinStandardHelpOptions = true,
        description =
                "Publish a packed tarball (npm pack), optionally with provenance from this"
                        + " registry's Sigstore.")
final class PublishCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INTOTO = "application/vnd.in-toto+json";

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", description = "The tarball (<name>-<version>.tgz).")
    Path tarball;

    @Option(names = "--registry", description = "Registry URL (default: $WARDEN_REGISTRY).")
    String registry = System.getenv("WARDEN_REGISTRY");

    @Option(names = "--token", description = "Publish token (default: $NPM_TOKEN).")
    String token = System.getenv("NPM_TOKEN");

    @Option(names = "--provenance", description = "Sign provenance with the registry's Sigstore.")
    boolean provenance;

    @Option(
            names = "--id-token",
            description =
                    "OIDC ID token with audience sigstore (default: $SIGSTORE_ID_TOKEN, or GitHub"
                            + " Actions' token).")
    String idToken = System.getenv("SIGSTORE_ID_TOKEN");

    @Option(
            names = "--tag",
            defaultValue = "latest",
            description = "Dist-tag (default ${DEFAULT-VALUE}).")
    String tag;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Override
    public Integer call() throws Exception {
        if (registry == null || registry.isBlank()) {
            return fail("no registry: give --registry or WARDEN_REGISTRY");
        }
        String base = registry.replaceAll("/+$", "");
        byte[] tgz = Files.readAllBytes(tarball);
        ObjectNode manifest = packageJson(tgz);
        String name = manifest.path("name").asText();
        String version = manifest.path("version").asText();
        byte[] sha512 = MessageDigest.getInstance("SHA-512").digest(tgz);
        ObjectNode body = JSON.createObjectNode();
        body.put("_id", name).put("name", name);
        body.putObject("dist-tags").put(tag, version);
        ObjectNode v = manifest.deepCopy();
        v.put("_id", name + "@" + version);
        v.putObject("dist")
                .put("integrity", "sha512-" + Base64.getEncoder().encodeToString(sha512))
                .put(
                        "shasum",
                        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(tgz)))
                .put(
                        "tarball",
                        base
                                + "/"
                                + name
                                + "/-/"
                                + name.replaceFirst("^@[^/]+/", "")
                                + "-"
                                + version
                                + ".tgz");
        body.putObject("versions").set(version, v);
        body.put("access", "public");
        ObjectNode attachments = body.putObject("_attachments");
        attachments
                .putObject(name + "-" + version + ".tgz")
                .put("content_type", "application/octet-stream")
                .put("data", Base64.getEncoder().encodeToString(tgz))
                .put("length", tgz.length);
        if (provenance) {
            String oidc = idToken != null && !idToken.isBlank() ? idToken : githubActionsToken();
            if (oidc == null) {
                return fail(
                        "--provenance needs an OIDC ID token: --id-token, SIGSTORE_ID_TOKEN, or a"
                                + " GitHub Actions job with id-token: write");
            }
            String bundle =
                    sign(
                                    base,
                                    oidc,
                                    name,
                                    version,
                                    sha512,
                                    MessageDigest.getInstance("SHA-256").digest(tgz))
                            .toString();
            attachments
                    .putObject(name + "-" + version + ".sigstore")
                    .put("content_type", "application/vnd.dev.sigstore.bundle.v0.3+json")
                    .put("data", bundle)
                    .put("length", bundle.length());
            spec.commandLine().getOut().println("signed provenance with " + base + "'s Sigstore");
        }
        HttpRequest.Builder put =
                HttpRequest.newBuilder(URI.create(base + "/" + name.replace("/", "%2f")))
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        if (token != null && !token.isBlank()) {
            put.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = http.send(put.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            return fail("publish refused (" + r.statusCode() + "): " + r.body());
        }
        r.headers().firstValue("npm-notice").ifPresent(n -> spec.commandLine().getOut().println(n));
        spec.commandLine().getOut().println("+ " + name + "@" + version);
        return 0;
    }

    /**
     * Fulcio certificate, DSSE signature, Rekor entry: the bundle npm publish --provenance would
     * attach.
     */
    private ObjectNode sign(
            String base, String oidc, String name, String version, byte[] sha512, byte[] sha256)
            throws Exception {
        String[] parts = oidc.trim().split("\\.");
        JsonNode claims;
        try {
            claims =
                    parts.length == 3
                            ? JSON.readTree(Base64.getUrlDecoder().decode(parts[1]))
                            : null;
        } catch (IOException | IllegalArgumentException e) {
            claims = null;
        }
        if (claims == null || !claims.isObject()) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "the OIDC ID token is not a JWT");
        }
        String subject =
                claims.hasNonNull("email") && claims.path("email_verified").asBoolean()
                        ? claims.path("email").asText()
                        : claims.path("sub").asText();
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair key = g.generateKeyPair();
        JsonNode cert =
                post(
                        base + "/api/v2/signingCert",
                        Map.of(
                                "credentials",
                                Map.of("oidcIdentityToken", oidc),
                                "publicKeyRequest",
                                Map.of(
                                        "publicKey",
                                        Map.of(
                                                "algorithm",
                                                "ECDSA",
                                                "content",
                                                dev.warden.signing.CertificateAuthority.pem(
                                                        "PUBLIC KEY",
                                                        key.getPublic().getEncoded())),
                                        "proofOfPossession",
                                        Base64.getEncoder()
                                                .encodeToString(
                                                        sign(
                                                                key,
                                                                subject.getBytes(
                                                                        StandardCharsets
                                                                                .UTF_8))))));
        String leafPem =
                cert.path("signedCertificateEmbeddedSct")
                        .path("chain")
                        .path("certificates")
                        .get(0)
                        .asText();
        byte[] leafDer =
                Base64.getMimeDecoder().decode(leafPem.replaceAll("-----[A-Z ]+-----", ""));

        byte[] payload = JSON.writeValueAsBytes(statement(claims, name, version, sha512, sha256));
        byte[] head =
                ("DSSEv1 " + INTOTO.length() + " " + INTOTO + " " + payload.length + " ")
                        .getBytes(StandardCharsets.UTF_8);
        byte[] pae = new byte[head.length + payload.length];
        System.arraycopy(head, 0, pae, 0, head.length);
        System.arraycopy(payload, 0, pae, head.length, payload.length);
        byte[] sig = sign(key, pae);
        String envelope =
                JSON.writeValueAsString(
                        Map.of(
                                "payload",
                                Base64.getEncoder().encodeToString(payload),
                                "payloadType",
                                INTOTO,
                                "signatures",
                                java.util.List.of(
                                        Map.of(
                                                "sig",
                                                Base64.getEncoder().encodeToString(sig),
                                                "keyid",
                                                ""))));
        JsonNode logged =
                post(
                        base + "/api/v1/log/entries",
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
                                                java.util.List.of(
                                                        Base64.getEncoder()
                                                                .encodeToString(
                                                                        leafPem.getBytes(
                                                                                StandardCharsets
                                                                                        .US_ASCII)))))));
        return bundle(leafDer, logged, payload, sig);
    }

    /**
     * The v0.3 bundle sigstore-js assembles from Fulcio's certificate and Rekor v1's answer for a
     * DSSE entry.
     */
    static ObjectNode bundle(byte[] leafDer, JsonNode rekorAnswer, byte[] payload, byte[] sig) {
        JsonNode e = rekorAnswer.elements().next();
        ObjectNode b = JSON.createObjectNode();
        b.put("mediaType", "application/vnd.dev.sigstore.bundle.v0.3+json");
        ObjectNode vm = b.putObject("verificationMaterial");
        vm.putObject("certificate").put("rawBytes", Base64.getEncoder().encodeToString(leafDer));
        ObjectNode t = vm.putArray("tlogEntries").addObject();
        t.put("logIndex", e.path("logIndex").asText());
        t.putObject("logId")
                .put(
                        "keyId",
                        Base64.getEncoder()
                                .encodeToString(HexFormat.of().parseHex(e.path("logID").asText())));
        t.putObject("kindVersion").put("kind", "dsse").put("version", "0.0.1");
        t.put("integratedTime", e.path("integratedTime").asText());
        t.putObject("inclusionPromise")
                .put(
                        "signedEntryTimestamp",
                        e.path("verification").path("signedEntryTimestamp").asText());
        JsonNode p = e.path("verification").path("inclusionProof");
        ObjectNode proof = t.putObject("inclusionProof");
        proof.put("logIndex", p.path("logIndex").asText());
        proof.put(
                "rootHash",
                Base64.getEncoder()
                        .encodeToString(HexFormat.of().parseHex(p.path("rootHash").asText())));
        proof.put("treeSize", p.path("treeSize").asText());
        proof.putArray("hashes");
        p.path("hashes")
                .forEach(
                        h ->
                                proof.withArray("hashes")
                                        .add(
                                                Base64.getEncoder()
                                                        .encodeToString(
                                                                HexFormat.of()
                                                                        .parseHex(h.asText()))));
        proof.putObject("checkpoint").put("envelope", p.path("checkpoint").asText());
        t.put("canonicalizedBody", e.path("body").asText());
        ObjectNode env = b.putObject("dsseEnvelope");
        env.put("payload", Base64.getEncoder().encodeToString(payload)).put("payloadType", INTOTO);
        env.putArray("signatures")
                .addObject()
                .put("sig", Base64.getEncoder().encodeToString(sig))
                .put("keyid", "");
        return b;
    }

    /** npm's SLSA v1 statement for a GitHub Actions build, from the job's token claims. */
    static ObjectNode statement(
            JsonNode claims, String name, String version, byte[] sha512, byte[] sha256) {
        String server = claims.path("server_url").asText("https://github.com");
        String repo = claims.path("repository").asText();
        String workflowRef = claims.path("workflow_ref").asText();
        String relative =
                workflowRef.startsWith(repo + "/")
                        ? workflowRef.substring(repo.length() + 1)
                        : workflowRef;
        int at = relative.indexOf('@');
        ObjectNode s = JSON.createObjectNode();
        s.put("_type", "https://in-toto.io/Statement/v1");
        // npm names only sha512; sha256 as well lets clients that match DSSE subjects by sha256
        // (sigstore-java) check it
        s.putArray("subject")
                .addObject()
                .put("name", "pkg:npm/" + name.replaceFirst("^@", "%40") + "@" + version)
                .putObject("digest")
                .put("sha512", HexFormat.of().formatHex(sha512))
                .put("sha256", HexFormat.of().formatHex(sha256));
        s.put("predicateType", "https://slsa.dev/provenance/v1");
        ObjectNode def = s.putObject("predicate").putObject("buildDefinition");
        def.put(
                "buildType",
                "https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1");
        def.putObject("externalParameters")
                .putObject("workflow")
                .put("ref", at < 0 ? "" : relative.substring(at + 1))
                .put("repository", server + "/" + repo)
                .put("path", at < 0 ? relative : relative.substring(0, at));
        def.putObject("internalParameters")
                .putObject("github")
                .put("event_name", claims.path("event_name").asText())
                .put("repository_id", claims.path("repository_id").asText())
                .put("repository_owner_id", claims.path("repository_owner_id").asText());
        def.putArray("resolvedDependencies")
                .addObject()
                .put("uri", "git+" + server + "/" + repo + "@" + claims.path("ref").asText())
                .putObject("digest")
                .put("gitCommit", claims.path("sha").asText());
        ObjectNode run = ((ObjectNode) s.get("predicate")).putObject("runDetails");
        run.putObject("builder")
                .put(
                        "id",
                        "https://github.com/actions/runner/"
                                + claims.path("runner_environment").asText("github-hosted"));
        run.putObject("metadata")
                .put(
                        "invocationId",
                        server
                                + "/"
                                + repo
                                + "/actions/runs/"
                                + claims.path("run_id").asText()
                                + "/attempts/"
                                + claims.path("run_attempt").asText());
        return s;
    }

    private String githubActionsToken() throws IOException, InterruptedException {
        String url = System.getenv("ACTIONS_ID_TOKEN_REQUEST_URL");
        String bearer = System.getenv("ACTIONS_ID_TOKEN_REQUEST_TOKEN");
        if (url == null || bearer == null) {
            return null;
        }
        HttpRequest req =
                HttpRequest.newBuilder(
                                URI.create(
                                        url
                                                + (url.contains("?") ? "&" : "?")
                                                + "audience="
                                                + URLEncoder.encode(
                                                        "sigstore", StandardCharsets.UTF_8)))
                        .header("Authorization", "Bearer " + bearer)
                        .GET()
                        .build();
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? JSON.readTree(r.body()).path("value").asText(null) : null;
    }

    private JsonNode post(String url, Object body) throws IOException, InterruptedException {
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .header("Content-Type", "application/json")
                                .POST(
                                        HttpRequest.BodyPublishers.ofByteArray(
                                                JSON.writeValueAsBytes(body)))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new CommandLine.ExecutionException(
                    spec.commandLine(), url + " refused (" + r.statusCode() + "): " + r.body());
        }
        return JSON.readTree(r.body());
    }

    private static byte[] sign(KeyPair key, byte[] data)
            throws java.security.GeneralSecurityException {
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(key.getPrivate());
        s.update(data);
        return s.sign();
    }

    private static ObjectNode packageJson(byte[] tgz) throws IOException {
        try (TarArchiveInputStream tar =
                new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(tgz)))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (e.getName().equals("package/package.json")) {
                    return (ObjectNode) JSON.readTree(tar.readAllBytes());
                }
            }
        }
        throw new IOException("the tarball has no package/package.json");
    }

    private int fail(String message) {
        spec.commandLine().getErr().println("warden: " + message);
        return 2;
    }
}
