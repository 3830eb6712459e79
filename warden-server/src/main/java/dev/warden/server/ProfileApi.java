package dev.warden.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.accounts.Accounts;
import dev.warden.accounts.Principal;
import dev.warden.accounts.TokenCodec;
import dev.warden.common.Problem;
import dev.warden.server.http.Exchange;
import dev.warden.server.http.Reply;
import dev.warden.server.http.Router;
import dev.warden.storage.SecurityEvents.Event;
import dev.warden.storage.Tokens.TokenRecord;
import dev.warden.storage.TwoFactor.TfaRecord;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The account API npm's {@code profile} and {@code token} commands speak ({@code /-/npm/v1/user},
 * {@code /-/npm/v1/tokens}), and Warden's security history ({@code /-/warden/v1/security-events}).
 */
final class ProfileApi {

    private final Accounts accounts;
    private final Clock clock;
    private final com.fasterxml.jackson.databind.ObjectMapper json;

    ProfileApi(Accounts accounts, Clock clock, com.fasterxml.jackson.databind.ObjectMapper json) {
        this.accounts = accounts;
        this.clock = clock;
        this.json = json;
    }

    void routes(Router r) {
        r.route("GET", "/-/npm/v1/user", this::profile)
                .route("POST", "/-/npm/v1/user", this::updateProfile)
                .route("GET", "/-/npm/v1/tokens", this::listTokens)
                .route("POST", "/-/npm/v1/tokens", this::createToken)
                .route("DELETE", "/-/npm/v1/tokens/token/{token}", this::revokeToken)
                .route("GET", "/-/warden/v1/security-events", this::events)
                .route("GET", "/-/warden/v1/verify-email", this::verifyEmail)
                .route("POST", "/-/warden/v1/tokens/leaked", this::reportLeaked);
    }

    // ---------------------------------------------------------------- profile and 2FA

    private ObjectNode profileOf(String user) {
        var u = accounts.user(user).orElseThrow(() -> Problem.notFound("user not found"));
        ObjectNode out = json.createObjectNode();
        out.put("name", u.name());
        out.put("email", u.email());
        out.put("email_verified", accounts.emailVerified(user));
        TfaRecord tfa =
                accounts.secondFactors().activeMode(user).isPresent() || pending(user)
                        ? tfaRecord(user)
                        : null;
        if (tfa == null) {
            out.putNull("tfa");
        } else {
            out.putObject("tfa").put("pending", tfa.pending()).put("mode", tfa.mode());
        }
        for (String f : List.of("fullname", "homepage", "freenode", "twitter", "github")) {
            out.putNull(f);
        }
        out.put("created", u.created().toString());
        out.put("updated", u.created().toString());
        out.putNull("cidr_whitelist");
        return out;
    }

    private boolean pending(String user) {
        return tfaRecord(user) != null;
    }

    private TfaRecord tfaRecord(String user) {
        return accounts.twoFactorRecord(user).orElse(null);
    }

    private Reply profile(Exchange ex) {
        return ex.ok(profileOf(ex.requirePrincipal().user()));
    }

    private Reply updateProfile(Exchange ex) throws Exception {
        Principal p = ex.requirePrincipal();
        ObjectNode body = ex.jsonObject();
        if (body.has("tfa")) {
            return twoFactor(ex, p, body.get("tfa"));
        }
        Principal writer = ex.requireUnlimitedWriter();
        // validate everything before changing anything
        for (String f : List.of("fullname", "homepage", "freenode", "twitter", "github")) {
            JsonNode v = body.get(f);
            if (v != null && !v.isNull() && !(v.isTextual() && v.asText().isEmpty())) {
                throw Problem.badRequest(
                        "this registry keeps no " + f + "; only email and password can be set");
            }
        }
        JsonNode password = body.get("password");
        boolean changesPassword = password != null && !password.isNull();
        if (changesPassword
                && (!password.isObject()
                        || !password.path("old").isTextual()
                        || !password.path("new").isTextual())) {
            throw Problem.badRequest("password must be {\"old\": ..., \"new\": ...}");
        }
        JsonNode email = body.get("email");
        if (email != null && !email.isNull() && !email.isTextual()) {
            throw Problem.badRequest("email must be a string");
        }
        String currentEmail = accounts.user(writer.user()).map(u -> u.email()).orElse("");
        boolean changesEmail =
                email != null
                        && email.isTextual()
                        && !email.asText().equalsIgnoreCase(currentEmail);
        if ((changesPassword || changesEmail)
                && accounts.secondFactors().activeMode(writer.user()).isPresent()) {
            ex.requireSecondFactor(); // no token bypasses this: these changes take over an account
        }
        if (changesPassword) {
            accounts.checkPassword(writer.user(), password.get("old").asText(), ex.clientAddress());
            accounts.changePassword(
                    writer.user(), password.get("new").asText(), ex.clientAddress());
        }
        if (changesEmail) {
            accounts.changeEmail(writer.user(), email.asText(), ex.clientAddress());
        }
        return ex.ok(profileOf(writer.user()));
    }

