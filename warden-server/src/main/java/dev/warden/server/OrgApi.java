package dev.warden.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.accounts.Accounts;
import dev.warden.accounts.Organizations;
import dev.warden.accounts.Principal;
import dev.warden.common.HeldForApproval;
import dev.warden.common.Problem;
import dev.warden.registry.OrgChanges;
import dev.warden.registry.Registry;
import dev.warden.server.http.Exchange;
import dev.warden.server.http.Reply;
import dev.warden.server.http.Router;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Organizations and teams as libnpmorg, libnpmteam and libnpmaccess speak to them. Changes to
 * members, roles, teams and grants go through the registry ({@link OrgChanges}): one that would let
 * someone new act on a governed package is held for that package's maintainers (202).
 */
final class OrgApi {

    private final Organizations orgs;
    private final OrgChanges changes;

    OrgApi(Accounts accounts, Registry registry) {
        this.orgs = accounts.organizations();
        this.changes = registry.organizations();
    }

    void routes(Router r) {
        r.route("POST", "/-/warden/v1/orgs", this::create)
                .route("PUT", "/-/org/{org}/user", this::setMember)
                .route("DELETE", "/-/org/{org}/user", this::removeMember)
                .route("GET", "/-/org/{org}/user", this::members)
                .route("PUT", "/-/org/{org}/team", this::createTeam)
                .route("GET", "/-/org/{org}/team", this::teams)
                .route("DELETE", "/-/team/{org}/{team}", this::deleteTeam)
                .route("PUT", "/-/team/{org}/{team}/user", this::addTeamMember)
                .route("DELETE", "/-/team/{org}/{team}/user", this::removeTeamMember)
                .route("GET", "/-/team/{org}/{team}/user", this::teamMembers)
                .route("PUT", "/-/team/{org}/{team}/package", this::grant)
                .route("DELETE", "/-/team/{org}/{team}/package", this::revoke)
                .route("GET", "/-/team/{org}/{team}/package", this::teamPackages);
    }

    private static String text(ObjectNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty() || v.asText().length() > 214) {
            throw Problem.badRequest("\"" + field + "\" is required");
        }
        String s = v.asText();
        return s.startsWith("@") && !field.equals("package") ? s.substring(1) : s;
    }

    /**
     * Creates an organization owned by the caller ({@code {"name": "acme"}}); npm has no command
     * for this.
     */
    private Reply create(Exchange ex) throws Exception {
        Principal p = ex.requireUnlimitedWriter();
        changes.create(text(ex.jsonObject(), "name"), p);
        return ex.status(201, Map.of("ok", true));
    }

    private Reply setMember(Exchange ex) throws Exception {
        Principal p = ex.requireUnlimitedWriter();
        ObjectNode body = ex.jsonObject();
        String org = ex.param("org");
        String user = text(body, "user");
        String role = body.path("role").asText("developer");
        Map<String, Object> out = new LinkedHashMap<>();
        try {
            int size = changes.setMember(org, p, user, role, ex.clientAddress());
            out.put("org", Map.of("name", org, "size", size));
            out.put("user", user);
            out.put("role", role);
            return ex.ok(out);
        } catch (HeldForApproval held) {
            // npm org set prints the body's org, user and role: give it the roster as it stands,
            // and the notice says why
            Map<String, String> members = orgs.members(org, p);
            out.put("org", Map.of("name", org, "size", members.size()));
            out.put("user", user);
            out.put("role", members.getOrDefault(user, "(not a member until approved)"));
            out.put("pending", true);
            out.put("requestId", held.requestId());
            out.put("message", held.getMessage());
            return ex.status(202, out).header("npm-notice", held.getMessage());
        }
    }

    private Reply removeMember(Exchange ex) throws Exception {
        Principal p = ex.requireUnlimitedWriter();
        changes.removeMember(ex.param("org"), p, text(ex.jsonObject(), "user"), ex.clientAddress());
        return ex.ok(Map.of("ok", true));
    }

    private Reply members(Exchange ex) {
        return ex.ok(orgs.members(ex.param("org"), ex.requirePrincipal()));
    }

    private Reply createTeam(Exchange ex) throws Exception {
        Principal p = ex.requireUnlimitedWriter();
        ObjectNode body = ex.jsonObject();
        String description =
                body.path("description").isTextual() ? body.get("description").asText() : null;
        changes.createTeam(ex.param("org"), p, text(body, "name"), description, ex.clientAddress());
        return ex.status(201, Map.of("name", text(body, "name")));
    }

    private Reply teams(Exchange ex) {
        String org = ex.param("org");
        List<String> teams =
                orgs.teams(org, ex.requirePrincipal()).stream().map(t -> org + ":" + t).toList();
        return ex.ok(teams);
    }

    private Reply deleteTeam(Exchange ex) {
        changes.deleteTeam(
                ex.param("org"), ex.requireUnlimitedWriter(), ex.param("team"), ex.clientAddress());
        return ex.ok(Map.of("ok", true));
    }

    private Reply addTeamMember(Exchange ex) throws Exception {
        Principal p = ex.requireUnlimitedWriter();
        String user = text(ex.jsonObject(), "user");
        changes.addTeamMember(ex.param("org"), p, ex.param("team"), user, ex.clientAddress());
        return ex.status(201, Map.of("user", user));
    }

    private Reply removeTeamMember(Exchange ex) throws Exception {
        Principal p = ex.requireUnlimitedWriter();
        changes.removeTeamMember(
                ex.param("org"),
                p,
                ex.param("team"),
                text(ex.jsonObject(), "user"),
                ex.clientAddress());
        return ex.ok(Map.of("ok", true));
    }

    private Reply teamMembers(Exchange ex) {
        return ex.ok(orgs.teamMembers(ex.param("org"), ex.requirePrincipal(), ex.param("team")));
    }

    private Reply grant(Exchange ex) throws Exception {
        Principal p = ex.requireUnlimitedWriter();
        ObjectNode body = ex.jsonObject();
        changes.grant(
                ex.param("org"),
                p,
                ex.param("team"),
                text(body, "package"),
                body.path("permissions").asText(""),
                ex.clientAddress());
        return ex.ok(Map.of("ok", true));
    }

    private Reply revoke(Exchange ex) throws Exception {
        Principal p = ex.requireUnlimitedWriter();
        changes.revoke(
                ex.param("org"),
                p,
                ex.param("team"),
                text(ex.jsonObject(), "package"),
                ex.clientAddress());
        return ex.ok(Map.of("ok", true));
    }

    /** As npm access list packages shows them: read or write. */
    private Reply teamPackages(Exchange ex) {
        Map<String, String> out = new LinkedHashMap<>();
        orgs.teamPackages(ex.param("org"), ex.requirePrincipal(), ex.param("team"))
                .forEach((pkg, perm) -> out.put(pkg, perm.equals("read-write") ? "write" : "read"));
        return ex.ok(out);
    }
}
