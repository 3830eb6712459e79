package dev.warden.server;

import dev.warden.accounts.Principal;
import dev.warden.awareness.Reports;
import dev.warden.common.Problem;
import dev.warden.registry.Registry;
import dev.warden.server.http.Exchange;
import dev.warden.server.http.Reply;
import dev.warden.server.http.Router;

import java.util.Map;
import java.util.Optional;

/**
 * The malware report form of a package ({@code /-/web/package/<pkg>/report}), linked from its page:
 * for anyone signed in, with the CSRF token every form has.
 */
final class ReportPages {

    private final Reports reports;
    private final Registry registry;
    private final WebPages web;

    ReportPages(Reports reports, Registry registry, WebPages web) {
        this.reports = reports;
        this.registry = registry;
        this.web = web;
    }

    void routes(Router router) {
        router.route("GET", "/-/web/package/{pkg}/report", this::form)
                .route("POST", "/-/web/package/{pkg}/report", this::file);
    }

    private Reply form(Exchange ex) {
        String pkg = ex.param("pkg");
        Optional<Principal> who = web.session(ex);
        if (!registry.readable(pkg, who.orElse(null))) {
            return web.message(404, pkg, "There is no package named " + pkg + ".", true);
        }
        String path = pkg.replace("/", "%2f");
        if (who.isEmpty()) {
            return web.page(
                    200,
                    Templates.render("report.jte", new Views.ReportForm(pkg, path, true, null)),
                    null);
        }
        WebPages.Csrf csrf = web.csrf(ex);
        return web.page(
                200,
                Templates.render(
                        "report.jte", new Views.ReportForm(pkg, path, false, csrf.token())),
                csrf);
    }

    private Reply file(Exchange ex) throws Exception {
        String pkg = ex.param("pkg");
        Map<String, String> form = ex.form();
        Reply refused = web.refusedForm(ex, form, pkg);
        if (refused != null) {
            return refused;
        }
        Optional<Principal> who = web.session(ex);
        if (who.isEmpty()) {
            return web.message(401, pkg, "Sign in to report malware.", true);
        }
        Reports.Filed filed;
        try {
            filed =
                    reports.report(
                            who.get(),
                            ex.clientAddress(),
                            pkg,
                            form.getOrDefault("version", "").strip(),
                            form.get("reason"));
        } catch (Problem p) {
            Reply reply = web.message(p.kind().status(), pkg, p.getMessage(), true);
            p.retryAfter()
                    .ifPresent(d -> reply.header("Retry-After", String.valueOf(d.toSeconds())));
            return reply;
        }
        var r = filed.report();
        return web.page(
                filed.duplicate() ? 200 : 201,
                Templates.render(
                        "reportFiled.jte",
                        new Views.ReportFiled(
                                pkg,
                                pkg.replace("/", "%2f"),
                                r.id(),
                                r.version().isEmpty() ? pkg : pkg + "@" + r.version(),
                                r.state(),
                                filed.duplicate(),
                                filed.quarantined(),
                                r.reason())),
                null);
    }
}
