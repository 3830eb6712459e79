package dev.warden.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.accounts.Principal;
import dev.warden.common.Problem;
import dev.warden.governance.PackageGovernance;
import dev.warden.registry.Registry;
import dev.warden.server.http.Exchange;
import dev.warden.server.http.Reply;
import dev.warden.server.http.Router;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A maintainer's approvals queue: the stages and change requests of every package they maintain,
 * each with its review material and the diff against the release it follows, approved or rejected
 * with a one-time password.
 *
 * <p>Every read and decision goes through the governance domain as the signed-in person, which
 * decides who may see a stage (anyone else: 404, as for an unknown id) and who may approve it
 * (never its stager, never a non-maintainer, never a closed stage); these pages add only the
 * browser's checks (session, CSRF, the second factor) and the registry's passkey rule, as the API's
 * approvals do.
 */
final class ApprovalPages {

    private static final Pattern ID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /** The most stages the queue lists. */
    private static final int MAX_STAGES = 1000;

    private static final int PER_PAGE = 100;

    /** The review material of a stage ({@code npm stage view}'s fields), as the page names them. */
    private static final Map<String, String> REVIEW_FIELDS = new java.util.LinkedHashMap<>();

    static {
        REVIEW_FIELDS.put("comparedWith", "Compared with");
        REVIEW_FIELDS.put("filesAdded", "Files added");
        REVIEW_FIELDS.put("filesRemoved", "Files removed");
        REVIEW_FIELDS.put("filesChanged", "Files changed");
        REVIEW_FIELDS.put("packageJsonChanges", "package.json changes");
        REVIEW_FIELDS.put("installScripts", "Install scripts");
    }

    private final WebPages web;
    private final Registry registry;
    private final WebDecisions decisions;
    private final StageDiffs diffs = new StageDiffs();

    ApprovalPages(WebPages web, Registry registry, WebDecisions decisions) {
        this.web = web;
        this.registry = registry;
        this.decisions = decisions;
    }

    void routes(Router router) {
        router.route("GET", "/-/web/approvals", this::queue)
                .route("GET", "/-/web/approvals/stage/{id}", ex -> shown(ex, "stage", this::stage))
                .route(
                        "POST",
                        "/-/web/approvals/stage/{id}/decide",
                        ex -> shown(ex, "stage", this::decide))
                .route(
                        "GET",
                        "/-/web/approvals/request/{id}",
                        ex -> shown(ex, "request", this::request))
                .route(
                        "POST",
                        "/-/web/approvals/request/{id}/decide",
                        ex -> shown(ex, "request", this::decide));
    }

    /**
     * A page of one stage or request, by kind and checked id, for a signed-in person; {@code form}
     * is the posted form (its CSRF token checked), or null for a GET.
     */
    private interface Handler {
        Reply handle(Exchange ex, String kind, String id, Principal who, Map<String, String> form);
    }

    /** Checks the id and the session, and shows a refusal of the domain as a page. */
    private Reply shown(Exchange ex, String kind, Handler h) throws IOException {
        String title = "stage".equals(kind) ? "Staged release" : "Change request";
        String id = ex.param("id");
        if (!ID.matcher(id).matches()) {
            return web.message(
                    400,
                    title,
                    "\""
                            + Problem.clip(id)
                            + "\" is not a "
                            + ("stage".equals(kind) ? "stage" : "change request")
                            + " id: ids are UUIDs (like 0b5f2c1e-8d4a-4f3e-9c61-2a7b8e9d0f13).",
                    true);
        }
        try {
            Map<String, String> form = null;
            if ("POST".equals(ex.method())) {
                form = ex.form();
                Reply refused = web.refusedForm(ex, form, title);
                if (refused != null) {
                    return refused;
                }
            }
            Optional<Principal> who = web.session(ex);
            if (who.isEmpty()) {
                return "GET".equals(ex.method())
                        ? toSignIn()
                        : web.message(401, title, "Sign in first, then decide again.", true);
            }
            return h.handle(ex, kind, id, who.get(), form);
        } catch (Problem p) {
            return WebPages.refused(p, web.message(p.kind().status(), title, p.getMessage(), true));
        }
    }

