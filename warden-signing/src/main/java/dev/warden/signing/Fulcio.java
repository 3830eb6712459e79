package dev.warden.signing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.common.Problem;
import dev.warden.provenance.IdTokens;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fulcio's v2 API, {@code POST /api/v2/signingCert}: verifies the OIDC ID token (the configured
 * issuers, audience {@code sigstore}), checks that the request's proof of possession is the token's
 * subject ({@code email} when the token has a verified one, else {@code sub}) signed with the key
 * to certify, and issues a 10-minute certificate whose SAN and extensions carry the token's claims
 * as Fulcio maps them for the issuer's kind of CI.
 */
public final class Fulcio {

    public static final String AUDIENCE = "sigstore";
    static final String OID = "1.3.6.1.4.1.57264.1.";

    private final CertificateAuthority ca;
    private final IdTokens tokens;
    private final ObjectMapper json;
    private final Clock clock;

    public Fulcio(CertificateAuthority ca, IdTokens tokens, ObjectMapper json, Clock clock) {
        this.ca = ca;
        this.tokens = tokens;
        this.json = json;
        this.clock = clock;
    }

    /**
     * A certificate's identity: its SAN and Fulcio extensions (DER strings) and legacy extensions
     * (raw).
     */
    record Identity(String san, Map<String, String> extensions, Map<String, String> legacy) {}

