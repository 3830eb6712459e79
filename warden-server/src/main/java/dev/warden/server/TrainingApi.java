package dev.warden.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.accounts.Accounts;
import dev.warden.accounts.Principal;
import dev.warden.awareness.Exercise;
import dev.warden.awareness.Training;
import dev.warden.common.Problem;
import dev.warden.server.http.Exchange;
import dev.warden.server.http.Reply;
import dev.warden.server.http.Router;

import org.eclipse.jetty.http.HttpHeader;

import java.net.InetAddress;
import java.util.Iterator;
import java.util.Map;

/**
 * The exercises' API ({@code /-/warden/v1/exercises}): the caller's own exercises with their
 * status, and an attempt at one (an answer, or a request to check a step against the account's
 * state). An attempt is always the caller's own, made with a credential that may change the
 * account.
 */
final class TrainingApi {

    /** An answer is a few bytes; anything larger is not one. */
    static final long ATTEMPT_BODY = 4 * 1024;

    private final Training training;
    private final Accounts accounts;
    private final ObjectMapper json;
    private final String publicUrl;

    TrainingApi(Training training, Accounts accounts, ObjectMapper json, String publicUrl) {
        this.training = training;
        this.accounts = accounts;
        this.json = json;
        this.publicUrl = publicUrl.replaceAll("/+$", "");
    }

    void routes(Router r) {
        r.route("GET", "/-/warden/v1/exercises", this::list)
                .route("POST", "/-/warden/v1/exercises/{id}", ATTEMPT_BODY, this::attempt);
    }

    private Reply list(Exchange ex) {
        Principal who = ex.requirePrincipal();
        ObjectNode out = json.createObjectNode();
        ArrayNode items = out.putArray("exercises");
        for (Training.Status s : training.statuses(who.user())) {
            items.add(item(s));
        }
        out.put("page", publicUrl + Training.PAGE);
        return ex.ok(out);
    }

    private ObjectNode item(Training.Status s) {
        Exercise e = s.exercise();
        ObjectNode o = json.createObjectNode();
        o.put("id", e.id());
        o.put("title", e.title());
        o.put("required", e.required());
        o.put("guide", publicUrl + "/-/web/guides/" + e.guide());
        o.put("status", s.completed() == null ? "open" : "completed");
        if (s.completed() == null) {
            o.putNull("completed");
        } else {
            o.put("completed", s.completed().toString());
        }
        switch (e) {
            case Exercise.Question q -> {
                o.put("kind", "question");
                o.put("prompt", q.prompt());
                ArrayNode choices = o.putArray("choices");
                // the choices' ids and texts only: the answer key stays on the server
                q.choices()
                        .forEach(c -> choices.addObject().put("id", c.id()).put("text", c.text()));
            }
            case Exercise.Step st -> {
                o.put("kind", "step");
                o.put("instructions", st.instructions());
                if (s.now() != null) {
                    o.putObject("state")
                            .put("done", s.now().done())
                            .put("detail", s.now().detail());
                }
            }
        }
        return o;
    }

    /**
     * {@code POST /-/warden/v1/exercises/<id>}: {@code {"answer": "<choice id>"}} for a question,
     * {@code {}} (or no body) for a step.
     */
    private Reply attempt(Exchange ex) throws Exception {
        Principal who = ex.requireUnlimitedWriter();
        Exercise e = training.exercise(ex.param("id"));
        ObjectNode body = hasBody(ex) ? ex.jsonObject() : json.createObjectNode();
        Training.Attempt a =
                switch (e) {
                    case Exercise.Question q -> {
                        onlyFields(body, "answer", "{\"answer\": \"<choice id>\"}");
                        JsonNode answer = body.get("answer");
                        if (answer == null || !answer.isTextual()) {
                            throw Problem.badRequest(
                                    "a question is answered with {\"answer\": \"<choice id>\"}");
                        }
                        yield training.answer(who.user(), q.id(), answer.asText());
                    }
                    case Exercise.Step st -> {
                        onlyFields(body, "check", "{} (or {\"check\": true})");
                        yield training.check(who.user(), st.id());
                    }
                };
        recordCompletion(who.user(), a, ex.clientAddress());
        return ex.ok(result(a));
    }

    ObjectNode result(Training.Attempt a) {
        ObjectNode o = json.createObjectNode();
        o.put("id", a.exercise().id());
        o.put("correct", a.correct());
        o.put("status", a.completed() == null ? "open" : "completed");
        if (a.completed() == null) {
            o.putNull("completed");
        } else {
            o.put("completed", a.completed().toString());
        }
        o.put("message", a.message());
        return o;
    }

    /** A new completion goes to the account's security history (no mail: nothing to warn of). */
    void recordCompletion(String user, Training.Attempt a, InetAddress address) {
        if (a.newly()) {
            accounts.securityLog()
                    .record(
                            user,
                            "exercise.completed",
                            address,
                            Map.of("exercise", a.exercise().id()));
        }
    }

    private static boolean hasBody(Exchange ex) {
        String length = ex.header(HttpHeader.CONTENT_LENGTH);
        return !(length == null && ex.header(HttpHeader.TRANSFER_ENCODING) == null)
                && !"0".equals(length);
    }

    private static void onlyFields(ObjectNode body, String allowed, String shape) {
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals(allowed)) {
                throw Problem.badRequest(
                        "unknown field " + Problem.clip(f) + ": the body is " + shape);
            }
        }
    }
}
