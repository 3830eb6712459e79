package dev.warden.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.awareness.Reports;
import dev.warden.common.Problem;
import dev.warden.server.http.Exchange;
import dev.warden.server.http.Reply;
import dev.warden.server.http.Router;
import dev.warden.storage.MalwareReports.Report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Malware reports over HTTP ({@code /-/warden/v1/reports}): anyone signed in (token or web session)
 * files one; administrators and trusted reporters list and decide them; a reporter reads their own.
 */
final class ReportApi {

    /** A report or a decision: a few kilobytes of text. */
    private static final long BODY = 32 * 1024;

    private final Reports reports;
    private final WebPages web;

    ReportApi(Reports reports, WebPages web) {
        this.reports = reports;
        this.web = web;
    }

    void routes(Router router) {
        router.route("POST", "/-/warden/v1/reports", BODY, this::file)
                .route(
                        "GET",
                        "/-/warden/v1/reports",
                        ex ->
                                ex.ok(
                                        reports
                                                .list(
                                                        ex.requirePrincipal(),
                                                        ex.query("state"),
                                                        ex.query("package"))
                                                .stream()
                                                .map(ReportApi::json)
                                                .toList()))
                .route(
                        "GET",
                        "/-/warden/v1/reports/{id}",
                        ex -> ex.ok(json(reports.get(ex.requirePrincipal(), ex.param("id")))))
                .route("POST", "/-/warden/v1/reports/{id}/decision", BODY, this::decide);
    }

    private Reply file(Exchange ex) throws Exception {
        var who = ex.principal().or(() -> web.session(ex));
        if (who.isEmpty()) {
            throw Problem.unauthorized("sign in to report malware");
        }
        ObjectNode body = ex.jsonObject();
        Reports.Filed filed =
                reports.report(
                        who.get(),
                        ex.clientAddress(),
                        text(body, "package"),
                        text(body, "version"),
                        text(body, "reason"));
        Map<String, Object> out = json(filed.report());
        out.put("duplicate", filed.duplicate());
        out.put("quarantined", filed.quarantined());
        return ex.status(filed.duplicate() ? 200 : 201, out);
    }

    private Reply decide(Exchange ex) throws Exception {
        var who = ex.requirePrincipal();
        ObjectNode body = ex.jsonObject();
        List<String> versions = null;
        JsonNode named = body.get("versions");
        if (named != null && !named.isNull()) {
            if (!named.isArray()) {
                throw Problem.badRequest("versions must be a list of version strings");
            }
            versions = new ArrayList<>();
            for (JsonNode v : named) {
                if (!v.isTextual()) {
                    throw Problem.badRequest("versions must be a list of version strings");
                }
                versions.add(v.asText());
            }
        }
        Report r =
                reports.decide(
                        who, ex.param("id"), text(body, "decision"), text(body, "note"), versions);
        return ex.ok(json(r));
    }

    /** A string field, or null when absent; 400 when it is something else. */
    static String text(ObjectNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw Problem.badRequest(field + " must be a string");
        }
        return v.asText();
    }

    static Map<String, Object> json(Report r) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("id", r.id());
        o.put("package", r.pkg());
        if (!r.version().isEmpty()) {
            o.put("version", r.version());
        }
        o.put("reporter", r.reporter());
        o.put("reason", r.reason());
        o.put("reportedAt", r.at().toString());
        o.put("state", r.state());
        if (r.decidedBy() != null) {
            o.put("decidedBy", r.decidedBy());
            o.put("note", r.note());
            o.put("decidedAt", r.decidedAt().toString());
        }
        if (r.osvId() != null) {
            o.put("osv", r.osvId());
        }
        return o;
    }
}
