package dev.warden.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.accounts.Accounts;
import dev.warden.accounts.Principal;
import dev.warden.common.Problem;
import dev.warden.proxy.Proxy;
import dev.warden.proxy.ProxySettings;
import dev.warden.proxy.Uplink;
import dev.warden.registry.VersionNumber;
import dev.warden.server.http.Exchange;
import dev.warden.server.http.Reply;
import dev.warden.server.http.Router;
import dev.warden.storage.Upstreams.Quarantine;
import dev.warden.storage.Upstreams.UpstreamEvent;
import dev.warden.storage.Users.UserRecord;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The proxy's admin surface, for administrators only: what the uplinks did ({@code events}), the
 * uplinks as configured, and quarantines of upstream versions (placed, listed, lifted). Every input
 * is checked before the proxy is asked, so a mistake is a 400 with the reason.
 */
final class ProxyApi {

    private static final String BASE = "/-/warden/v1/proxy";
    private static final int MAX_REASON = 1000;

    private final ProxyReads reads;
    private final Proxy proxy;
    private final ProxySettings settings;
    private final Accounts accounts;

    ProxyApi(ProxyReads reads, ProxySettings settings, Accounts accounts) {
        this.reads = reads;
        this.proxy = reads.proxy();
        this.settings = settings;
        this.accounts = accounts;
    }

    void routes(Router r) {
        r.route("GET", BASE + "/events", this::events)
                .route("GET", BASE + "/uplinks", this::uplinks)
                .route("GET", BASE + "/quarantines", this::quarantines)
                .route("POST", BASE + "/quarantines", this::quarantine)
                .route("DELETE", BASE + "/quarantines/{pkg}/{version}", this::lift)
                .route("POST", BASE + "/rechecks/{pkg}/{version}", this::recheck);
    }

    private Reply events(Exchange ex) {
        requireAdmin(ex.requirePrincipal());
        int limit = ex.queryInt("limit", 100, 1, 1000);
        List<Map<String, Object>> out = proxy.events(limit).stream().map(ProxyApi::event).toList();
        return ex.ok(Map.of("events", out));
    }

    private Reply uplinks(Exchange ex) {
        requireAdmin(ex.requirePrincipal());
        // when each uplink was last found unreachable, from the recent events
        Map<String, String> unreachable = new LinkedHashMap<>();
        for (UpstreamEvent e : proxy.events(1000)) {
            if (e.kind().equals("uplink.unreachable")) {
                unreachable.putIfAbsent(e.uplink(), e.at().toString());
            }
        }
        List<Map<String, Object>> out =
                settings.uplinks().stream().map(u -> uplink(u, unreachable.get(u.name()))).toList();
        return ex.ok(Map.of("uplinks", out));
    }

    private Reply quarantines(Exchange ex) {
        requireAdmin(ex.requirePrincipal());
        int limit = ex.queryInt("limit", 100, 1, 10_000);
        List<Map<String, Object>> out =
                proxy.quarantines(limit).stream().map(ProxyApi::quarantine).toList();
        return ex.ok(Map.of("quarantines", out));
    }

    private Reply quarantine(Exchange ex) throws Exception {
        Principal admin = requireAdmin(ex.requireWriter());
        ObjectNode body = ex.jsonObject();
        String name = text(body, "name");
        String version = text(body, "version");
        String reason = text(body, "reason");
        checkName(name);
        checkVersion(version);
        if (reason.isBlank() || reason.length() > MAX_REASON || hasControl(reason)) {
            throw Problem.badRequest(
                    "reason must be 1 to "
                            + MAX_REASON
                            + " characters of text on one line: npm prints it to whoever installs");
        }
        proxy.quarantine(name, version, reason.strip(), admin.user());
        reads.forgetTarballs();
        return ex.status(201, Map.of("ok", true, "name", name, "version", version));
    }

    private Reply lift(Exchange ex) {
        Principal admin = requireAdmin(ex.requireWriter());
        String name = ex.param("pkg");
        String version = ex.param("version");
        checkName(name);
        checkVersion(version);
        if (!proxy.lift(name, version, admin.user())) {
            throw Problem.notFound("no quarantine of " + name + "@" + version);
        }
        reads.forgetTarballs();
        return ex.ok(Map.of("ok", true));
    }

    /** Removes a held version's row: the next request ingests it again under the current policy. */
    private Reply recheck(Exchange ex) {
        Principal admin = requireAdmin(ex.requireWriter());
        String name = ex.param("pkg");
        String version = ex.param("version");
        checkName(name);
        if (version.equals("*")) {
            throw Problem.badRequest("a re-check names one version (like 1.2.3), not \"*\"");
        }
        checkVersion(version);
        if (!proxy.recheck(name, version, admin.user())) {
            throw Problem.notFound(name + "@" + version + " is not held here");
        }
        reads.forgetTarballs();
        return ex.ok(Map.of("ok", true, "name", name, "version", version));
    }

    /** The registry's administrators: the account's admin flag, as other admin routes check it. */
    private Principal requireAdmin(Principal p) {
        boolean admin = accounts.user(p.user()).map(UserRecord::admin).orElse(false);
        if (!admin) {
            throw Problem.forbidden("only administrators may manage the upstream proxy");
        }
        return p;
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || !v.isTextual()) {
            throw Problem.badRequest(
                    "body must be {\"name\": ..., \"version\": ... or \"*\", \"reason\": ...}: "
                            + field
                            + " is missing or not a string");
        }
        return v.asText();
    }

    static void checkName(String name) {
        if (!ProxyReads.plausible(name)) {
            throw Problem.badRequest("invalid package name \"" + Problem.clip(name) + "\"");
        }
    }

    private static void checkVersion(String version) {
        if (!version.equals("*") && VersionNumber.parseOrNull(version) == null) {
            throw Problem.badRequest(
                    "invalid version \""
                            + Problem.clip(version)
                            + "\": a version (like 1.2.3) or \"*\" for every version");
        }
    }

    private static boolean hasControl(String s) {
        return s.chars().anyMatch(c -> Character.isISOControl(c) || c == 0x2028 || c == 0x2029);
    }

    private static Map<String, Object> event(UpstreamEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("uplink", e.uplink());
        m.put("kind", e.kind());
        m.put("name", e.name());
        m.put("version", e.version());
        m.put("detail", e.detail());
        m.put("at", e.at().toString());
        return m;
    }

    private static Map<String, Object> uplink(Uplink u, String lastUnreachable) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", u.name());
        m.put("url", u.url().toString());
        m.put("packages", u.packages());
        m.put("token", u.token().isPresent()); // whether one is set, never its value
        m.put("timeoutSeconds", u.timeout().toSeconds());
        m.put("maxAgeSeconds", u.maxAge().toSeconds());
        m.put("lastUnreachable", lastUnreachable);
        return m;
    }

    private static Map<String, Object> quarantine(Quarantine q) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", q.name());
        m.put("version", q.version());
        m.put("reason", q.reason());
        m.put("source", q.source());
        m.put("at", q.at().toString());
        return m;
    }
}
