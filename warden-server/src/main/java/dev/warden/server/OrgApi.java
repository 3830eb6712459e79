package dev.warden.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warden.accounts.Accounts;
import dev.warden.accounts.Organizations;
import dev.warden.accounts.Principal;
import dev.warden.common.Problem;
import dev.warden.server.http.Exchange;
import dev.warden.server.http.Reply;
import dev.warden.server.http.Router;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Organizations and teams as libnpmorg, libnpmteam and libnpmaccess speak to them. */
final class OrgApi {

    private final Organizations orgs;

    OrgApi(Accounts accounts) {
        this.orgs = accounts.organizations();
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

    /** Creates an organization owned by the caller ({@code {"name": "acme"}}); npm has no command for this. */
    private Reply create(Exchange ex) throws Exception {
        Principal p = ex.requireUnlimitedWriter();
        orgs.create(text(ex.jsonObject(), "name"), p.user());
        return ex.status(201, Map.of("ok", true));
    }

    private Reply setMember(Exchange ex) throws Exception {
        Principal p = ex.requireUnlimitedWriter();
        ObjectNode body = ex.jsonObject();
        String org = ex.param("org");
        String user = text(body, "user");
        String role = body.path("role").asText("developer");
        int size = orgs.setMember(org, p, user, role, ex.clientAddress());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("org", Map.of("name", org, "size", size));
        out.put("user", user);
        out.put("role", role);
        return ex.ok(out);
    }

    private Reply removeMember(Exchange ex) throws Exception {
        Principal p = ex.requireUnlimitedWriter();
        orgs.removeMember(ex.param("org"), p, text(ex.jsonObject(), "user"), ex.clientAddress());
        return ex.ok(Map.of("ok", true));
    }

    private Reply members(Exchange ex) {
        return ex.ok(orgs.members(ex.param("org"), ex.requirePrincipal()));
    }

    private Reply createTeam(Exchange ex) throws Exception {
        Principal p = ex.requireUnlimitedWriter();
        ObjectNode body = ex.jsonObject();
        String description = body.path("description").isTextual() ? body.get("description").asText() : null;
        orgs.createTeam(ex.param("org"), p, text(body, "name"), description);
        return ex.status(201, Map.of("name", text(body, "name")));
    }

    private Reply teams(Exchange ex) {
        String org = ex.param("org");
        List<String> teams = orgs.teams(org, ex.requirePrincipal()).stream().map(t -> org + ":" + t).toList();
        return ex.ok(teams);
    }

    private Reply deleteTeam(Exchange ex) {
        orgs.deleteTeam(ex.param("org"), ex.requireUnlimitedWriter(), ex.param("team"));
        return ex.ok(Map.of("ok", true));
    }

    private Reply addTeamMember(Exchange ex) throws Exception {
        Principal p = ex.requireUnlimitedWriter();
        String user = text(ex.jsonObject(), "user");
        orgs.addTeamMember(ex.param("org"), p, ex.param("team"), user);
        return ex.status(201, Map.of("user", user));
    }

    private Reply removeTeamMember(Exchange ex) throws Exception {
        Principal p = ex.requireUnlimitedWriter();
        orgs.removeTeamMember(ex.param("org"), p, ex.param("team"), text(ex.jsonObject(), "user"));
        return ex.ok(Map.of("ok", true));
    }

    private Reply teamMembers(Exchange ex) {
        return ex.ok(orgs.teamMembers(ex.param("org"), ex.requirePrincipal(), ex.param("team")));
    }

    private Reply grant(Exchange ex) throws Exception {
        Principal p = ex.requireUnlimitedWriter();
        ObjectNode body = ex.jsonObject();
        orgs.grant(ex.param("org"), p, ex.param("team"), text(body, "package"), body.path("permissions").asText(""), ex.clientAddress());
        return ex.ok(Map.of("ok", true));
    }

    private Reply revoke(Exchange ex) throws Exception {
        Principal p = ex.requireUnlimitedWriter();
        orgs.revoke(ex.param("org"), p, ex.param("team"), text(ex.jsonObject(), "package"), ex.clientAddress());
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