    /** The three steps of npm profile enable-2fa, and disable-2fa. */
    private Reply twoFactor(Exchange ex, Principal p, JsonNode tfa) {
        if (!p.canWrite()) {
            throw Problem.forbidden("this token is read-only");
        }
        String user = p.user();
        TfaRecord current = tfaRecord(user);
        boolean active = current != null && !current.pending();
        if (tfa.isArray()) {
            if (tfa.size() != 1 || !tfa.get(0).isTextual()) {
                throw Problem.badRequest("tfa must hold exactly one code from your authenticator");
            }
            List<String> codes =
                    accounts.confirmTwoFactor(user, tfa.get(0).asText(), ex.clientAddress());
            ObjectNode out = json.createObjectNode();
            ArrayNode arr = out.putArray("tfa");
            codes.forEach(arr::add);
            return ex.ok(out);
        }
        if (!tfa.isObject() || !tfa.path("password").isTextual() || !tfa.path("mode").isTextual()) {
            throw Problem.badRequest(
                    "tfa must be {\"password\": ..., \"mode\":"
                            + " \"auth-only\"|\"auth-and-writes\"|\"disable\"}");
        }
        accounts.checkPassword(user, tfa.get("password").asText(), ex.clientAddress());
        String mode = tfa.get("mode").asText();
        if (mode.equals("disable")) {
            if (active) {
                ex.requireSecondFactor();
            }
            accounts.disableTwoFactor(user, ex.clientAddress());
            return ex.ok(Map.of("tfa", false));
        }
        if (active) {
            ex.requireSecondFactor();
            accounts.switchTwoFactorMode(user, mode, ex.clientAddress());
            return ex.ok(Map.of("tfa", Map.of("mode", mode, "pending", false)));
        }
        return ex.ok(Map.of("tfa", accounts.beginTwoFactor(user, mode, ex.clientAddress())));
    }

    // ---------------------------------------------------------------- tokens

    private Reply listTokens(Exchange ex) {
        Principal p = ex.requirePrincipal();
        ArrayNode objects = json.createArrayNode();
        for (TokenRecord t : accounts.tokens(p.user())) {
            ObjectNode o = objects.addObject();
            o.put("key", t.key());
            o.put("token", TokenCodec.PREFIX);
            if (t.name() == null) {
                o.putNull("name");
            } else {
                o.put("name", t.name());
            }
            if (t.description() != null) {
                o.put("description", t.description());
            }
            o.put("readonly", t.readOnly());
            o.put("bypass_2fa", t.bypass2fa());
            o.put("created", t.created().toString());
            o.put("updated", t.created().toString());
            if (t.expires() == null) {
                o.putNull("expires");
            } else {
                o.put("expires", t.expires().toString());
            }
            if (t.cidrs().isEmpty()) {
                o.putNull("cidr_whitelist");
            } else {
                t.cidrs().forEach(o.putArray("cidr_whitelist")::add);
            }
            o.set("limits", parse(t.limits()));
            o.put("current", t.hash().equals(p.tokenHash()));
        }
        ObjectNode out = json.createObjectNode();
        out.set("objects", objects);
        out.put("total", objects.size());
        out.putObject("urls");
        return ex.ok(out);
    }

    private JsonNode parse(String text) {
        try {
            return json.readTree(text == null ? "{}" : text);
        } catch (java.io.IOException e) {
            return json.createObjectNode();
        }
    }

    private Reply createToken(Exchange ex) throws Exception {
        Principal p = ex.requirePrincipal();
        ObjectNode body = ex.jsonObject();
        JsonNode password = body.get("password");
        if (password == null || !password.isTextual()) {
            throw Problem.badRequest("password is required to create a token");
        }
        Accounts.TokenRequest request = tokenRequest(body);
        Accounts.IssuedToken issued =
                TokenRequests.create(
                        accounts,
                        p,
                        request,
                        password.asText(),
                        ex.clientAddress(),
                        "npm token create",
                        ex::requireSecondFactor,
                        ex.header("npm-otp"));
        TokenRecord t = issued.record();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("token", issued.secret());
        out.put("key", t.key());
        out.put("name", t.name());
        out.put("readonly", t.readOnly());
        out.put("bypass_2fa", t.bypass2fa());
        out.put("cidr_whitelist", t.cidrs().isEmpty() ? null : t.cidrs());
        out.put("created", t.created().toString());
        out.put("updated", t.created().toString());
        out.put("expires", t.expires() == null ? null : t.expires().toString());
        out.put("limits", parse(t.limits()));
        return ex.ok(out);
    }

