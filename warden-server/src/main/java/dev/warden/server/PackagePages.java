package dev.warden.server;

import static dev.warden.server.WebPages.escape;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.accounts.Accounts;
import dev.warden.accounts.Principal;
import dev.warden.common.Problem;
import dev.warden.registry.PackageGovernance;
import dev.warden.registry.Registry;
import dev.warden.registry.SafeUrls;
import dev.warden.server.http.Exchange;
import dev.warden.server.http.Reply;
import dev.warden.server.http.Router;
import java.util.HashMap;
import java.util.Map;

/**
 * A package's governance on the web ({@code /-/web/package/<pkg>}): its impact, policy,
 * maintainers, successors and public notices for anyone; for its signed-in maintainers, the
 * releases and critical changes waiting for approval, with the review material, to approve or
 * reject with a one-time password.
 */
final class PackagePages {

    private final Registry registry;
    private final Accounts accounts;
    private final WebPages web;

    PackagePages(Registry registry, Accounts accounts, WebPages web) {
        this.registry = registry;
        this.accounts = accounts;
        this.web = web;
    }

    void routes(Router router) {
        router.route("GET", "/-/web/package/{pkg}", this::page)
                .route("POST", "/-/web/package/{pkg}/decide", this::decide);
    }

    /** Where the latest release came from, when it was published with verified provenance. */
    private void provenance(StringBuilder b, String pkg) {
        String latest;
        try {
            latest = registry.distTags(pkg, null).get("latest");
        } catch (dev.warden.common.Problem e) {
            return;
        }
        b.append("<h2>Provenance</h2><p id=\"provenance\">");
        var facts = latest == null ? java.util.Optional.<JsonNode>empty() : registry.provenanceOf(pkg, latest);
        if (facts.isEmpty()) {
            b.append(latest == null ? "No release." : escape(latest) + " was published without provenance.").append("</p>");
            return;
        }
        JsonNode f = facts.get();
        b.append(escape(latest)).append(" was built from ").append(link(null, f.path("sourceRepository").asText()))
                .append(" at commit <code id=\"provenance-commit\">")
                .append(escape(f.path("sourceCommit").asText())).append("</code> (").append(escape(f.path("sourceRef").asText()))
                .append(") by workflow <code id=\"provenance-workflow\">").append(escape(f.path("workflow").asText()))
                .append("</code> in run ").append(link("provenance-run", f.path("runInvocation").asText()))
                .append("; signed ").append(escape(f.path("signedAt").asText())).append(", verified at publish.</p>");
    }

    /** A link when {@code url} is http(s), else the text alone: a page never links to another scheme. */
    private static String link(String id, String url) {
        String idAttribute = id == null ? "" : " id=\"" + id + "\"";
        return SafeUrls.isLink(url) ? "<a" + idAttribute + " href=\"" + escape(url) + "\">" + escape(url) + "</a>"
                : "<code" + idAttribute + ">" + escape(url) + "</code>";
    }

