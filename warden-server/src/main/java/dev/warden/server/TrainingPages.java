package dev.warden.server;

import dev.warden.accounts.Principal;
import dev.warden.awareness.Exercise;
import dev.warden.awareness.Guides;
import dev.warden.awareness.Training;
import dev.warden.common.Problem;
import dev.warden.server.http.Exchange;
import dev.warden.server.http.Reply;
import dev.warden.server.http.Router;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The guides ({@code /-/web/guides}, readable by anyone) and the signed-in maintainer's exercises
 * ({@code /-/web/exercises}), in the pages' layout. A form's attempt is the session's own, with the
 * page's CSRF token.
 */
final class TrainingPages {

    private final Guides guides;
    private final Training training;
    private final TrainingApi api;
    private final WebPages web;

    TrainingPages(Guides guides, Training training, TrainingApi api, WebPages web) {
        this.guides = guides;
        this.training = training;
        this.api = api;
        this.web = web;
    }

    void routes(Router r) {
        r.route("GET", "/-/web/guides", this::index)
                .route("GET", "/-/web/guides/{slug}", this::guide)
                .route("GET", "/-/web/exercises", this::exercises)
                .route("POST", "/-/web/exercises/{id}", TrainingApi.ATTEMPT_BODY, this::attempt);
    }

    private List<TrainingViews.GuideLink> links() {
        return guides.all().stream()
                .map(g -> new TrainingViews.GuideLink(g.slug(), g.title(), g.summary()))
                .toList();
    }

    private Reply index(Exchange ex) {
        return web.page(
                200,
                Templates.render(
                        "guides.jte",
                        new TrainingViews.GuideIndex(links(), web.session(ex).isPresent())),
                null);
    }

    private Reply guide(Exchange ex) {
        Guides.Guide g = guides.find(ex.param("slug")).orElse(null);
        if (g == null) {
            return web.message(
                    404,
                    "Guide not found",
                    "There is no guide by that name. The guides are listed at /-/web/guides.",
                    true);
        }
        return web.page(
                200,
                Templates.render(
                        "guide.jte", new TrainingViews.GuidePage(g.title(), g.html(), links())),
                null);
    }

    private Reply exercises(Exchange ex) {
        var who = web.session(ex);
        if (who.isEmpty()) {
            Reply reply = new Reply.Empty(303, new HashMap<>());
            reply.header("Location", "/-/web/signin");
            return reply;
        }
        return exercisesPage(ex, who.get(), 200, null);
    }

    private Reply exercisesPage(
            Exchange ex, Principal who, int status, TrainingViews.Notice notice) {
        WebPages.Csrf csrf = web.csrf(ex);
        List<TrainingViews.Item> items =
                training.statuses(who.user()).stream().map(TrainingPages::item).toList();
        return web.page(
                status,
                Templates.render(
                        "exercises.jte",
                        new TrainingViews.Exercises(who.user(), csrf.token(), items, notice)),
                csrf);
    }

    private static TrainingViews.Item item(Training.Status s) {
        String completed = s.completed() == null ? null : s.completed().toString();
        return switch (s.exercise()) {
            case Exercise.Question q ->
                    new TrainingViews.Item(
                            q.id(),
                            q.title(),
                            q.guide(),
                            q.required(),
                            completed,
                            q.prompt(),
                            q.choices().stream()
                                    .map(c -> new TrainingViews.Choice(c.id(), c.text()))
                                    .toList(),
                            null,
                            null);
            case Exercise.Step st ->
                    new TrainingViews.Item(
                            st.id(),
                            st.title(),
                            st.guide(),
                            st.required(),
                            completed,
                            null,
                            List.of(),
                            st.instructions(),
                            s.now() == null ? null : s.now().detail());
        };
    }

    private Reply attempt(Exchange ex) throws Exception {
        Map<String, String> form = ex.form();
        Reply refused = web.refusedForm(ex, form, "Security exercises");
        if (refused != null) {
            return refused;
        }
        Principal who = web.session(ex).orElseThrow(() -> Problem.unauthorized("sign in first"));
        String id = ex.param("id");
        try {
            Training.Attempt a =
                    switch (training.exercise(id)) {
                        case Exercise.Question q ->
                                training.answer(who.user(), q.id(), form.get("answer"));
                        case Exercise.Step st -> training.check(who.user(), st.id());
                    };
            api.recordCompletion(who.user(), a, ex.clientAddress());
            return exercisesPage(
                    ex, who, 200, new TrainingViews.Notice(id, a.message(), a.correct()));
        } catch (Problem p) {
            return web.message(p.kind().status(), "Security exercises", p.getMessage(), true);
        }
    }
}
