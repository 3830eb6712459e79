package dev.warden.server;

import dev.warden.awareness.AuditAnswers;
import dev.warden.awareness.AuditQuery;
import dev.warden.awareness.OsvRecord;
import dev.warden.awareness.OsvRecords;
import dev.warden.server.http.Exchange;
import dev.warden.server.http.Reply;
import dev.warden.server.http.Router;

import java.util.List;
import java.util.Map;

/**
 * The audit endpoints the clients call: npm 11 and yarn berry post the packages and versions they
 * installed to {@code advisories/bulk}; pnpm posts npm 6's dependency tree to {@code audits/quick}
 * (and falls back to {@code audits}). Each answers the published, not withdrawn OSV records that
 * affect what was asked, looked up per package name.
 */
final class AuditApi {

    /**
     * npm audit sends every installed package name and version: large trees reach a few megabytes.
     */
    private static final long AUDIT_BODY = 16L << 20;

    private final OsvRecords records;
    private final String publicUrl;

    AuditApi(OsvRecords records, String publicUrl) {
        this.records = records;
        this.publicUrl = publicUrl;
    }

    void routes(Router r) {
        r.route("POST", "/-/npm/v1/security/advisories/bulk", AUDIT_BODY, this::bulk)
                .route("POST", "/-/npm/v1/security/audits/quick", AUDIT_BODY, this::quick)
                .route("POST", "/-/npm/v1/security/audits", AUDIT_BODY, this::quick);
    }

    private Reply bulk(Exchange ex) throws Exception {
        AuditQuery q = AuditQuery.bulk(ex.body());
        Map<String, List<OsvRecord>> hits = AuditAnswers.affecting(records, q);
        return ex.ok(AuditAnswers.bulk(hits, this::url));
    }

    private Reply quick(Exchange ex) throws Exception {
        byte[] body = ex.body();
        AuditQuery q = AuditQuery.tree(body);
        Map<String, List<OsvRecord>> hits = AuditAnswers.affecting(records, q);
        Map<String, List<String>> paths =
                hits.isEmpty()
                        ? Map.of()
                        : AuditQuery.paths(
                                body,
                                (name, version) ->
                                        hits.getOrDefault(name, List.of()).stream()
                                                .anyMatch(r -> r.affects(name, version)));
        return ex.ok(AuditAnswers.quick(hits, q, paths, this::url));
    }

    private String url(String id) {
        return publicUrl + "/-/osv/" + id;
    }
}
