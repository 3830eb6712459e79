package dev.warden.server;

import com.fasterxml.jackson.databind.JsonNode;

import dev.warden.accounts.Accounts;
import dev.warden.accounts.Principal;
import dev.warden.common.Problem;
import dev.warden.governance.PackageGovernance;
import dev.warden.governance.ReviewThresholds;
import dev.warden.registry.Registry;
import dev.warden.server.http.Exchange;
import dev.warden.server.http.Reply;
import dev.warden.server.http.Router;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A package on the web ({@code /-/web/package/<pkg>}, one version at {@code .../v/<version>}): the
 * release (README, install command, versions, dependencies and dependents, links, size, provenance
 * and its log entry) and the package's governance: its impact, policy, maintainers, successors and
 * public notices for anyone; for its signed-in maintainers, the releases and critical changes
 * waiting for approval, with the review material, to approve or reject with a one-time password. A
 * README's images come from the release's own files ({@code .../v/<version>/files/<path>}).
 */
final class PackagePages {

    private final Registry registry;
    private final Accounts accounts;
    private final WebPages web;
    private final dev.warden.awareness.Postures postures;
    private final TarballFiles files;
    private final ReleaseViews releases;
    private final WebDecisions decisions;

    PackagePages(
            Registry registry,
            Accounts accounts,
            WebPages web,
            dev.warden.awareness.Postures postures,
            dev.warden.storage.MetadataStore store,
            String publicUrl,
            WebDecisions decisions) {
        this.decisions = decisions;
        this.registry = registry;
        this.accounts = accounts;
        this.web = web;
        this.postures = postures;
        this.files = new TarballFiles(registry);
        this.releases = new ReleaseViews(registry, store, files, publicUrl);
    }

    void routes(Router router) {
        router.route("GET", "/-/web/package/{pkg}", ex -> page(ex, null))
                .route(
                        "GET",
                        "/-/web/package/{pkg}/v/{version}",
                        ex -> page(ex, ex.param("version")))
                .route("GET", "/-/web/package/{pkg}/v/{version}/files/{path...}", this::file)
                .route("POST", "/-/web/package/{pkg}/decide", this::decide);
    }

