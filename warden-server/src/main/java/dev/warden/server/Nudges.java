package dev.warden.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.accounts.Accounts;
import dev.warden.accounts.Principal;
import dev.warden.awareness.Postures;
import dev.warden.awareness.Step;
import dev.warden.server.http.Exchange;
import dev.warden.server.http.Reply;
import dev.warden.server.http.Router;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Optional;

/**
 * The npm CLI's nudges: the answers to a login, a publish (or a staged one) and a token creation
 * carry the caller's single most important open posture step in an {@code npm-notice} header, which
 * npm prints. Never on reads, never when nothing is open, never on a failed command.
 *
 * <p>npm prints one {@code npm-notice} value per answer; when the answer already has one (a staged
 * release, a manifest that disagreed with its tarball) that notice comes first and the nudge
 * follows it after " / ", in the one header, so neither is lost.
 */
final class Nudges {

    private static final Logger LOG = LoggerFactory.getLogger(Nudges.class);
    static final String HEADER = "npm-notice";

    private final Postures postures;
    private final Accounts accounts;
    private final ObjectMapper json;

    Nudges(Postures postures, Accounts accounts, ObjectMapper json) {
        this.postures = postures;
        this.accounts = accounts;
        this.json = json;
    }

    /** Adds the nudges to the routes of the commands that get one (after they are all routed). */
    void wrap(Router router) {
        String couchdb = "/-/user/org.couchdb.user:{user*}";
        router.wrap("PUT", couchdb, h -> ex -> afterLogin(ex, h.handle(ex)))
                .wrap("PUT", couchdb + "/-rev/{rev}", h -> ex -> afterLogin(ex, h.handle(ex)))
                .wrap("GET", "/-/v1/login/done/{id}", h -> ex -> afterWebLogin(ex, h.handle(ex)))
                .wrap("PUT", "/{pkg}", h -> ex -> afterPublish(ex, h.handle(ex)))
                .wrap("POST", "/-/stage/package/{pkg}", h -> ex -> afterStage(ex, h.handle(ex)))
                .wrap("POST", "/-/npm/v1/tokens", h -> ex -> afterToken(ex, h.handle(ex)));
    }

    private Reply afterLogin(Exchange ex, Reply reply) {
        if (reply.status() == 201) {
            add(reply, ex.param("user"), null);
        }
        return reply;
    }

    /** The poll's 200 with a token: the user is whoever the token is. */
    private Reply afterWebLogin(Exchange ex, Reply reply) {
        String token = body(reply).path("token").asText(null);
        if (reply.status() == 200 && token != null) {
            accounts.authenticateToken(token, ex.clientAddress())
                    .ifPresent(p -> add(reply, p.user(), null));
        }
        return reply;
    }

    /** A publish answers its version; a document update (deprecate, owners, star) does not. */
    private Reply afterPublish(Exchange ex, Reply reply) {
        if (reply.status() == 200 && body(reply).path("version").isTextual()) {
            person(ex).ifPresent(p -> add(reply, p.user(), ex.param("pkg")));
        }
        return reply;
    }

    private Reply afterStage(Exchange ex, Reply reply) {
        if (reply.status() / 100 == 2) {
            person(ex).ifPresent(p -> add(reply, p.user(), ex.param("pkg")));
        }
        return reply;
    }

    private Reply afterToken(Exchange ex, Reply reply) {
        if (reply.status() == 200) {
            person(ex).ifPresent(p -> add(reply, p.user(), null));
        }
        return reply;
    }

    /** Nudges people; a CI's trusted-publisher token has no one to read them. */
    private static Optional<Principal> person(Exchange ex) {
        return ex.principal().filter(p -> p.publisher() == null);
    }

    private void add(Reply reply, String user, String pkg) {
        Optional<Step> step;
        try {
            step = postures.nudge(user, pkg);
        } catch (RuntimeException e) {
            // a nudge is advice: it never fails the command it rides on
            LOG.warn("could not compute the posture nudge for {}", user, e);
            return;
        }
        if (step.isEmpty()) {
            return;
        }
        String nudge = text(step.get());
        String existing = reply.headers().get(HEADER);
        reply.header(HEADER, existing == null ? nudge : existing + " / " + nudge);
    }

    /** The notice's text: importance, title, reason, fix and where; one line of ASCII. */
    static String text(Step s) {
        return ("warden: next security step (" + s.importance().label() + "): " + s.oneLine())
                .replaceAll("[^\\x20-\\x7e]", "?");
    }

    private JsonNode body(Reply reply) {
        if (reply instanceof Reply.Bytes b && b.contentType().startsWith("application/json")) {
            try {
                return json.readTree(b.body());
            } catch (IOException e) {
                return json.createObjectNode();
            }
        }
        return json.createObjectNode();
    }
}
