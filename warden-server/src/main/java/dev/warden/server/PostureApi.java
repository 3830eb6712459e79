package dev.warden.server;

import dev.warden.accounts.Principal;
import dev.warden.awareness.Postures;
import dev.warden.awareness.Step;
import dev.warden.server.http.Exchange;
import dev.warden.server.http.Reply;
import dev.warden.server.http.Router;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A maintainer's security posture over HTTP: {@code GET /-/warden/v1/posture} (the caller's own,
 * with the packages they maintain summarised) and {@code GET /-/warden/v1/posture/<pkg>} (a
 * package's, for those who may change it).
 */
final class PostureApi {

    private final Postures postures;

    PostureApi(Postures postures) {
        this.postures = postures;
    }

    void routes(Router router) {
        router.route("GET", "/-/warden/v1/posture", this::own)
                .route("GET", "/-/warden/v1/posture/{pkg}", this::ofPackage);
    }

    private Reply own(Exchange ex) {
        Principal p = person(ex);
        Postures.AccountPosture a = postures.ofAccount(p.user());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("user", a.user());
        out.put("secondFactor", a.secondFactor().label());
        out.put("score", a.posture().score());
        out.put("steps", steps(a.posture().steps()));
        out.put(
                "packages",
                a.packages().stream()
                        .map(
                                s -> {
                                    Map<String, Object> m = new LinkedHashMap<>();
                                    m.put("name", s.name());
                                    m.put("score", s.score());
                                    m.put("important", s.important());
                                    m.put("recommended", s.recommended());
                                    return m;
                                })
                        .toList());
        return ex.ok(out).header("Cache-Control", "no-store");
    }

    private Reply ofPackage(Exchange ex) {
        Principal p = person(ex);
        Postures.PackagePosture pp = postures.ofPackage(ex.param("pkg"), p);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("package", pp.name());
        out.put("score", pp.posture().score());
        out.put(
                "maintainers",
                pp.maintainers().entrySet().stream()
                        .map(e -> Map.of("name", e.getKey(), "secondFactor", e.getValue().label()))
                        .toList());
        out.put("steps", steps(pp.posture().steps()));
        return ex.ok(out).header("Cache-Control", "no-store");
    }

    /** A person's credential (a CI's publish token is refused by {@code requirePrincipal}). */
    private static Principal person(Exchange ex) {
        return ex.requirePrincipal();
    }

    /** An account's posture as its page shows it. */
    static Views.PostureView view(Postures.AccountPosture a) {
        return new Views.PostureView(
                a.posture().score(),
                a.secondFactor().label(),
                viewSteps(a.posture().steps()),
                List.of(),
                a.packages().stream()
                        .map(
                                p ->
                                        new Views.PostureSummary(
                                                p.name(),
                                                p.name().replace("/", "%2f"),
                                                p.score(),
                                                p.important(),
                                                p.recommended()))
                        .toList());
    }

    /** A package's posture as its page shows it. */
    static Views.PostureView view(Postures.PackagePosture p) {
        return new Views.PostureView(
                p.posture().score(),
                null,
                viewSteps(p.posture().steps()),
                p.maintainers().entrySet().stream()
                        .map(e -> e.getKey() + ": " + e.getValue().label())
                        .toList(),
                List.of());
    }

    private static List<Views.PostureStep> viewSteps(List<Step> steps) {
        return steps.stream()
                .map(
                        s ->
                                new Views.PostureStep(
                                        s.id(),
                                        s.importance().label(),
                                        s.title(),
                                        s.reason(),
                                        s.url(),
                                        s.fix()))
                .toList();
    }

    static List<Map<String, Object>> steps(List<Step> steps) {
        return steps.stream().map(PostureApi::step).toList();
    }

    private static Map<String, Object> step(Step s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("importance", s.importance().label());
        m.put("title", s.title());
        m.put("reason", s.reason());
        m.put("url", s.url());
        if (s.fix() != null) {
            m.put("fix", s.fix());
        }
        return m;
    }
}