    /**
     * Validates what npm token create sends into a request: limits, permission, expiry, networks.
     */
    private Accounts.TokenRequest tokenRequest(ObjectNode body) {
        String name = optionalText(body, "name", 128);
        String description = optionalText(body, "description", 1024);
        boolean readOnly;
        if (body.has("readonly")) {
            if (!body.get("readonly").isBoolean()) {
                throw Problem.badRequest("readonly must be true or false");
            }
            readOnly = body.get("readonly").asBoolean();
        } else {
            String permission = optionalText(body, "packages_and_scopes_permission", 32);
            if (permission == null || permission.equals("read-only")) {
                readOnly = true;
            } else if (permission.equals("read-write")) {
                readOnly = false;
            } else {
                throw Problem.badRequest(
                        "packages_and_scopes_permission must be read-only or read-write");
            }
        }
        if (body.has("orgs") && body.get("orgs").size() > 0) {
            throw Problem.badRequest(
                    "tokens limited to orgs are not supported yet; limit the token to packages or"
                            + " scopes");
        }
        JsonNode expires = body.get("expires");
        Integer days = null;
        if (expires != null && !expires.isNull()) {
            if (!expires.canConvertToInt() || expires.asInt() < 1) {
                throw Problem.badRequest("expires must be a number of days, at least 1");
            }
            days = expires.asInt();
        }
        JsonNode bypass = body.get("bypass_2fa");
        if (bypass != null && !bypass.isBoolean()) {
            throw Problem.badRequest("bypass_2fa must be true or false");
        }
        return TokenRequests.request(
                name,
                description,
                readOnly,
                stringList(body, "packages", 214),
                stringList(body, "scopes", 214),
                body.path("packages_all").asBoolean(false),
                days,
                stringList(body, "cidr_whitelist", 64),
                bypass != null && bypass.asBoolean(),
                clock);
    }

    private static String optionalText(ObjectNode body, String field, int max) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() || v.asText().length() > max) {
            throw Problem.badRequest(field + " must be a string of at most " + max + " characters");
        }
        return v.asText();
    }

    private static List<String> stringList(ObjectNode body, String field, int max) {
        JsonNode v = body.get(field);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isArray() || v.size() > 100) {
            throw Problem.badRequest(field + " must be a list of at most 100 strings");
        }
        for (JsonNode item : v) {
            if (!item.isTextual() || item.asText().isEmpty() || item.asText().length() > max) {
                throw Problem.badRequest(
                        field + " must hold non-empty strings of at most " + max + " characters");
            }
            out.add(item.asText());
        }
        return out;
    }

    private Reply revokeToken(Exchange ex) {
        Principal p = ex.requireUnlimitedWriter();
        if (!accounts.revokeOwn(p.user(), ex.param("token"), ex.clientAddress())) {
            throw Problem.notFound("no such token");
        }
        return ex.ok(Map.of("ok", true));
    }

    /** The link in a verification mail; answers with a short page. */
    private Reply verifyEmail(Exchange ex) {
        String token = ex.query("token");
        boolean ok = token != null && accounts.verifyEmail(token);
        String text =
                ok
                        ? "Your email address is verified. You can close this page."
                        : "This verification link is unknown, used or expired. Sign in and ask for"
                                + " a new one.";
        Reply r =
                Reply.text(
                        ok ? 200 : 400,
                        "text/html; charset=utf-8",
                        Templates.render("verifyEmail.jte", text));
        r.header("Content-Security-Policy", "default-src 'none'");
        r.header("Referrer-Policy", "no-referrer");
        return r;
    }

    /**
     * Secret scanners report leaked tokens here ({@code {"tokens": [...], "source": "..."}}), no
     * authentication needed: a live token is revoked at once and its owner told.
     */
    private Reply reportLeaked(Exchange ex) throws Exception {
        ObjectNode body = ex.jsonObject();
        List<String> tokens = stringList(body, "tokens", 128);
        if (tokens.isEmpty()) {
            throw Problem.badRequest("tokens must list at least one token");
        }
        String source = optionalText(body, "source", 256);
        int revoked = accounts.reportLeaked(tokens, source, ex.clientAddress());
        return ex.ok(Map.of("received", tokens.size(), "revoked", revoked));
    }

    // ---------------------------------------------------------------- security history

    private Reply events(Exchange ex) {
        Principal p = ex.requirePrincipal();
        int limit = ex.queryInt("limit", 50, 1, 500);
        long before = ex.queryInt("before", 0, 0, Integer.MAX_VALUE);
        List<Event> events = accounts.securityLog().list(p.user(), before, limit);
        ObjectNode out = json.createObjectNode();
        ArrayNode arr = out.putArray("events");
        for (Event e : events) {
            ObjectNode o = arr.addObject();
            o.put("id", e.id());
            o.put("kind", e.kind());
            o.put("at", e.at().toString());
            if (e.address() == null) {
                o.putNull("address");
            } else {
                o.put("address", e.address());
            }
            o.set("detail", parse(e.detailJson()));
        }
        if (events.size() == limit) {
            out.put(
                    "next",
                    "/-/warden/v1/security-events?before="
                            + events.get(events.size() - 1).id()
                            + "&limit="
                            + limit);
        }
        return ex.ok(out);
    }
}