    private Reply page(Exchange ex) {
        String pkg = ex.param("pkg");
        PackageGovernance g = registry.governance();
        var who = web.session(ex);
        // a restricted package is not found by anyone who may not read it
        JsonNode policy = g.policyDocument(pkg, who.orElse(null));
        PackageGovernance.Impact impact = g.impact(pkg, who.orElse(null));
        JsonNode succession = registry.succession().document(pkg, who.orElse(null));
        StringBuilder b = new StringBuilder();
        b.append("<h2>Impact</h2><p id=\"impact\">").append(impact.weeklyDownloads()).append(" downloads in the last 7 days, ")
                .append(impact.dependents()).append(" dependent package(s): ")
                .append(impact.highImpact() ? "<strong>high-impact</strong>" : "not high-impact").append("</p>");
        JsonNode p = policy.path("policy");
        b.append("<h2>Policy</h2><p id=\"policy\">").append(escape(p.path("framework").asText())).append(": ")
                .append(p.path("approvals").asInt()).append(" approval(s) from other maintainers")
                .append(p.path("coolOffHours").asInt() > 0 ? ", then " + p.path("coolOffHours").asInt() + " h cool-off" : "")
                .append(" (version ").append(policy.path("version").asInt()).append(")</p>");
        provenance(b, pkg);
        b.append("<h2>Maintainers</h2><ul id=\"maintainers\">");
        policy.path("maintainers").forEach(m -> b.append("<li>").append(escape(m.asText())).append("</li>"));
        b.append("</ul><h2>Successors</h2><ul id=\"successors\">");
        succession.path("successors").forEach(s -> b.append("<li>").append(escape(s.asText())).append("</li>"));
        b.append("</ul><h2>Public notices</h2><ul id=\"notices\">");
        succession.path("notices").forEach(n -> b.append("<li>").append(escape(n.path("kind").asText())).append(" to ")
                .append(escape(n.path("candidate").asText())).append(": ").append(escape(n.path("state").asText()))
                .append(", window ends ").append(escape(n.path("windowEnds").asText())).append("</li>"));
        b.append("</ul>");
        WebPages.Csrf csrf = null;
        boolean maintainer = false;
        for (JsonNode m : policy.path("maintainers")) {
            maintainer |= who.isPresent() && m.asText().equals(who.get().user());
        }
        if (maintainer) {
            csrf = web.csrf(ex);
            b.append("<h2>Releases waiting for approval</h2><ul id=\"stages\">");
            for (JsonNode s : g.list(who.get(), pkg, 0, 100).path("items")) {
                JsonNode v = g.view(s.path("id").asText(), who.get());
                b.append("<li class=\"stage\">").append(escape(pkg)).append("@").append(escape(v.path("version").asText()))
                        .append(", staged by ").append(escape(v.path("actor").asText())).append(", ")
                        .append(v.path("approvals").asInt()).append(" of ").append(v.path("approvalsRequired").asInt()).append(" approvals")
                        .append("<dl class=\"review\">");
                for (String field : new String[] {"comparedWith", "filesAdded", "filesRemoved", "filesChanged", "packageJsonChanges", "installScripts"}) {
                    b.append("<dt>").append(field).append("</dt><dd>").append(escape(v.path(field).asText())).append("</dd>");
                }
                b.append("</dl>").append(form(pkg, "stage", v.path("id").asText(), csrf.token())).append("</li>");
            }
            b.append("</ul><h2>Changes waiting for approval</h2><ul id=\"requests\">");
            for (JsonNode r : g.requests(who.get(), pkg)) {
                b.append("<li class=\"request\">").append(escape(r.path("change").asText())).append(" ").append(escape(r.path("payload").toString()))
                        .append(", requested by ").append(escape(r.path("requestedBy").asText())).append(", ")
                        .append(r.path("approvals").asInt()).append(" of ").append(r.path("approvalsRequired").asInt()).append(" approvals")
                        .append(form(pkg, "request", r.path("id").asText(), csrf.token())).append("</li>");
            }
            b.append("</ul>");
        } else if (who.isEmpty()) {
            b.append("<p class=\"note\"><a href=\"/-/web/signin\">Sign in</a> to act on what waits for approval.</p>");
        }
        return web.page(200, pkg, b.toString(), csrf);
    }

    private static String form(String pkg, String kind, String id, String csrf) {
        return "<form method=\"post\" action=\"/-/web/package/" + escape(pkg.replace("/", "%2f")) + "/decide\" class=\"decide\">"
                + "<input type=\"hidden\" name=\"csrf\" value=\"" + escape(csrf) + "\">"
                + "<input type=\"hidden\" name=\"kind\" value=\"" + kind + "\">"
                + "<input type=\"hidden\" name=\"id\" value=\"" + escape(id) + "\">"
                + "<label>One-time password <input name=\"otp\" class=\"otp\" inputmode=\"numeric\" autocomplete=\"one-time-code\" required></label>"
                + "<button type=\"submit\" name=\"action\" value=\"approve\" class=\"approve\">Approve</button>"
                + "<button type=\"submit\" name=\"action\" value=\"reject\" class=\"reject\">Reject</button></form>";
    }

    /** Approves or rejects, with the form's one-time password as the fresh second factor. */
    private Reply decide(Exchange ex) throws Exception {
        String pkg = ex.param("pkg");
        Map<String, String> form = WebPages.readForm(ex);
        Reply refused = web.refusedForm(ex, form, pkg);
        if (refused != null) {
            return refused;
        }
        Principal who = web.session(ex).orElseThrow(() -> Problem.unauthorized("sign in first"));
        String otp = form.getOrDefault("otp", "").trim();
        if (accounts.secondFactors().activeMode(who.user()).isEmpty()) {
            return web.page(403, pkg, "<p class=\"error\">Approving needs two-factor authentication on your account.</p>", null);
        }
        if (otp.isEmpty() || !accounts.secondFactors().verify(who.user(), otp, ex.clientAddress(), who.tokenHash())) {
            return web.page(401, pkg, "<p class=\"error\">That one-time password is not right (or was used already). Go back and try again.</p>",
                    null);
        }
        String id = form.getOrDefault("id", "");
        boolean approve = "approve".equals(form.get("action"));
        try {
            switch (form.getOrDefault("kind", "") + "/" + (approve ? "approve" : "reject")) {
                case "stage/approve" -> registry.governance().approve(id, who);
                case "stage/reject" -> registry.governance().reject(id, who);
                case "request/approve" -> registry.governance().approveRequest(id, who);
                case "request/reject" -> registry.governance().rejectRequest(id, who);
                default -> throw Problem.badRequest("unknown decision");
            }
        } catch (Problem p) {
            return web.page(p.kind().status(), pkg, "<p class=\"error\">" + escape(p.getMessage()) + "</p>", null);
        }
        Reply reply = new Reply.Empty(303, new HashMap<>());
        reply.header("Location", "/-/web/package/" + pkg.replace("/", "%2f"));
        return reply;
    }
}