    private static Reply toSignIn() {
        Reply reply = new Reply.Empty(303, new HashMap<>());
        reply.header("Location", "/-/web/signin");
        return reply;
    }

    private static Reply seeOther(String location) {
        Reply reply = new Reply.Empty(303, new HashMap<>());
        reply.header("Location", location);
        reply.header("Cache-Control", "no-store");
        return reply;
    }

    static String path(String pkg) {
        return pkg.replace("/", "%2f");
    }

    // ---------------------------------------------------------------- the queue

    private Reply queue(Exchange ex) {
        Optional<Principal> who = web.session(ex);
        if (who.isEmpty()) {
            return toSignIn();
        }
        PackageGovernance g = registry.governance();
        Map<String, List<ApprovalViews.QueuedStage>> stages = new TreeMap<>();
        Map<String, List<ApprovalViews.QueuedRequest>> requests = new TreeMap<>();
        int total = 0;
        int seen = 0;
        for (int page = 0; seen < MAX_STAGES; page++) {
            JsonNode list = g.list(who.get(), null, page, PER_PAGE);
            total = list.path("total").asInt();
            for (JsonNode s : list.path("items")) {
                seen++;
                JsonNode review =
                        registry.stageReview(s.path("id").asText(), who.get())
                                .map(JsonNode.class::cast)
                                .orElse(null);
                stages.computeIfAbsent(s.path("packageName").asText(), k -> new ArrayList<>())
                        .add(
                                new ApprovalViews.QueuedStage(
                                        s.path("id").asText(),
                                        s.path("version").asText(),
                                        s.path("actor").asText(),
                                        s.path("state").asText(),
                                        s.path("approvals").asInt(),
                                        s.path("approvalsRequired").asInt(),
                                        coolOff(s),
                                        review == null ? null : review.path("action").asText(),
                                        review == null ? 0 : review.path("findings").size()));
            }
            if (seen >= total || list.path("items").isEmpty()) {
                break;
            }
        }
        for (JsonNode r : g.requests(who.get(), null)) {
            requests.computeIfAbsent(r.path("packageName").asText(), k -> new ArrayList<>())
                    .add(
                            new ApprovalViews.QueuedRequest(
                                    r.path("id").asText(),
                                    r.path("change").asText(),
                                    r.path("requestedBy").asText(),
                                    r.path("approvals").asInt(),
                                    r.path("approvalsRequired").asInt(),
                                    r.path("expiresAt").asText()));
        }
        TreeMap<String, ApprovalViews.PackageQueue> packages = new TreeMap<>();
        for (String pkg : union(stages, requests)) {
            packages.put(
                    pkg,
                    new ApprovalViews.PackageQueue(
                            pkg,
                            path(pkg),
                            stages.getOrDefault(pkg, List.of()),
                            requests.getOrDefault(pkg, List.of())));
        }
        var view = new ApprovalViews.Queue(List.copyOf(packages.values()), total > seen);
        return web.page(200, Templates.render("approvals.jte", view), null);
    }

    private static List<String> union(Map<String, ?> a, Map<String, ?> b) {
        TreeMap<String, Boolean> all = new TreeMap<>();
        a.keySet().forEach(k -> all.put(k, true));
        b.keySet().forEach(k -> all.put(k, true));
        return List.copyOf(all.keySet());
    }

    private static String coolOff(JsonNode stage) {
        String until = stage.path("coolOffUntil").asText("");
        return until.isEmpty() ? "no cool-off" : "cool-off until " + until;
    }

    // ---------------------------------------------------------------- one stage, one request

