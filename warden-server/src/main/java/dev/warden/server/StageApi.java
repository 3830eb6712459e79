package dev.warden.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.accounts.Principal;
import dev.warden.common.Problem;
import dev.warden.governance.GovernancePolicy;
import dev.warden.governance.PackageGovernance;
import dev.warden.registry.Registry;
import dev.warden.server.http.Exchange;
import dev.warden.server.http.Reply;
import dev.warden.server.http.Router;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Staged releases as the npm CLI's {@code npm stage publish|list|view|download|approve|reject} use
 * them, and packages' governance policies ({@code /-/package/:pkg/governance}).
 */
final class StageApi {

    private static final Pattern UUID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /** A policy or a list of successors: a few hundred bytes. */
    private static final long POLICY_BODY = 16 * 1024;

    private final Registry registry;
    private final PackageGovernance governance;
    private final ObjectMapper json;

    StageApi(Registry registry, ObjectMapper json) {
        this.registry = registry;
        this.governance = registry.governance();
        this.json = json;
    }

    void routes(Router router) {
        router.route("POST", "/-/stage/package/{pkg}", Router.MAX_BODY, this::stage)
                .route("GET", "/-/stage", this::list)
                .route("GET", "/-/stage/{id}", this::view)
                .route("GET", "/-/stage/{id}/tarball", this::tarball)
                .route("POST", "/-/stage/{id}/approve", this::approve)
                .route("DELETE", "/-/stage/{id}", this::reject)
                .route(
                        "GET",
                        "/-/governance/requests",
                        ex ->
                                ex.ok(
                                        governance.requests(
                                                ex.requirePrincipal(),
                                                emptyToNull(ex.query("package")))))
                .route(
                        "GET",
                        "/-/governance/requests/{id}",
                        ex -> ex.ok(governance.request(uuidParam(ex), ex.requirePrincipal())))
                .route("POST", "/-/governance/requests/{id}/approve", this::approveRequest)
                .route("DELETE", "/-/governance/requests/{id}", this::rejectRequest)
                .route(
                        "GET",
                        "/-/package/{pkg}/succession",
                        ex ->
                                ex.ok(
                                        registry.succession()
                                                .document(
                                                        ex.param("pkg"),
                                                        ex.principal().orElse(null))))
                .route("PUT", "/-/package/{pkg}/successors", POLICY_BODY, this::nameSuccessors)
                .route(
                        "POST",
                        "/-/package/{pkg}/claim",
                        ex ->
                                ex.ok(
                                        registry.succession()
                                                .claim(
                                                        ex.param("pkg"),
                                                        ex.requireFreshSecondFactor(
                                                                "claiming a package"))))
                .route(
                        "GET",
                        "/-/succession/notices",
                        ex -> ex.ok(registry.succession().openNotices(ex.principal().orElse(null))))
                .route(
                        "POST",
                        "/-/succession/{id}/object",
                        ex ->
                                logged(
                                        ex,
                                        Map.of("ok", true, "state", "objected"),
                                        registry.succession()
                                                .object(
                                                        uuidParam(ex),
                                                        ex.requireFreshSecondFactor(
                                                                "objecting to a handover"))))
                .route(
                        "POST",
                        "/-/succession/{id}/accept",
                        ex ->
                                logged(
                                        ex,
                                        Map.of("ok", true, "state", "accepted"),
                                        registry.succession()
                                                .accept(
                                                        uuidParam(ex),
                                                        ex.requireFreshSecondFactor(
                                                                "accepting maintainership"))))
                .route(
                        "GET",
                        "/-/package/{pkg}/governance",
                        ex ->
                                ex.ok(
                                        governance.policyDocument(
                                                ex.param("pkg"), ex.principal().orElse(null))))
                .route(
                        "GET",
                        "/-/package/{pkg}/impact",
                        ex ->
                                ex.ok(
                                        governance.impact(
                                                ex.param("pkg"), ex.principal().orElse(null))))
                .route(
                        "GET",
                        "/-/package/{pkg}/log",
                        ex ->
                                ex.ok(
                                        registry.logStatements(
                                                ex.param("pkg"), ex.principal().orElse(null))))
                .route("PUT", "/-/package/{pkg}/governance", POLICY_BODY, this::setPolicy);
    }

    /** {@code npm stage publish}: no second factor now (the CLI asks none); approvals take it. */
    private Reply stage(Exchange ex) throws Exception {
        String name = ex.param("pkg");
        ex.allowTrustedPublisher();
        Principal principal = ex.requirePrincipal(); // before any body is read
        if (!principal.canWrite()) {
            throw Problem.forbidden("this token is read-only");
        }
        ObjectNode body = ex.jsonObject();
        Registry.Published staged = registry.stage(name, body, principal, NpmApi.publishClient(ex));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ok", true);
        out.put("stageId", staged.stageId());
        out.put("id", staged.name());
        out.put("version", staged.version());
        return logged(ex, out, staged.logIndexes());
    }

    private Reply list(Exchange ex) {
        Principal principal = ex.requirePrincipal();
        String pkg = emptyToNull(ex.query("package"));
        int page = intParam(ex, "page", 0, 0, 100_000);
        int perPage = intParam(ex, "perPage", 100, 1, 100);
        return ex.ok(governance.list(principal, pkg, page, perPage));
    }

