package dev.warden.server.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the OIDC issuers of GitHub Actions and GitLab CI, on a loopback port: it serves
 * each issuer's JWKS, answers GitHub's {@code ACTIONS_ID_TOKEN_REQUEST_URL} with a signed token for
 * the audience asked, and signs tokens with the claims those CIs put in theirs.
 */
public final class TestOidcIssuer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The bearer token a job presents to its token endpoint ({@code
     * ACTIONS_ID_TOKEN_REQUEST_TOKEN}).
     */
    public static final String REQUEST_TOKEN = "test-actions-request-token";

    private final HttpServer http;
    private final RSAKey key;
    private final RSAKey stray;
    private final Clock clock;
    private final AtomicInteger served = new AtomicInteger();
    private volatile Map<String, Object> jobClaims = Map.of();

    private TestOidcIssuer(Clock clock) throws IOException {
        this.clock = clock;
        try {
            key = new RSAKeyGenerator(2048).keyID("test-key-1").generate();
            stray = new RSAKeyGenerator(2048).keyID("stray-key").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        for (String type : List.of("github", "gitlab")) {
            http.createContext(
                    "/" + type + "/jwks",
                    ex -> reply(ex, 200, new JWKSet(key).toPublicJWKSet().toString()));
        }
        http.createContext("/github/token", this::actionsToken);
        http.start();
    }

    public static TestOidcIssuer start(Clock clock) throws IOException {
        return new TestOidcIssuer(clock);
    }

    public String base() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    /** The {@code iss} of this issuer's tokens of {@code type} ("github" or "gitlab"). */
    public String issuer(String type) {
        return base() + "/" + type;
    }

    /** The registry setting {@code oidc.extra_issuers} that trusts this issuer. */
    public String extraIssuersSetting() {
        return "["
                + String.join(
                        ",",
                        List.of("github", "gitlab").stream()
                                .map(
                                        t ->
                                                "{\"type\":\""
                                                        + t
                                                        + "\",\"issuer\":\""
                                                        + issuer(t)
                                                        + "\",\"jwks\":\""
                                                        + issuer(t)
                                                        + "/jwks\"}")
                                .toList())
                + "]";
    }

    /**
     * {@code ACTIONS_ID_TOKEN_REQUEST_URL}: GitHub's includes a query already, and npm appends
     * {@code &audience=...}.
     */
    public String actionsTokenUrl() {
        return issuer("github") + "/token?api-version=2.0";
    }

    /**
     * The claims the job's tokens carry (besides iss, aud and times), as GitHub would put them for
     * this job.
     */
    public void job(Map<String, Object> claims) {
        this.jobClaims = Map.copyOf(claims);
    }

    /** How many tokens the token endpoint handed out. */
    public int tokensServed() {
        return served.get();
    }

    /**
     * GitHub Actions' claims for a job of {@code repository} running {@code workflowFile}, in
     * {@code environment} (may be null).
     */
    public static Map<String, Object> github(
            String repository, String workflowFile, String environment) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put(
                "sub",
                "repo:"
                        + repository
                        + (environment == null
                                ? ":ref:refs/heads/main"
                                : ":environment:" + environment));
        c.put("repository", repository);
        c.put("repository_owner", repository.substring(0, repository.indexOf('/')));
        c.put("repository_visibility", "private");
        c.put("workflow", "Publish");
        c.put(
                "workflow_ref",
                repository + "/.github/workflows/" + workflowFile + "@refs/heads/main");
        c.put(
                "job_workflow_ref",
                repository + "/.github/workflows/" + workflowFile + "@refs/heads/main");
        c.put("ref", "refs/heads/main");
        c.put("ref_type", "branch");
        c.put("sha", "8f4b2c1d9e7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c");
        c.put("run_id", "9876543210");
        c.put("run_number", "42");
        c.put("run_attempt", "1");
        c.put("event_name", "push");
        c.put("runner_environment", "github-hosted");
        if (environment != null) {
            c.put("environment", environment);
        }
        return c;
    }

    /**
     * GitLab CI's claims for a job of {@code projectPath} whose CI configuration is {@code
     * configFile}.
     */
    public static Map<String, Object> gitlab(
            String projectPath, String configFile, String environment) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("sub", "project_path:" + projectPath + ":ref_type:branch:ref:main");
        c.put("namespace_path", projectPath.substring(0, projectPath.lastIndexOf('/')));
        c.put("project_path", projectPath);
        c.put("project_visibility", "private");
        c.put("pipeline_id", "1234567");
        c.put("pipeline_source", "push");
        c.put("job_id", "7654321");
        c.put("ref", "main");
        c.put("ref_type", "branch");
        c.put("ref_protected", "true");
        c.put("sha", "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b");
        c.put(
                "ci_config_ref_uri",
                "gitlab.example/" + projectPath + "//" + configFile + "@refs/heads/main");
        c.put("ci_config_sha", "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b");
        c.put("runner_environment", "gitlab-hosted");
        if (environment != null) {
            c.put("environment", environment);
        }
        return c;
    }

    /** A token of {@code type}'s issuer for {@code audience}, valid for five minutes from now. */
    public String token(String type, String audience, Map<String, Object> claims) {
        Instant now = clock.instant();
        return sign(key, type, audience, claims, now, now.plus(Duration.ofMinutes(5)));
    }

    /** A token with the validity period given. */
    public String token(
            String type,
            String audience,
            Map<String, Object> claims,
            Instant issued,
            Instant expires) {
        return sign(key, type, audience, claims, issued, expires);
    }

    /** A token signed by a key that is not in the issuer's JWKS. */
    public String strayToken(String type, String audience, Map<String, Object> claims) {
        Instant now = clock.instant();
        return sign(stray, type, audience, claims, now, now.plus(Duration.ofMinutes(5)));
    }

    private String sign(
            RSAKey with,
            String type,
            String audience,
            Map<String, Object> claims,
            Instant issued,
            Instant expires) {
        JWTClaimsSet.Builder b =
                new JWTClaimsSet.Builder()
                        .issuer(issuer(type))
                        .audience(audience)
                        .issueTime(Date.from(issued))
                        .notBeforeTime(Date.from(issued))
                        .expirationTime(Date.from(expires))
                        .jwtID(UUID.randomUUID().toString());
        claims.forEach(b::claim);
        SignedJWT jwt =
                new SignedJWT(
                        new JWSHeader.Builder(JWSAlgorithm.RS256)
                                .keyID(with.getKeyID())
                                .type(JOSEObjectType.JWT)
                                .build(),
                        b.build());
        try {
            jwt.sign(new RSASSASigner(with));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    private void actionsToken(HttpExchange ex) throws IOException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (!("Bearer " + REQUEST_TOKEN).equals(auth)) {
            reply(ex, 401, "{\"message\":\"bad request token\"}");
            return;
        }
        String audience = null;
        for (String kv : ex.getRequestURI().getRawQuery().split("&")) {
            if (kv.startsWith("audience=")) {
                audience =
                        URLDecoder.decode(
                                kv.substring("audience=".length()), StandardCharsets.UTF_8);
            }
        }
        if (audience == null) {
            reply(ex, 400, "{\"message\":\"no audience\"}");
            return;
        }
        served.incrementAndGet();
        reply(
                ex,
                200,
                JSON.writeValueAsString(
                        Map.of("count", 1, "value", token("github", audience, jobClaims))));
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
