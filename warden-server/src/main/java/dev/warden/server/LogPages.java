package dev.warden.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.common.Problem;
import dev.warden.log.Checkpoint;
import dev.warden.log.Merkle;
import dev.warden.log.NoteKey;
import dev.warden.log.TransparencyLog;
import dev.warden.registry.Registry;
import dev.warden.server.http.Exchange;
import dev.warden.server.http.Reply;
import dev.warden.server.http.Router;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The transparency log explorer: the latest checkpoint and its witnesses, an entry by index or by
 * package version with its inclusion proof (verified in the browser), and consistency between two
 * checkpoints.
 *
 * <p>Every verdict is computed here for readers without JavaScript, and again by {@code
 * logproof.js} in the browser from what the log API serves, so a reader need not trust this page's
 * word. A client mistake (an index that is no number or beyond the log, sizes out of order, a
 * pasted checkpoint that is not this log's) is a 4xx page naming it.
 */
final class LogPages {

    /** Entries listed per page of the log's page. */
    static final int PAGE = 20;

    private final WebPages web;
    private final TransparencyLog log;
    private final List<NoteKey.Verifier> witnesses;
    private final Registry registry;
    private final ObjectMapper json;
    private final LogStatements statements;

    LogPages(
            WebPages web,
            TransparencyLog log,
            NoteKey.Verifier registryKey,
            List<NoteKey.Verifier> witnesses,
            Registry registry,
            ObjectMapper json) {
        this.web = web;
        this.log = log;
        this.witnesses = List.copyOf(witnesses);
        this.registry = registry;
        this.json = json;
        this.statements = new LogStatements(registryKey, json);
    }

    void routes(Router router) {
        router.route("GET", "/-/web/log", refusals("Transparency log", this::home))
                .route("GET", "/-/web/log/open", refusals("Open a log entry", this::open))
                .route("GET", "/-/web/log/entry/{index}", refusals("Log entry", this::entry))
                .route(
                        "GET",
                        "/-/web/log/package/{pkg}/{version}",
                        refusals("Log entry", this::byVersion))
                .route(
                        "GET",
                        "/-/web/log/consistency",
                        refusals("Log consistency", this::consistency))
                .route("POST", "/-/web/log/consistency", refusals("Log consistency", this::pasted));
    }

    /** A client mistake becomes a page with its reason (never the API's JSON error). */
    private Router.Handler refusals(String title, Router.Handler handler) {
        return ex -> {
            try {
                return handler.handle(ex);
            } catch (Problem p) {
                return WebPages.refused(
                        p, web.message(p.kind().status(), title, p.getMessage(), true));
            }
        };
    }

    // ---------------------------------------------------------------- the log's page

    private Reply home(Exchange ex) {
        TransparencyLog.Snapshot snap = log.snapshot();
        long size = snap.size();
        long before = number(ex.query("before"), "before", size);
        if (before > size) {
            throw Problem.badRequest(
                    "before must be at most the log's size, " + size + ", not " + before);
        }
        long from = Math.max(0, before - PAGE);
        List<LogViews.EntryLine> lines = new ArrayList<>();
        if (before > from) {
            List<byte[]> entries = log.entries(from, before);
            for (int i = entries.size() - 1; i >= 0; i--) {
                lines.add(statements.line(from + i, entries.get(i)));
            }
        }
        return web.page(
                200,
                Templates.render(
                        "log.jte",
                        new LogViews.Home(
                                checkpoint(snap.checkpoint()),
                                trust(),
                                lines,
                                from > 0 ? from : -1,
                                before < size ? Math.min(size, before + PAGE) : -1,
                                witnesses.stream().map(NoteKey.Verifier::vkey).toList())),
                null);
    }

    /** The log page's two forms: an entry by index, or by {@code name@version}. */
    private Reply open(Exchange ex) {
        String index = ex.query("index");
        String spec = ex.query("spec");
        if (index != null && !index.isBlank()) {
            long i = number(index.strip(), "the entry index", -1);
            return seeOther("/-/web/log/entry/" + i);
        }
        if (spec == null || spec.isBlank()) {
            throw Problem.badRequest("give an entry index or a package version (name@version)");
        }
        String s = spec.strip();
        int at = s.lastIndexOf('@');
        if (at <= 0 || at == s.length() - 1) {
            throw Problem.badRequest(
                    "give a package version as name@version, such as left-pad@1.3.0");
        }
        return seeOther(
                "/-/web/log/package/"
                        + LogStatements.segment(s.substring(0, at))
                        + "/"
                        + LogStatements.segment(s.substring(at + 1)));
    }

    // ---------------------------------------------------------------- one entry

    private Reply entry(Exchange ex) {
        TransparencyLog.Snapshot snap = log.snapshot();
        long size = snap.size();
        long index = number(ex.param("index"), "the entry index", -1);
        if (index >= size) {
            throw Problem.notFound(
                    "The log has no entry "
                            + index
                            + ": "
                            + (size == 0
                                    ? "it is empty."
                                    : "it has " + size + " entries, 0 to " + (size - 1) + "."));
        }
        byte[] entry = log.entries(index, index + 1).get(0);
        byte[] leaf = Merkle.leafHash(entry);
        List<byte[]> proof = log.inclusionProof(index, size);
        LogChecks.Verdict verdict = LogChecks.inclusion(index, size, leaf, proof, snap.root());
        return web.page(
                200,
                Templates.render(
                        "logEntry.jte",
                        new LogViews.Entry(
                                index,
                                size,
                                Merkle.hex(leaf),
                                LogStatements.base64(leaf),
                                LogStatements.base64(entry),
                                entry.length,
                                statements.statement(entry),
                                proof.stream().map(Merkle::hex).toList(),
                                new LogViews.Verdict(verdict.ok(), verdict.text()),
                                checkpoint(snap.checkpoint()),
                                trust(),
                                index > 0 ? index - 1 : -1,
                                index + 1 < size ? index + 1 : -1)),
                null);
    }

    /** 303 to the entry of a version's publish, as its packument's {@code _log.index} names it. */
    private Reply byVersion(Exchange ex) throws IOException {
        String pkg = ex.param("pkg");
        String version = ex.param("version");
        var who = web.session(ex);
        var doc = registry.packument(pkg, who.orElse(null));
        if (doc.isEmpty()) {
            throw Problem.notFound("There is no package named " + pkg + " on this registry.");
        }
        JsonNode v = json.readTree(doc.get().full()).path("versions").path(version);
        if (v.isMissingNode()) {
            throw Problem.notFound(pkg + " has no version " + version + " on this registry.");
        }
        JsonNode index = v.path("_log").path("index");
        if (!index.canConvertToLong()) {
            throw Problem.notFound(
                    pkg
                            + "@"
                            + version
                            + " has no entry in the log yet: its publish is still to be logged.");
        }
        return seeOther("/-/web/log/entry/" + index.asLong());
    }

    // ---------------------------------------------------------------- consistency

    private Reply consistency(Exchange ex) {
        TransparencyLog.Snapshot snap = log.snapshot();
        long size = snap.size();
        String fromText = ex.query("from");
        if (fromText == null || fromText.isBlank()) {
            return consistencyPage(200, form(size));
        }
        long from = number(fromText, "from", -1);
        long to = number(ex.query("to"), "to", size);
        checkSizes(from, to, size);
        return consistencyPage(200, proof(snap, from, log.rootAt(from), to, null, null));
    }

    /** A checkpoint the reader kept: is today's log consistent with it? It changes nothing. */
    private Reply pasted(Exchange ex) throws IOException {
        Map<String, String> form = ex.form();
        TransparencyLog.Snapshot snap = log.snapshot();
        long size = snap.size();
        LogChecks.Signed signed;
        try {
            signed =
                    LogChecks.pasted(
                            form.get("checkpoint"), log.verifier(), witnesses, log.origin(), size);
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("The pasted checkpoint was not used: " + e.getMessage() + ".");
        }
        Checkpoint old = signed.checkpoint();
        long to = number(form.get("to"), "to", size);
        checkSizes(old.size(), to, size);
        byte[] ours = log.rootAt(old.size());
        LogChecks.Verdict fork = null;
        if (!java.security.MessageDigest.isEqual(ours, old.root())) {
            fork =
                    new LogChecks.Verdict(
                            false,
                            "This log's tree of "
                                    + old.size()
                                    + " entries has the root "
                                    + Merkle.hex(ours)
                                    + ", but the pasted checkpoint, signed by the log, says "
                                    + Merkle.hex(old.root())
                                    + ": the log has forked.");
        }
        return consistencyPage(200, proof(snap, old.size(), old.root(), to, signed.note(), fork));
    }

    private static void checkSizes(long from, long to, long size) {
        if (from == 0) {
            throw Problem.badRequest(
                    "from must be at least 1: every tree is consistent with the empty tree.");
        }
        if (to > size) {
            throw Problem.badRequest("to (" + to + ") is beyond the log's size, " + size + ".");
        }
        if (from > to) {
            throw Problem.badRequest(
                    "from (" + from + ") must not be larger than to (" + to + ").");
        }
    }

    private LogViews.Consistency form(long size) {
        return new LogViews.Consistency(
                size,
                0,
                size,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                true,
                trust(),
                LogChecks.MAX_PASTED);
    }

    private LogViews.Consistency proof(
            TransparencyLog.Snapshot snap,
            long from,
            byte[] oldRoot,
            long to,
            String pastedNote,
            LogChecks.Verdict fork) {
        byte[] newRoot = to == snap.size() ? snap.root() : log.rootAt(to);
        List<byte[]> proof = log.consistencyProof(from, to);
        LogChecks.Verdict verdict =
                fork != null ? fork : LogChecks.consistency(from, to, oldRoot, newRoot, proof);
        return new LogViews.Consistency(
                snap.size(),
                from,
                to,
                Merkle.hex(oldRoot),
                LogStatements.base64(oldRoot),
                Merkle.hex(newRoot),
                LogStatements.base64(newRoot),
                proof.stream().map(Merkle::hex).toList(),
                new LogViews.Verdict(verdict.ok(), verdict.text()),
                pastedNote,
                to == snap.size(),
                trust(),
                LogChecks.MAX_PASTED);
    }

    private Reply consistencyPage(int status, LogViews.Consistency view) {
        return web.page(status, Templates.render("logConsistency.jte", view), null);
    }

    // ---------------------------------------------------------------- helpers

    private LogViews.Trust trust() {
        return new LogViews.Trust(log.origin(), log.verifier().vkey());
    }

    /** The served checkpoint with what was found of each signature. */
    private LogViews.Checkpoint checkpoint(String note) {
        LogChecks.Signed s = LogChecks.signed(note, log.verifier(), witnesses);
        Checkpoint c = s.checkpoint();
        return new LogViews.Checkpoint(
                c.origin(),
                c.size(),
                Merkle.hex(c.root()),
                LogStatements.base64(c.root()),
                note,
                s.signatures().stream()
                        .map(
                                g ->
                                        new LogViews.Signature(
                                                g.role(),
                                                g.name(),
                                                g.keyId(),
                                                g.time() < 0
                                                        ? null
                                                        : Instant.ofEpochSecond(g.time())
                                                                .toString(),
                                                g.verified()))
                        .toList());
    }

    /**
     * A whole number from a query or form ({@code fallback} when absent); {@code what} names it in
     * the refusal.
     */
    private static long number(String text, String what, long fallback) {
        if (text == null || text.isEmpty()) {
            if (fallback < 0) {
                throw Problem.badRequest(what + " is missing");
            }
            return fallback;
        }
        if (!text.matches("[0-9]{1,18}")) {
            throw Problem.badRequest(
                    what + " must be a whole number from 0 up (at most 18 digits)");
        }
        return Long.parseLong(text);
    }

    private static Reply seeOther(String location) {
        Reply reply = new Reply.Empty(303, new HashMap<>());
        reply.header("Location", location);
        reply.header("Cache-Control", "no-store");
        return reply;
    }
}
