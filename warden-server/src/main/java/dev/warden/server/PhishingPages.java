package dev.warden.server;

import dev.warden.awareness.MessageVerification;
import dev.warden.server.http.Exchange;
import dev.warden.server.http.Reply;
import dev.warden.server.http.Router;

import java.net.URI;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pages of phishing defence: {@code /-/web/official} (the hosts the registry is reached at,
 * what it never asks) and {@code /-/web/verify-message} (whether a message with a code was sent
 * here; a JSON answer for {@code Accept: application/json}). Neither asks for credentials, so a
 * mail may link to them.
 */
final class PhishingPages {

    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final WebPages web;
    private final MessageVerification verification;
    private final List<String> officialHosts;
    private final String publicUrl;

    PhishingPages(
            WebPages web,
            MessageVerification verification,
            List<String> officialHosts,
            String publicUrl) {
        this.web = web;
        this.verification = verification;
        this.publicUrl = publicUrl.replaceAll("/+$", "");
        this.officialHosts =
                officialHosts.isEmpty()
                        ? List.of(URI.create(this.publicUrl).getHost())
                        : List.copyOf(officialHosts);
    }

    void routes(Router r) {
        r.route("GET", "/-/web/official", this::official)
                .route("GET", "/-/web/verify-message", this::verifyMessage);
    }

    private Reply official(Exchange ex) {
        return web.page(
                200,
                Templates.render(
                        "official.jte",
                        new PhishingViews.Official(officialHosts, publicUrl + "/-/web/signin")),
                null);
    }

    private Reply verifyMessage(Exchange ex) {
        String typed = ex.query("code");
        boolean json =
                ex.header("Accept") != null && ex.header("Accept").contains("application/json");
        if (typed == null) {
            if (json) {
                throw dev.warden.common.Problem.badRequest(
                        "give the message's verification code as ?code=ABCD-EFGH");
            }
            return web.page(200, render(null), null);
        }
        MessageVerification.Answer answer = verification.check(typed, ex.clientAddress());
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            switch (answer) {
                case MessageVerification.Sent s -> {
                    out.put("sent", true);
                    out.put("code", s.code());
                    out.put("at", s.at().toString());
                    out.put("recipient", s.recipient());
                    out.put("subject", s.subject());
                }
                case MessageVerification.Unknown u -> {
                    out.put("sent", false);
                    out.put("code", u.code());
                    out.put("advice", UNKNOWN_ADVICE);
                }
                case MessageVerification.Malformed m ->
                        throw dev.warden.common.Problem.badRequest(MALFORMED);
            }
            return ex.ok(out);
        }
        int status = answer instanceof MessageVerification.Malformed ? 400 : 200;
        return web.page(status, render(answer), null);
    }

    static final String UNKNOWN_ADVICE =
            "this registry sent no message with that code: treat the message as phishing, do not"
                    + " follow its links or enter your password or codes where it points; sign in"
                    + " by typing the registry's address yourself";

    static final String MALFORMED =
            "that is not a verification code: a code is 8 letters and digits, like ABCD-EFGH";

    private String render(MessageVerification.Answer answer) {
        String official = publicUrl + "/-/web/official";
        PhishingViews.VerifyMessage view =
                switch (answer) {
                    case null ->
                            new PhishingViews.VerifyMessage(null, null, null, null, null, official);
                    case MessageVerification.Sent s ->
                            new PhishingViews.VerifyMessage(
                                    s.code(),
                                    "sent",
                                    WHEN.format(s.at()),
                                    s.recipient(),
                                    s.subject(),
                                    official);
                    case MessageVerification.Unknown u ->
                            new PhishingViews.VerifyMessage(
                                    u.code(), "unknown", null, null, null, official);
                    case MessageVerification.Malformed m ->
                            new PhishingViews.VerifyMessage(
                                    null, "malformed", null, null, null, official);
                };
        return Templates.render("verifyMessage.jte", view);
    }
}
