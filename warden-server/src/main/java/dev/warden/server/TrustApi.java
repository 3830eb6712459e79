package dev.warden.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.accounts.Accounts;
import dev.warden.accounts.Principal;
import dev.warden.common.Problem;
import dev.warden.provenance.IdTokens;
import dev.warden.provenance.TrustedPublishing;
import dev.warden.registry.Registry;
import dev.warden.server.http.Exchange;
import dev.warden.server.http.Reply;
import dev.warden.server.http.Router;
import dev.warden.storage.TrustedPublishers.TrustRecord;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trusted publishing: {@code npm trust github|gitlab|circleci|list|revoke} manage a package's
 * trusted publisher ({@code /-/package/:pkg/trust}), and a CI job exchanges its OIDC ID token for a
 * short-lived token that can publish only that package ({@code POST
 * /-/npm/v1/oidc/token/exchange/package/:pkg}).
 */
final class TrustApi {

    private static final Logger LOG = LoggerFactory.getLogger(TrustApi.class);

    /** A trusted publisher's configuration or the policy: a few hundred bytes. */
    private static final long CONFIG_BODY = 16 * 1024;

    private final Registry registry;
    private final Accounts accounts;
    private final IdTokens idTokens;
    private final String audience;
    private final ObjectMapper json;

    /**
     * @param audience what ID tokens must be issued for: {@code npm:<registry host name>}
     */
    TrustApi(
            Registry registry,
            Accounts accounts,
            IdTokens idTokens,
            String audience,
            ObjectMapper json) {
        this.registry = registry;
        this.accounts = accounts;
        this.idTokens = idTokens;
        this.audience = audience;
        this.json = json;
    }

    void routes(Router router) {
        router.route("GET", "/-/package/{pkg}/trust", this::list)
                .route("POST", "/-/package/{pkg}/trust", CONFIG_BODY, this::add)
                .route("DELETE", "/-/package/{pkg}/trust/{id}", this::revoke)
                .route("PUT", "/-/package/{pkg}/trust-policy", CONFIG_BODY, this::policy)
                .route("POST", "/-/npm/v1/oidc/token/exchange/package/{pkg}", this::exchange);
    }

    private Reply list(Exchange ex) {
        Principal principal = ex.requirePrincipal();
        List<TrustRecord> trusts = registry.trustedPublishers(ex.param("pkg"), principal);
        return ex.ok(trusts.stream().map(this::view).toList());
    }

    private Reply add(Exchange ex) throws IOException {
        String name = ex.param("pkg");
        Principal principal = ex.requirePrincipal(); // before any body is read
        JsonNode body = ex.jsonBody();
        // the npm CLI sends a list of one; a single object is taken too
        if (body.isArray()) {
            if (body.size() != 1) {
                throw Problem.badRequest(
                        "send exactly one trusted publisher (a package has at most one)");
            }
            body = body.get(0);
        }
        TrustedPublishing.Config config = TrustedPublishing.checkConfig(body);
        requireFreshSecondFactor(ex, principal, name);
        Registry.Changed<TrustRecord> added = registry.addTrustedPublisher(name, config, principal);
        LOG.info(
                "trusted publisher {} ({}) added to {} by {}",
                added.value().id(),
                added.value().type(),
                name,
                principal.user());
        return logged(ex, 201, List.of(view(added.value())), added.logIndexes());
    }

    private Reply revoke(Exchange ex) {
        String name = ex.param("pkg");
        Principal principal = ex.requirePrincipal();
        requireFreshSecondFactor(ex, principal, name);
        List<Long> indexes = registry.removeTrustedPublisher(name, ex.param("id"), principal);
        LOG.info(
                "trusted publisher {} removed from {} by {}",
                ex.param("id"),
                name,
                principal.user());
        return logged(ex, 200, Map.of("ok", true), indexes);
    }