    public ObjectNode signingCert(JsonNode request, String bearer) {
        String token = request.path("credentials").path("oidcIdentityToken").asText(null);
        if (token == null || token.isEmpty()) {
            token = bearer;
        }
        if (token == null || token.isEmpty()) {
            throw Problem.unauthorized(
                    "no OIDC identity token: send credentials.oidcIdentityToken");
        }
        JsonNode keyRequest = request.path("publicKeyRequest");
        String pem = keyRequest.path("publicKey").path("content").asText(null);
        String pop = keyRequest.path("proofOfPossession").asText(null);
        if (pem == null || pop == null) {
            throw Problem.badRequest(
                    "publicKeyRequest needs publicKey.content (PEM) and proofOfPossession");
        }
        IdTokens.Verified verified = tokens.verify(token, AUDIENCE);
        PublicKey key;
        try {
            key = Keys.fromPem(pem.getBytes(StandardCharsets.US_ASCII), "publicKey.content");
        } catch (Problem p) {
            throw Problem.badRequest(
                    "publicKey.content is not a PEM public key (EC, Ed25519 or RSA)");
        }
        if (key instanceof ECPublicKey ec
                && ec.getParams().getCurve().getField().getFieldSize() < 256) {
            throw Problem.badRequest("EC keys must be P-256 or larger");
        }
        String subject = subject(verified);
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(pop);
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("proofOfPossession is not base64");
        }
        if (!Keys.verify(key, subject.getBytes(StandardCharsets.UTF_8), signature)) {
            throw Problem.badRequest(
                    "proofOfPossession is not the token's subject ("
                            + subject
                            + ") signed with the public key to certify");
        }
        Identity id = identity(verified);
        List<X509Certificate> issued =
                ca.issue(key, id.san(), id.extensions(), id.legacy(), clock.instant());
        ObjectNode out = json.createObjectNode();
        ArrayNode chain =
                out.putObject("signedCertificateEmbeddedSct")
                        .putObject("chain")
                        .putArray("certificates");
        try {
            for (X509Certificate c : issued) {
                chain.add(CertificateAuthority.pem("CERTIFICATE", c.getEncoded()));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static String subject(IdTokens.Verified t) {
        String email = t.claim("email");
        if (email != null && Boolean.TRUE.equals(t.claims().get("email_verified"))) {
            return email;
        }
        String sub = t.claim("sub");
        if (sub == null) {
            throw Problem.badRequest("the ID token has no subject (sub)");
        }
        return sub;
    }

    /**
     * Fulcio's mapping of a CI's claims to the certificate (GitHub Actions and GitLab CI; others by
     * email or subject).
     */
    static Identity identity(IdTokens.Verified t) {
        Map<String, String> ext = new LinkedHashMap<>();
        Map<String, String> legacy = new LinkedHashMap<>();
        legacy.put(OID + "1", t.issuer());
        ext.put(OID + "8", t.issuer());
        String san;
        switch (t.type()) {
            case "github" -> {
                String server =
                        t.claim("server_url") != null
                                ? t.claim("server_url")
                                : "https://github.com";
                String repo = required(t, "repository");
                String jobWorkflow = required(t, "job_workflow_ref");
                san = server + "/" + jobWorkflow;
                legacy.put(OID + "2", nz(t.claim("event_name")));
                legacy.put(OID + "3", nz(t.claim("sha")));
                legacy.put(OID + "4", nz(t.claim("workflow")));
                legacy.put(OID + "5", repo);
                legacy.put(OID + "6", nz(t.claim("ref")));
                put(ext, 9, server + "/" + jobWorkflow);
                put(ext, 10, t.claim("job_workflow_sha"));
                put(ext, 11, t.claim("runner_environment"));
                put(ext, 12, server + "/" + repo);
                put(ext, 13, t.claim("sha"));
                put(ext, 14, t.claim("ref"));
                put(ext, 15, t.claim("repository_id"));
                put(
                        ext,
                        16,
                        t.claim("repository_owner") == null
                                ? null
                                : server + "/" + t.claim("repository_owner"));
                put(ext, 17, t.claim("repository_owner_id"));
                put(
                        ext,
                        18,
                        t.claim("workflow_ref") == null
                                ? null
                                : server + "/" + t.claim("workflow_ref"));
                put(ext, 19, t.claim("workflow_sha"));
                put(ext, 20, t.claim("event_name"));
                put(
                        ext,
                        21,
                        t.claim("run_id") == null
                                ? null
                                : server
                                        + "/"
                                        + repo
                                        + "/actions/runs/"
                                        + t.claim("run_id")
                                        + "/attempts/"
                                        + nz(t.claim("run_attempt")));
                put(ext, 22, t.claim("repository_visibility"));
                put(ext, 23, t.claim("environment"));
            }
            case "gitlab" -> {
                String host = "https://" + java.net.URI.create(t.issuer()).getHost();
                String project = required(t, "project_path");
                String config = t.claim("ci_config_ref_uri");
                san =
                        config != null
                                ? "https://" + config
                                : host + "/" + project + "//.gitlab-ci.yml@" + nz(t.claim("ref"));
                put(ext, 9, san);
                put(ext, 10, t.claim("ci_config_sha"));
                put(ext, 11, t.claim("runner_environment"));
                put(ext, 12, host + "/" + project);
                put(ext, 13, t.claim("sha"));
                put(
                        ext,
                        14,
                        t.claim("ref") == null
                                ? null
                                : ("branch".equals(t.claim("ref_type"))
                                                ? "refs/heads/"
                                                : "refs/tags/")
                                        + t.claim("ref"));
                put(ext, 15, t.claim("project_id"));
                put(
                        ext,
                        16,
                        t.claim("namespace_path") == null
                                ? null
                                : host + "/" + t.claim("namespace_path"));
                put(ext, 17, t.claim("namespace_id"));
                put(ext, 18, config == null ? null : "https://" + config);
                put(ext, 19, t.claim("ci_config_sha"));
                put(ext, 20, t.claim("pipeline_source"));
                put(
                        ext,
                        21,
                        t.claim("pipeline_id") == null
                                ? null
                                : host + "/" + project + "/-/jobs/" + nz(t.claim("job_id")));
                put(ext, 22, t.claim("project_visibility"));
                put(ext, 23, t.claim("environment"));
            }
            default -> san = subject(t);
        }
        return new Identity(san, ext, legacy);
    }

    private static String required(IdTokens.Verified t, String claim) {
        String v = t.claim(claim);
        if (v == null || v.isBlank()) {
            throw Problem.badRequest(
                    "the ID token has no "
                            + claim
                            + " claim, which a "
                            + t.type()
                            + " certificate needs");
        }
        return v;
    }

    private static void put(Map<String, String> ext, int arc, String value) {
        if (value != null && !value.isEmpty()) {
            ext.put(OID + arc, value);
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
