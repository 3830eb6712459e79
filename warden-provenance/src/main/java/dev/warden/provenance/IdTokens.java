package dev.warden.provenance;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import dev.warden.common.Digests;
import dev.warden.common.Problem;

import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Verifies the OIDC ID tokens that CI systems give their jobs: the issuer must be one configured,
 * the signature must verify with a key from that issuer's JWKS, and the audience and validity
 * period must hold now. The JWKS is fetched when first needed, cached, and fetched again (at most
 * every 30 s) when a token names a key it does not have.
 */
public final class IdTokens {

    /** Issuer clocks may run a little ahead of ours. */
    static final Duration LEEWAY = Duration.ofSeconds(60);

    /** Longest ID token taken; CI tokens are about 1-2 KB. */
    public static final int MAX_LENGTH = 16_384;

    private static final Set<JWSAlgorithm> ALGORITHMS =
            Set.of(
                    JWSAlgorithm.RS256,
                    JWSAlgorithm.RS384,
                    JWSAlgorithm.RS512,
                    JWSAlgorithm.PS256,
                    JWSAlgorithm.PS384,
                    JWSAlgorithm.PS512,
                    JWSAlgorithm.ES256,
                    JWSAlgorithm.ES384,
                    JWSAlgorithm.EdDSA);

    /**
     * A wildcard issuer's variable part: one path segment of a safe shape (CircleCI's organization
     * id).
     */
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    /** Most distinct issuers of a wildcard kept at once. */
    private static final int MAX_SOURCES = 1_000;

    /**
     * An issuer whose tokens are taken.
     *
     * @param type the CI kind its tokens describe: "github", "gitlab" or "circleci"
     * @param issuer the exact {@code iss}, or a prefix ending in {@code /*} that stands for one
     *     more path segment
     * @param jwks where its keys are; {@code {issuer}} is replaced by the token's issuer
     */
    public record Issuer(String type, String issuer, String jwks) {
        public Issuer {
            if (!TrustedPublishing.TYPES.contains(type)) {
                throw new IllegalArgumentException(
                        "issuer type must be one of " + TrustedPublishing.TYPES + ", not " + type);
            }
            for (String url :
                    List.of(issuer.replace("/*", "/x"), jwks.replace("{issuer}", "https://h"))) {
                URI u = URI.create(url);
                if (u.getScheme() == null
                        || !u.getScheme().matches("https?")
                        || u.getHost() == null) {
                    throw new IllegalArgumentException("not an http(s) URL: " + url);
                }
            }
        }

        public boolean matches(String iss) {
            if (issuer.endsWith("/*")) {
                String prefix = issuer.substring(0, issuer.length() - 1);
                return iss.startsWith(prefix)
                        && SEGMENT.matcher(iss.substring(prefix.length())).matches();
            }
            return issuer.equals(iss);
        }
    }

    /**
     * A token that verified.
     *
     * @param replayKey the same for every copy of this token and different for any other: the
     *     digest of its signed claims
     */
    public record Verified(
            String type,
            String issuer,
            Map<String, Object> claims,
            String replayKey,
            Instant expires) {
        public String claim(String name) {
            Object v = claims.get(name);
            return v instanceof String s ? s : null;
        }
    }

    private final List<Issuer> issuers;
    private final Clock clock;
    private final Map<String, DefaultJWTProcessor<SecurityContext>> processors =
            new ConcurrentHashMap<>();

    public IdTokens(List<Issuer> issuers, Clock clock) {
        this.issuers = List.copyOf(issuers);
        this.clock = clock;
    }

    public List<Issuer> issuers() {
        return issuers;
    }