    /**
     * {@code {"require_trusted_publisher": true|false}}: whether only the trusted publisher may
     * publish.
     */
    private Reply policy(Exchange ex) throws IOException {
        String name = ex.param("pkg");
        Principal principal = ex.requirePrincipal();
        JsonNode body = ex.jsonBody();
        JsonNode required = body.get("require_trusted_publisher");
        if (!body.isObject() || body.size() != 1 || required == null || !required.isBoolean()) {
            throw Problem.badRequest(
                    "body must be {\"require_trusted_publisher\": true} or"
                            + " {\"require_trusted_publisher\": false}");
        }
        requireFreshSecondFactor(ex, principal, name);
        List<Long> indexes =
                registry.requireTrustedPublisher(name, required.asBoolean(), principal);
        return logged(
                ex,
                200,
                Map.of("ok", true, "require_trusted_publisher", required.asBoolean()),
                indexes);
    }

    /**
     * Changing who may publish takes a second factor every time ({@link
     * Exchange#requireFreshSecondFactor}).
     */
    private void requireFreshSecondFactor(Exchange ex, Principal principal, String name) {
        ex.requireFreshSecondFactor("changing a package's trusted publishers");
        if (!principal.limits().covers(name)) {
            throw Problem.forbidden(
                    "this token may not change "
                            + Problem.clip(name)
                            + ": it is limited to other packages or scopes");
        }
    }

    private Reply exchange(Exchange ex) {
        String name = ex.param("pkg");
        IdTokens.Verified token = idTokens.verify(ex.bearerToken(), audience);
        List<TrustRecord> trusts;
        try {
            trusts = registry.trustedPublishersOf(name);
        } catch (Problem p) {
            throw withMessage(p);
        }
        // a restricted package's trust is nobody else's business: a job that does not match it
        // learns
        // nothing more than it would of a package that does not exist
        Problem hidden =
                registry.isRestricted(name)
                        ? Problem.notFound("package " + Problem.clip(name) + " not found")
                        : null;
        if (trusts.isEmpty()) {
            if (hidden != null) {
                throw withMessage(hidden);
            }
            throw withMessage(
                    Problem.notFound(
                            Problem.clip(name)
                                    + " has no trusted publisher: a maintainer adds one with "
                                    + "npm trust github|gitlab|circleci "
                                    + Problem.clip(name)));
        }
        String reason = null;
        for (TrustRecord t : trusts) {
            String mismatch = TrustedPublishing.mismatch(t.type(), read(t.claims()), token);
            if (mismatch == null) {
                String identity = TrustedPublishing.identity(token).toString();
                Accounts.IssuedPublishToken issued =
                        accounts.issuePublishToken(
                                name,
                                t.id(),
                                t.permissions(),
                                identity,
                                token.replayKey(),
                                token.expires());
                LOG.atInfo()
                        .addKeyValue("package", name)
                        .addKeyValue("trust", t.id())
                        .addKeyValue("identity", identity)
                        .log("publish token issued to a trusted publisher");
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("token", issued.secret());
                out.put("expires", issued.expires().toString());
                return ex.status(201, out);
            }
            reason = mismatch;
        }
        if (hidden != null) {
            LOG.atInfo()
                    .addKeyValue("package", name)
                    .log("ID token refused for a restricted package: " + reason);
            throw withMessage(hidden);
        }
        throw withMessage(
                Problem.forbidden(
                        "the ID token is not a trusted publisher of "
                                + Problem.clip(name)
                                + ": "
                                + reason));
    }

    /**
     * The npm CLI shows a failed exchange's {@code message} (with --loglevel verbose); other
     * clients read {@code error}.
     */
    private static Problem withMessage(Problem p) {
        return p.with("message", p.getMessage());
    }

    private ObjectNode view(TrustRecord t) {
        ObjectNode o = json.createObjectNode();
        o.put("id", t.id());
        o.put("type", t.type());
        o.set("claims", read(t.claims()));
        ArrayNode perms = o.putArray("permissions");
        t.permissions().forEach(perms::add);
        o.put("created", t.created().toString());
        o.put("createdBy", t.createdBy());
        return o;
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Reply logged(Exchange ex, int status, Object body, List<Long> logIndexes) {
        Reply reply = ex.status(status, body);
        if (!logIndexes.isEmpty()) {
            reply.header(
                    "Warden-Log-Index",
                    logIndexes.stream()
                            .map(String::valueOf)
                            .collect(java.util.stream.Collectors.joining(", ")));
        }
        return reply;
    }
}