    private Reply stage(
            Exchange ex, String kind, String id, Principal who, Map<String, String> form) {
        String done = done(ex);
        // the domain's view: 404 for an unknown id and for anyone who may not see the stage
        ObjectNode v = registry.governance().view(id, who);
        String pkg = v.path("packageName").asText();
        String state = v.path("state").asText();
        boolean open =
                PackageGovernance.PENDING.equals(state) || PackageGovernance.APPROVED.equals(state);
        JsonNode review = registry.stageReview(id, who).map(JsonNode.class::cast).orElse(null);
        List<Views.ReviewField> fields = new ArrayList<>();
        ApprovalViews.Diff diff = null;
        // a closed stage is compared with whatever is latest now (itself, once published)
        if (open) {
            REVIEW_FIELDS.forEach(
                    (field, label) ->
                            fields.add(new Views.ReviewField(label, v.path(field).asText())));
            diff = diff(id, pkg, v.path("comparedWith").asText(), who);
        }
        WebPages.Csrf csrf = open ? web.csrf(ex) : null;
        var view =
                new ApprovalViews.StagePage(
                        id,
                        pkg,
                        path(pkg),
                        v.path("version").asText(),
                        v.path("tag").asText(),
                        state,
                        v.path("actor").asText(),
                        v.path("createdAt").asText(),
                        v.path("expiresAt").asText(),
                        v.path("approvals").asInt(),
                        v.path("approvalsRequired").asInt(),
                        ApprovalViews.texts(v.path("approvedBy")),
                        coolOff(v),
                        v.path("heldBecause").asText(null),
                        v.path("integrity").asText(),
                        review == null ? null : review.path("action").asText(),
                        ApprovalViews.findings(review),
                        fields,
                        diff,
                        open,
                        done,
                        csrf == null ? null : csrf.token());
        return web.page(200, Templates.render("approvalsStage.jte", view), csrf);
    }

    private ApprovalViews.Diff diff(String id, String pkg, String comparedWith, Principal who) {
        String baseline = comparedWith.startsWith("(") ? null : comparedWith;
        return diffs.of(
                id,
                pkg,
                baseline,
                new StageDiffs.Source() {
                    @Override
                    public byte[] staged() {
                        return registry.governance().tarball(id, who);
                    }

                    @Override
                    public byte[] released() {
                        return registry.releasedTarball(pkg, baseline, who)
                                .flatMap(registry::blob)
                                .map(ApprovalPages::read)
                                .orElse(null);
                    }
                });
    }

    private static byte[] read(dev.warden.storage.BlobStore.Blob blob) {
        try (InputStream in = blob.open()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Reply request(
            Exchange ex, String kind, String id, Principal who, Map<String, String> form) {
        String done = done(ex);
        ObjectNode r = registry.governance().request(id, who);
        String pkg = r.path("packageName").asText();
        boolean open = PackageGovernance.PENDING.equals(r.path("state").asText());
        WebPages.Csrf csrf = open ? web.csrf(ex) : null;
        var view =
                new ApprovalViews.RequestPage(
                        id,
                        pkg,
                        path(pkg),
                        r.path("change").asText(),
                        r.path("payload").toPrettyString(),
                        r.path("state").asText(),
                        r.path("requestedBy").asText(),
                        r.path("createdAt").asText(),
                        r.path("expiresAt").asText(),
                        r.path("approvals").asInt(),
                        r.path("approvalsRequired").asInt(),
                        ApprovalViews.texts(r.path("approvedBy")),
                        open,
                        done,
                        csrf == null ? null : csrf.token());
        return web.page(200, Templates.render("approvalsRequest.jte", view), csrf);
    }

    /** The decision just made, which the page confirms; nothing else is taken. */
    private static String done(Exchange ex) {
        String done = ex.query("done");
        if (done == null || done.equals("approve") || done.equals("reject")) {
            return done;
        }
        throw Problem.badRequest("done must be \"approve\" or \"reject\"");
    }

    // ---------------------------------------------------------------- decisions

    /**
     * Approves or rejects with the form's one-time password as the fresh second factor, through the
     * same domain calls as the API ({@code npm stage approve}).
     */
    private Reply decide(
            Exchange ex, String kind, String id, Principal who, Map<String, String> form) {
        String action = form.getOrDefault("action", "");
        if (!action.equals("approve") && !action.equals("reject")) {
            throw Problem.badRequest("the decision must be approve or reject");
        }
        PackageGovernance g = registry.governance();
        // the same 404 as the page for someone who may not see it, before anything else
        if (kind.equals("stage")) {
            g.view(id, who);
        } else {
            g.request(id, who);
        }
        decisions.decide(kind, id, action, who, form.get("otp"), ex.clientAddress());
        return seeOther("/-/web/approvals/" + kind + "/" + id + "?done=" + action);
    }
}