    /**
     * Verifies {@code jwt} for {@code audience}, or throws a 401 that says what is wrong with it.
     */
    public Verified verify(String jwt, String audience) {
        if (jwt == null || jwt.isBlank()) {
            throw refused("no ID token: send the CI's OIDC ID token as the bearer token");
        }
        if (jwt.length() > MAX_LENGTH) {
            throw refused("the ID token is longer than " + MAX_LENGTH + " characters");
        }
        SignedJWT parsed;
        String iss;
        try {
            parsed = SignedJWT.parse(jwt.trim());
            iss = parsed.getJWTClaimsSet().getIssuer();
        } catch (ParseException e) {
            throw refused(
                    "the bearer token is not a signed JWT (an OIDC ID token): " + e.getMessage());
        }
        if (iss == null) {
            throw refused("the ID token names no issuer (iss)");
        }
        Issuer issuer =
                issuers.stream()
                        .filter(i -> i.matches(iss))
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        refused(
                                                "ID tokens from "
                                                        + clip(iss)
                                                        + " are not accepted by this registry"));
        JWTClaimsSet claims;
        try {
            claims = processor(issuer, iss).process(parsed, null);
        } catch (BadJOSEException e) {
            throw refused(
                    "the ID token's signature does not verify with the keys of "
                            + clip(iss)
                            + " ("
                            + e.getMessage()
                            + ")");
        } catch (JOSEException e) {
            throw refused("the ID token could not be verified: " + e.getMessage());
        }
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw refused("the ID token has no expiry (exp)");
        }
        if (!now.isBefore(exp.toInstant())) {
            throw refused("the ID token expired at " + exp.toInstant());
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now.plus(LEEWAY).isBefore(nbf.toInstant())) {
            throw refused("the ID token is not valid before " + nbf.toInstant());
        }
        Date iat = claims.getIssueTime();
        if (iat != null && now.plus(LEEWAY).isBefore(iat.toInstant())) {
            throw refused("the ID token was issued in the future (" + iat.toInstant() + ")");
        }
        List<String> aud = claims.getAudience();
        if (aud == null || !aud.contains(audience)) {
            throw refused(
                    "the ID token's audience is "
                            + clip(String.valueOf(aud))
                            + ", but this registry takes tokens for "
                            + audience
                            + " (npm asks for audience npm:<registry host name>)");
        }
        String payload = parsed.getParsedParts()[1].decodeToString();
        String replayKey = iss + " " + Digests.sha256Hex(payload.getBytes(StandardCharsets.UTF_8));
        return new Verified(issuer.type(), iss, claims.getClaims(), replayKey, exp.toInstant());
    }

    private DefaultJWTProcessor<SecurityContext> processor(Issuer issuer, String iss) {
        DefaultJWTProcessor<SecurityContext> existing = processors.get(iss);
        if (existing != null) {
            return existing;
        }
        if (processors.size() >= MAX_SOURCES) {
            processors.clear();
        }
        return processors.computeIfAbsent(
                iss,
                k -> {
                    URL url;
                    try {
                        url = URI.create(issuer.jwks().replace("{issuer}", iss)).toURL();
                    } catch (MalformedURLException | IllegalArgumentException e) {
                        throw refused("the JWKS location for " + clip(iss) + " is not a URL");
                    }
                    JWKSource<SecurityContext> keys =
                            JWKSourceBuilder.<SecurityContext>create(
                                            url,
                                            new DefaultResourceRetriever(5_000, 5_000, 256 * 1024))
                                    .cache(
                                            Duration.ofMinutes(15).toMillis(),
                                            Duration.ofSeconds(15).toMillis())
                                    .rateLimited(Duration.ofSeconds(30).toMillis())
                                    .retrying(false)
                                    .build();
                    DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
                    p.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
                    // Times are checked against the registry's clock in verify(), not here.
                    p.setJWTClaimsSetVerifier((claims, context) -> {});
                    return p;
                });
    }

    private static Problem refused(String message) {
        return Problem.unauthorized(message).with("message", message);
    }

    static String clip(String s) {
        String t = s.length() > 100 ? s.substring(0, 100) + "..." : s;
        return t.replaceAll("\\p{Cntrl}", "?");
    }
}
