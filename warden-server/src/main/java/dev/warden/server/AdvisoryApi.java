package dev.warden.server;

import com.fasterxml.jackson.databind.JsonNode;

import dev.warden.accounts.Principal;
import dev.warden.awareness.Advisories;
import dev.warden.awareness.DraftInput;
import dev.warden.awareness.OsvRecord;
import dev.warden.awareness.OsvRecords;
import dev.warden.common.Problem;
import dev.warden.server.http.Exchange;
import dev.warden.server.http.Reply;
import dev.warden.server.http.Router;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Private security advisories ({@code /-/warden/v1/advisories}) and the published OSV records
 * ({@code /-/osv/<id>}, and every record as one zip, {@code /-/osv/all.zip}, as osv.dev exports its
 * ecosystems).
 */
final class AdvisoryApi {

    private static final String BASE = "/-/warden/v1/advisories";

    /** A draft: 64 KiB of details plus the other fields. */
    private static final long DRAFT_BODY = 96 * 1024;

    private final Advisories advisories;
    private final OsvRecords records;

    AdvisoryApi(Advisories advisories, OsvRecords records) {
        this.advisories = advisories;
        this.records = records;
    }

    void routes(Router r) {
        r.route("POST", BASE, DRAFT_BODY, this::create)
                .route("GET", BASE, ex -> ex.ok(advisories.mine(ex.requirePrincipal())))
                .route(
                        "GET",
                        BASE + "/{id}",
                        ex -> ex.ok(advisories.get(ex.param("id"), caller(ex))))
                .route("PATCH", BASE + "/{id}", DRAFT_BODY, this::edit)
                .route(
                        "PUT",
                        BASE + "/{id}/invites/{user}",
                        ex ->
                                ex.ok(
                                        advisories.invite(
                                                ex.param("id"), ex.param("user"), writer(ex))))
                .route(
                        "DELETE",
                        BASE + "/{id}/invites/{user}",
                        ex ->
                                ex.ok(
                                        advisories.uninvite(
                                                ex.param("id"), ex.param("user"), writer(ex))))
                .route("POST", BASE + "/{id}/comments", DRAFT_BODY, this::comment)
                .route("POST", BASE + "/{id}/publish", this::publish)
                .route("POST", BASE + "/{id}/withdraw", this::withdraw)
                .route("GET", "/-/osv/all.zip", this::export)
                .route("GET", "/-/osv/{id}", this::record);
    }

    private static Principal caller(Exchange ex) {
        // anonymous callers get the same 404 as everyone else who may not read the draft
        return ex.principal().orElse(null);
    }

    /** A writer's credential; the account's write rule (auth-and-writes) applies. */
    private static Principal writer(Exchange ex) {
        return ex.requireWriter();
    }

    private Reply create(Exchange ex) throws Exception {
        Principal by = ex.requireWriter(); // before any body is read
        DraftInput in = DraftInput.parse(ex.jsonBody(), true);
        return ex.status(201, advisories.create(in, by));
    }

    private Reply edit(Exchange ex) throws Exception {
        Principal by = ex.requireWriter();
        DraftInput in = DraftInput.parse(ex.jsonBody(), false);
        return ex.ok(advisories.edit(ex.param("id"), in, by));
    }

    private Reply comment(Exchange ex) throws Exception {
        Principal by = ex.requireWriter();
        JsonNode body = ex.jsonBody();
        if (!body.isObject() || body.size() != 1 || !body.path("text").isTextual()) {
            throw Problem.badRequest("body must be {\"text\": \"...\"}");
        }
        return ex.ok(advisories.comment(ex.param("id"), body.get("text").asText(), by));
    }

    private Reply publish(Exchange ex) {
        Principal by = ex.requireFreshSecondFactor("publishing an advisory");
        Advisories.Logged<OsvRecord> p = advisories.publish(ex.param("id"), by);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ok", true);
        out.put("osvId", p.value().id());
        out.put("url", "/-/osv/" + p.value().id());
        return logged(ex.ok(out), p.logIndexes());
    }

    private Reply withdraw(Exchange ex) {
        Principal by = ex.requireFreshSecondFactor("withdrawing an advisory");
        Advisories.Logged<OsvRecord> w = advisories.withdraw(ex.param("id"), by);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ok", true);
        out.put("osvId", w.value().id());
        out.put("withdrawn", w.value().withdrawn().toString());
        return logged(ex.ok(out), w.logIndexes());
    }

    private Reply record(Exchange ex) {
        String id = ex.param("id");
        if (id.endsWith(".json")) {
            id = id.substring(0, id.length() - ".json".length());
        }
        String wanted = id;
        OsvRecord r =
                records.get(wanted)
                        .orElseThrow(
                                () ->
                                        Problem.notFound(
                                                "no published OSV record " + Problem.clip(wanted)));
        return Reply.json(200, r.toBytes()).header("Cache-Control", "public, max-age=60");
    }

    /**
     * Every record, withdrawn ones too, one {@code <id>.json} per record, written page by page as
     * it is read: memory holds one page, whatever the number of records.
     */
    private Reply export(Exchange ex) {
        return new Reply.Stream(
                200,
                "application/zip",
                out -> {
                    try (ZipOutputStream zip = new ZipOutputStream(out)) {
                        String after = null;
                        while (true) {
                            List<OsvRecord> page = records.page(after);
                            for (OsvRecord r : page) {
                                zip.putNextEntry(new ZipEntry(r.id() + ".json"));
                                zip.write(r.toBytes());
                                zip.closeEntry();
                            }
                            if (page.size() < OsvRecords.PAGE) {
                                break;
                            }
                            after = page.get(page.size() - 1).id();
                        }
                    }
                },
                new LinkedHashMap<>(Map.of("Cache-Control", "public, max-age=60")));
    }

    private static Reply logged(Reply reply, List<Long> indexes) {
        if (!indexes.isEmpty()) {
            reply.header(
                    "Warden-Log-Index",
                    indexes.stream().map(String::valueOf).collect(Collectors.joining(", ")));
        }
        return reply;
    }
}