    private Reply view(Exchange ex) {
        return ex.ok(governance.view(uuidParam(ex), ex.requirePrincipal()));
    }

    private Reply tarball(Exchange ex) {
        byte[] bytes = governance.tarball(uuidParam(ex), ex.requirePrincipal());
        return new Reply.Bytes(200, "application/octet-stream", bytes, new LinkedHashMap<>());
    }

    /** The passkey rule approvals are checked against (none: not checked). */
    private dev.warden.awareness.PasskeyRule passkeys;

    StageApi withPasskeys(dev.warden.awareness.PasskeyRule rule) {
        this.passkeys = rule;
        return this;
    }

    private java.util.Optional<String> passkeyCheck(String id, Principal principal) {
        return passkeys == null || principal.publisher() != null
                ? java.util.Optional.empty()
                : passkeys.checkApproval(principal.user(), id);
    }

    private Reply approve(Exchange ex) {
        String id = uuidParam(ex);
        Principal principal = ex.requireFreshSecondFactor("approving a release");
        java.util.Optional<String> passkeyNotice = passkeyCheck(id, principal);
        PackageGovernance.Approval a = governance.approve(id, principal);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ok", true);
        out.put("id", id);
        out.put("packageName", a.stage().pkg());
        out.put("version", a.stage().version());
        out.put("approvals", a.approvals());
        out.put("approvalsRequired", a.stage().required());
        out.put("live", a.live());
        if (a.goesLiveAt() != null) {
            out.put("goesLiveAt", a.goesLiveAt().toString());
        }
        Reply reply = logged(ex, out, a.logIndexes());
        passkeyNotice.ifPresent(n -> reply.header("npm-notice", n));
        if (!a.live()) {
            reply.header(
                    "npm-notice",
                    "warden: approval recorded ("
                            + a.approvals()
                            + " of "
                            + a.stage().required()
                            + "); "
                            + a.stage().pkg()
                            + "@"
                            + a.stage().version()
                            + " is not live yet"
                            + (a.goesLiveAt() != null
                                    ? ": it goes live at " + a.goesLiveAt()
                                    : ""));
        }
        return reply;
    }

    private Reply reject(Exchange ex) {
        String id = uuidParam(ex);
        Principal principal = ex.requireFreshSecondFactor("rejecting a release");
        return logged(
                ex,
                Map.of("ok", true, "id", id, "state", "rejected"),
                governance.reject(id, principal));
    }

    private Reply approveRequest(Exchange ex) {
        String id = uuidParam(ex);
        Principal principal = ex.requireFreshSecondFactor("approving a change");
        java.util.Optional<String> passkeyNotice = passkeyCheck(id, principal);
        Reply reply = ex.ok(governance.approveRequest(id, principal));
        passkeyNotice.ifPresent(n -> reply.header("npm-notice", n));
        return reply;
    }

    private Reply rejectRequest(Exchange ex) {
        String id = uuidParam(ex);
        Principal principal = ex.requireFreshSecondFactor("rejecting a change");
        return logged(
                ex,
                Map.of("ok", true, "id", id, "state", "rejected"),
                governance.rejectRequest(id, principal));
    }

    /**
     * {@code {"successors": ["user", ...]}}, in order of preference; an empty list removes them.
     */
    private Reply nameSuccessors(Exchange ex) throws Exception {
        String name = ex.param("pkg");
        ex.requirePrincipal(); // before any body is read
        JsonNode body = ex.jsonBody();
        JsonNode list = body.get("successors");
        if (!body.isObject() || body.size() != 1 || list == null || !list.isArray()) {
            throw Problem.badRequest("body must be {\"successors\": [\"user\", ...]}");
        }
        List<String> users = new java.util.ArrayList<>();
        for (JsonNode u : list) {
            if (!u.isTextual() || u.asText().isEmpty() || u.asText().length() > 64) {
                throw Problem.badRequest("each successor is a user name");
            }
            users.add(u.asText());
        }
        Principal principal = ex.requireFreshSecondFactor("naming successors");
        List<Long> indexes = registry.succession().nameSuccessors(name, users, principal);
        return logged(ex, registry.succession().document(name, principal), indexes);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private Reply setPolicy(Exchange ex) throws Exception {
        String name = ex.param("pkg");
        ex.requirePrincipal(); // before any body is read
        JsonNode body = ex.jsonBody();
        GovernancePolicy policy = GovernancePolicy.parse(body);
        Principal principal = ex.requireFreshSecondFactor("changing a package's governance policy");
        List<Long> indexes = registry.setPolicy(name, policy, principal);
        return logged(ex, governance.policyDocument(name, principal), indexes);
    }

    private static String uuidParam(Exchange ex) {
        String id = ex.param("id");
        if (!UUID.matcher(id).matches()) {
            throw Problem.notFound(
                    "nothing here has the id " + Problem.clip(id) + " (ids are UUIDs)");
        }
        return id;
    }

    private static int intParam(Exchange ex, String name, int fallback, int min, int max) {
        String v = ex.query(name);
        if (v == null || v.isEmpty()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw Problem.badRequest(name + " must be from " + min + " to " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw Problem.badRequest(name + " must be a whole number");
        }
    }

    private Reply logged(Exchange ex, Object body, List<Long> logIndexes) {
        Reply reply = ex.ok(body);
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