    /** A package name or version as one URL path segment ({@code @scope%2fname}). */
    static String segment(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8)
                .replace("+", "%20")
                .replace("%40", "@")
                .replace("%2F", "%2f");
    }

    /** The 404 page of a package the visitor cannot see, whether it exists or not. */
    private Reply noPackage(String pkg) {
        return web.message(404, "Not found", "There is no package named " + pkg + " here.", true);
    }

    private Reply page(Exchange ex, String version) {
        String pkg = ex.param("pkg");
        var who = web.session(ex);
        BrowseViews.Release release = null;
        String notice = null;
        Governance governance;
        try {
            governance = governance(ex, pkg, who.orElse(null));
        } catch (Problem p) {
            return p.kind() == Problem.Kind.NOT_FOUND
                    ? noPackage(pkg)
                    : web.message(p.kind().status(), pkg, p.getMessage(), true);
        }
        try {
            release = releases.release(pkg, version, who.orElse(null)).orElse(null);
            if (release == null) {
                notice = "No release of " + pkg + " can be installed yet.";
            }
        } catch (ReleaseViews.NoSuchVersion missing) {
            return web.message(404, "Not found", missing.getMessage() + ".", true);
        } catch (Problem p) {
            // a release held for the registry's reasons (quarantine): the page says why
            notice = p.getMessage();
        }
        Views.Package view = governance.view().apply(release == null ? provenance(pkg) : null);
        return web.page(
                200,
                Templates.render(
                        "packagePage.jte", new BrowseViews.PackagePage(view, release, notice)),
                governance.csrf());
    }

    /** One file of a release, for a README's images only. */
    private Reply file(Exchange ex) {
        String pkg = ex.param("pkg");
        String version = ex.param("version");
        String path = ex.param("path");
        String bad = ReleaseFilePaths.refusal(path);
        if (bad != null) {
            return web.message(400, "Bad request", bad, true);
        }
        String type = ReleaseFilePaths.imageType(path);
        if (type == null) {
            return web.message(
                    404,
                    "Not found",
                    path
                            + " is not served: only a release's images (png, jpeg, gif, webp, svg)"
                            + " are.",
                    true);
        }
        var who = web.session(ex).orElse(null);
        if (!registry.readable(pkg, who)) {
            return noPackage(pkg);
        }
        JsonNode manifest;
        try {
            manifest = registry.version(pkg, version, who).orElse(null);
        } catch (Problem p) {
            return web.message(p.kind().status(), pkg, p.getMessage(), true);
        }
        if (manifest == null || !manifest.path("version").asText().equals(version)) {
            return web.message(
                    404, "Not found", pkg + " has no version " + version + " here.", true);
        }
        TarballFiles.File file =
                files.image(pkg, version, manifest.path("dist").path("integrity").asText(""), path);
        if (file.bytes() == null) {
            return web.message(404, "Not found", file.refusal() + ".", true);
        }
        Reply reply = new Reply.Bytes(200, type, file.bytes(), new HashMap<>());
        reply.header(
                "Content-Security-Policy",
                "default-src 'none'; style-src 'unsafe-inline'; sandbox");
        reply.header("X-Content-Type-Options", "nosniff");
        reply.header(
                "Cache-Control",
                (registry.isRestricted(pkg) ? "private" : "public")
                        + ", max-age=31536000, immutable");
        return reply;
    }

    /**
     * Where the latest release came from, when it was published with verified provenance; null when
     * its dist-tags cannot be read.
     */
    private Views.Provenance provenance(String pkg) {
        String latest;
        try {
            latest = registry.distTags(pkg, null).get("latest");
        } catch (dev.warden.common.Problem e) {
            return null;
        }
        var facts =
                latest == null
                        ? java.util.Optional.<JsonNode>empty()
                        : registry.provenanceOf(pkg, latest);
        return new Views.Provenance(
                latest,
                facts.map(
                                f ->
                                        new Views.Origin(
                                                f.path("sourceRepository").asText(),
                                                f.path("sourceCommit").asText(),
                                                f.path("sourceRef").asText(),
                                                f.path("workflow").asText(),
                                                f.path("runInvocation").asText(),
                                                f.path("signedAt").asText()))
                        .orElse(null));
    }

    /**
     * The governance part of the page, made once the release part is known (which decides whether
     * it shows the latest release's provenance), and the page's CSRF token.
     */
    private record Governance(
            java.util.function.Function<Views.Provenance, Views.Package> view,
            WebPages.Csrf csrf) {}

    /** The package's governance; throws 404 for a package the visitor may not see. */
    private Governance governance(Exchange ex, String pkg, Principal visitor) {
        PackageGovernance g = registry.governance();
        var who = java.util.Optional.ofNullable(visitor);
        // a restricted package is not found by anyone who may not read it
        JsonNode policy = g.policyDocument(pkg, who.orElse(null));
        PackageGovernance.Impact impact = g.impact(pkg, who.orElse(null));
        JsonNode succession = registry.succession().document(pkg, who.orElse(null));
        JsonNode p = policy.path("policy");
        List<String> maintainers = texts(policy.path("maintainers"));
        List<Views.Notice> notices = new ArrayList<>();
        succession
                .path("notices")
                .forEach(
                        n ->
                                notices.add(
                                        new Views.Notice(
                                                n.path("kind").asText(),
                                                n.path("candidate").asText(),
                                                n.path("state").asText(),
                                                n.path("windowEnds").asText())));
        WebPages.Csrf csrf = null;
        Views.Pending pending = null;
        Views.PostureView posture = null;
        if (who.isPresent()) {
            try {
                posture = PostureApi.view(postures.ofPackage(pkg, who.get()));
            } catch (Problem notAMaintainer) {
                // only those who may change the package see its posture
            }
        }
        if (who.isPresent() && maintainers.contains(who.get().user())) {
            csrf = web.csrf(ex);
            List<Views.Stage> stages = new ArrayList<>();
            for (JsonNode s : g.list(who.get(), pkg, 0, 100).path("items")) {
                JsonNode v = g.view(s.path("id").asText(), who.get());
                List<Views.ReviewField> review = new ArrayList<>();
                for (String field :
                        new String[] {
                            "comparedWith",
                            "filesAdded",
                            "filesRemoved",
                            "filesChanged",
                            "packageJsonChanges",
                            "installScripts"
                        }) {
                    review.add(new Views.ReviewField(field, v.path(field).asText()));
                }
                JsonNode found =
                        registry.stageReview(s.path("id").asText(), who.get())
                                .map(JsonNode.class::cast)
                                .orElse(null);
                stages.add(
                        new Views.Stage(
                                v.path("id").asText(),
                                v.path("version").asText(),
                                v.path("actor").asText(),
                                v.path("approvals").asInt(),
                                v.path("approvalsRequired").asInt(),
                                found == null ? null : found.path("action").asText(),
                                ApprovalViews.findings(found),
                                review));
            }
            List<Views.ChangeRequest> requests = new ArrayList<>();
            for (JsonNode r : g.requests(who.get(), pkg)) {
                requests.add(
                        new Views.ChangeRequest(
                                r.path("id").asText(),
                                r.path("change").asText(),
                                r.path("payload").toString(),
                                r.path("requestedBy").asText(),
                                r.path("approvals").asInt(),
                                r.path("approvalsRequired").asInt()));
            }
            pending = new Views.Pending(stages, requests);
        }
        Views.Pending waiting = pending;
        Views.PostureView shownPosture = posture;
        String token = csrf == null ? null : csrf.token();
        java.util.function.Function<Views.Provenance, Views.Package> view =
                provenance ->
                        new Views.Package(
                                pkg,
                                pkg.replace("/", "%2f"),
                                impact.weeklyDownloads(),
                                impact.dependents(),
                                impact.highImpact(),
                                p.path("framework").asText(),
                                p.path("approvals").asInt(),
                                p.path("coolOffHours").asInt(),
                                policy.path("version").asInt(),
                                provenance,
                                maintainers,
                                texts(succession.path("successors")),
                                notices,
                                waiting,
                                who.isEmpty(),
                                token,
                                ReviewThresholds.fromStored(p.path("review")).describe(),
                                shownPosture);
        return new Governance(view, csrf);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** Approves or rejects, with the form's one-time password as the fresh second factor. */
    private Reply decide(Exchange ex) throws Exception {
        String pkg = ex.param("pkg");
        Map<String, String> form = ex.form();
        Reply refused = web.refusedForm(ex, form, pkg);
        if (refused != null) {
            return refused;
        }
        Principal who = web.session(ex).orElseThrow(() -> Problem.unauthorized("sign in first"));
        try {
            decisions.decide(
                    form.getOrDefault("kind", ""),
                    form.getOrDefault("id", ""),
                    form.getOrDefault("action", ""),
                    who,
                    form.get("otp"),
                    ex.clientAddress());
        } catch (Problem p) {
            return web.message(p.kind().status(), pkg, p.getMessage(), true);
        }
        Reply reply = new Reply.Empty(303, new HashMap<>());
        reply.header("Location", "/-/web/package/" + pkg.replace("/", "%2f"));
        return reply;
    }
}
