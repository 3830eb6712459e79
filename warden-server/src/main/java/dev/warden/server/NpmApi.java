package dev.warden.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.accounts.Accounts;
import dev.warden.accounts.Principal;
import dev.warden.common.Problem;
import dev.warden.proxy.Proxy;
import dev.warden.registry.Registry;
import dev.warden.server.http.Exchange;
import dev.warden.server.http.Reply;
import dev.warden.server.http.Router;
import dev.warden.storage.BlobStore;
import dev.warden.storage.Packuments.PackumentRecord;

import org.eclipse.jetty.http.HttpHeader;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The npm registry API as npm 11, pnpm and yarn speak it. Handlers validate, call the domain,
 * render.
 */
final class NpmApi {

    static final String ABBREVIATED = "application/vnd.npm.install-v1+json";
    private static final String USER_DOC = "org.couchdb.user:";

    private static final String PUBLIC_CACHE = "public, max-age=0, must-revalidate";
    private static final String PRIVATE_CACHE = "private, max-age=0, must-revalidate";
    private static final String VARY = "Accept, Accept-Encoding, Authorization";

    private final Registry registry;
    private final Accounts accounts;
    private final ObjectMapper json;
    private final TarballBuffers buffers;

    NpmApi(Registry registry, Accounts accounts, ObjectMapper json, TarballBuffers buffers) {
        this.registry = registry;
        this.accounts = accounts;
        this.json = json;
        this.buffers = buffers;
    }

    /** The passkey rule publishes are checked against (none: not checked). */
    private dev.warden.awareness.PasskeyRule passkeys;

    NpmApi withPasskeys(dev.warden.awareness.PasskeyRule rule) {
        this.passkeys = rule;
        return this;
    }

    /** The upstream proxy, asked for names the registry does not have (none: no proxy). */
    private ProxyReads proxy;

    NpmApi withProxy(ProxyReads proxy) {
        this.proxy = proxy;
        return this;
    }

    /**
     * The route table; Warden's own paths live under {@code /-/} so any package name stays free.
     */
    void routes(Router r) {
        r.route("GET", "/-/whoami", this::whoami)
                .route("PUT", "/-/user/" + USER_DOC + "{user*}", this::login)
                .route("PUT", "/-/user/" + USER_DOC + "{user*}/-rev/{rev}", this::login)
                .route("GET", "/-/user/" + USER_DOC + "{user*}", this::userDocument)
                .route("DELETE", "/-/user/token/{token}", this::logout)
                .route("GET", "/-/user/{user}/package", this::packagesOfUser)
                .route("GET", "/-/org/{scope}/package", this::packagesOfScope)
                .route("GET", "/-/v1/search", this::search)
                .route("GET", "/-/package/{pkg}/dist-tags", this::distTags)
                .route("PUT", "/-/package/{pkg}/dist-tags/{tag}", this::setDistTag)
                .route("POST", "/-/package/{pkg}/dist-tags/{tag}", this::setDistTag)
                .route("DELETE", "/-/package/{pkg}/dist-tags/{tag}", this::removeDistTag)
                .route("GET", "/-/package/{pkg}/collaborators", this::collaborators)
                .route("GET", "/-/package/{pkg}/visibility", this::visibility)
                .route("POST", "/-/package/{pkg}/access", this::setAccess)
                .route("GET", "/-/_view/starredByUser", this::starredByUser)
                .route("GET", "/{pkg}", this::packument, this::cachedPackument)
                .route("PUT", "/{pkg}", Router.MAX_BODY, this::publishOrUpdate)
                .route("PUT", "/{pkg}/-rev/{rev}", Router.MAX_BODY, this::update)
                .route("DELETE", "/{pkg}/-rev/{rev}", this::unpublish)
                .route("GET", "/{pkg}/-/{file}", this::tarball, this::cachedTarball)
                .route("DELETE", "/{pkg}/-/{file}/-rev/{rev}", this::deleteTarball)
                .route("GET", "/{pkg}/{version}", this::version);
    }

    // ---------------------------------------------------------------- accounts

    private Reply whoami(Exchange ex) {
        return ex.ok(Map.of("username", ex.requirePrincipal().user()));
    }

    /** The CouchDB user-document flow of npm adduser and npm login (legacy auth type). */
    private Reply login(Exchange ex) throws Exception {
        String user = ex.param("user");
        ObjectNode body = ex.jsonObject();
        String name = body.path("name").asText(null);
        if (name != null && !name.equals(user)) {
            throw Problem.badRequest("user name in the body does not match the URL");
        }
        JsonNode password = body.get("password");
        if (password == null || !password.isTextual()) {
            throw Problem.badRequest("password is required");
        }
        String email = body.path("email").isTextual() ? body.get("email").asText() : null;
        Accounts.IssuedToken token =
                accounts.loginOrRegister(
                        user,
                        password.asText(),
                        email,
                        ex.header("npm-otp"),
                        ex.clientAddress(),
                        ex.header("User-Agent") == null ? "npm" : ex.header("User-Agent"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ok", true);
        out.put("id", USER_DOC + user);
        out.put("rev", "1-" + token.record().key());
        out.put("token", token.secret());
        return ex.status(201, out);
    }

    private Reply userDocument(Exchange ex) {
        String user = ex.param("user");
        var record =
                accounts.user(user)
                        .orElseThrow(() -> Problem.notFound("user " + user + " not found"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("_id", USER_DOC + record.name());
        out.put("name", record.name());
        if (ex.principal().isPresent()) {
            out.put("email", record.email());
        }
        out.put("type", "user");
        out.put("roles", List.of());
        return ex.ok(out);
    }

    private Reply logout(Exchange ex) {
        String token = ex.param("token");
        if (token.equals(ex.bearerToken())) {
            // A token may always revoke itself, even once expired, so npm can clear its
            // credentials.
            accounts.revoke(token);
            return ex.ok(Map.of("ok", true));
        }
        Principal caller = ex.requirePrincipal();
        if (caller.tokenHash() != null
                && !dev.warden.accounts.TokenCodec.hash(token).equals(caller.tokenHash())) {
            throw Problem.forbidden(
                    "a token can only be revoked with itself here; use npm token revoke for"
                            + " others");
        }
        accounts.revoke(token);
        return ex.ok(Map.of("ok", true));
    }

    // ---------------------------------------------------------------- packuments and tarballs

    /** Anonymous reads of packuments already in memory, answered on the I/O thread. */
    private Reply cachedPackument(Exchange ex) {
        if (ex.header(HttpHeader.AUTHORIZATION) != null) {
            return null;
        }
        PackumentRecord p = registry.cachedPublicPackument(ex.param("pkg"));
        if (p == null) {
            Proxy.Served served = proxy == null ? null : proxy.cachedPackument(ex.param("pkg"));
            return served == null ? null : served(ex, served, true);
        }
        return render(ex, p, true);
    }

    private Reply packument(Exchange ex) {
        String name = ex.param("pkg");
        Principal reader = ex.principal().orElse(null);
        Optional<PackumentRecord> doc = registry.packument(name, reader);
        if (doc.isEmpty()) {
            // local names always win; only a name the registry has not is asked upstream
            Optional<Proxy.Served> served =
                    proxy == null ? Optional.empty() : proxy.packument(name);
            return served.map(s -> served(ex, s, reader == null))
                    .orElseThrow(() -> Problem.notFound("package " + clip(name) + " not found"));
        }
        return render(ex, doc.get(), reader == null);
    }

    /** An upstream packument, answered as a local one, saying which uplink and how fresh. */
    private static Reply served(Exchange ex, Proxy.Served s, boolean anonymous) {
        return render(ex, s.doc(), anonymous).header("Warden-Uplink", ProxyReads.uplinkHeader(s));
    }

    /**
     * The full or abbreviated document as the request asks, gzip when accepted, 304 when unchanged.
     */
    private static Reply render(Exchange ex, PackumentRecord p, boolean anonymous) {
        String accept = ex.header(HttpHeader.ACCEPT);
        boolean abbreviated =
                accept != null && accept.contains(ABBREVIATED) && ex.query("write") == null;
        String etag = abbreviated ? p.abbreviatedEtag() : p.fullEtag();
        Map<String, String> headers = new LinkedHashMap<>(8);
        headers.put("ETag", etag);
        headers.put("Vary", VARY);
        headers.put("Cache-Control", anonymous ? PUBLIC_CACHE : PRIVATE_CACHE);
        String inm = ex.header(HttpHeader.IF_NONE_MATCH);
        if (inm != null && (inm.equals(etag) || inm.equals("W/" + etag))) {
            return new Reply.Empty(304, headers);
        }
        String contentType = abbreviated ? ABBREVIATED : "application/json";
        String encoding = ex.header(HttpHeader.ACCEPT_ENCODING);
        if (encoding != null
                && encoding.contains("gzip")
                && ex.headerTokens(HttpHeader.ACCEPT_ENCODING).stream()
                        .anyMatch(NpmApi::acceptsGzip)) {
            headers.put("Content-Encoding", "gzip");
            return new Reply.Bytes(
                    200, contentType, abbreviated ? p.abbreviatedGzip() : p.fullGzip(), headers);
        }
        return new Reply.Bytes(200, contentType, abbreviated ? p.abbreviated() : p.full(), headers);
    }

    private static boolean acceptsGzip(String token) {
        return token.equals("gzip")
                || (token.startsWith("gzip;") && !token.replace(" ", "").endsWith("q=0"));
    }

    private Reply version(Exchange ex) {
        String name = ex.param("pkg");
        Optional<ObjectNode> doc =
                registry.version(name, ex.param("version"), ex.principal().orElse(null));
        if (doc.isEmpty() && proxy != null) {
            doc = proxy.version(name, ex.param("version"));
        }
        return doc.map(ex::ok)
                .orElseThrow(
                        () ->
                                Problem.notFound(
                                        "version "
                                                + clip(ex.param("version"))
                                                + " of "
                                                + clip(name)
                                                + " not found"));
    }

    /**
     * Anonymous tarball reads whose location and bytes are already mapped, answered on the I/O
     * thread.
     */
    private Reply cachedTarball(Exchange ex) {
        if (ex.header(HttpHeader.AUTHORIZATION) != null) {
            return null;
        }
        String name = ex.param("pkg");
        String version = Registry.versionOfTarball(name, tarballFile(ex));
        if (version == null) {
            return null;
        }
        Registry.TarballRef ref = registry.cachedPublicTarball(name, version);
        boolean local = ref != null;
        if (!local && proxy != null) {
            ref = proxy.cachedTarball(name, version);
        }
        if (ref == null) {
            return null;
        }
        java.nio.ByteBuffer mapped = buffers.cached(ref.blobKey());
        if (mapped == null) {
            return null;
        }
        if (local) {
            registry.countDownload(name);
        }
        return TarballReplies.of(ex, ref, mapped, null, 0, false);
    }

    private static String tarballFile(Exchange ex) {
        String file = ex.param("file");
        // yarn berry may repeat the scope in the file name: @scope/name-1.0.0.tgz
        if (file.startsWith("@") && file.contains("/")) {
            file = file.substring(file.indexOf('/') + 1);
        }
        return file;
    }

    private Reply tarball(Exchange ex) {
        String name = ex.param("pkg");
        Principal reader = ex.principal().orElse(null);
        Optional<Registry.TarballRef> local = registry.tarball(name, tarballFile(ex), reader);
        if (local.isEmpty() && proxy != null) {
            local = proxy.tarball(name, tarballFile(ex));
        }
        Registry.TarballRef ref =
                local.orElseThrow(
                        () -> Problem.notFound("tarball " + clip(ex.param("file")) + " not found"));
        boolean restricted = registry.isRestricted(name);
        BlobStore.Blob blob =
                registry.blob(ref)
                        .orElseThrow(() -> new IllegalStateException("blob missing for " + ref));
        return TarballReplies.of(ex, ref, blob, buffers, restricted);
    }

    // ---------------------------------------------------------------- writes

    private Reply publishOrUpdate(Exchange ex) throws Exception {
        String name = ex.param("pkg");
        ex.allowTrustedPublisher(); // the registry lets it publish, and nothing else
        ex.requirePrincipal(); // before any body is read
        ObjectNode body = ex.jsonObject();
        // starring is not a change to the package: npm asks no OTP for it
        Principal principal =
                Registry.isStarOnly(body) ? ex.requirePrincipal() : ex.requireWriter();
        JsonNode attachments = body.get("_attachments");
        if (attachments != null && attachments.isObject() && !attachments.isEmpty()) {
            java.util.Optional<String> passkeyNotice =
                    principal.publisher() == null && passkeys != null
                            ? passkeys.check(principal.user(), name, "publish")
                            : java.util.Optional.empty();
            Registry.Published published =
                    registry.publish(
                            name, body, principal, ex::requireSecondFactor, publishClient(ex));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("ok", true);
            out.put("id", published.name());
            out.put("version", published.version());
            if (published.stageId() != null) {
                // the package's policy holds releases for approval: staged, not live
                out.put("staged", true);
                out.put("stageId", published.stageId());
                out.put("notice", published.notice());
                Reply staged = logged(ex, published.logIndexes(), out);
                return staged.header(
                        "npm-notice",
                        passkeyNotice
                                .map(n -> published.notice() + " / " + n)
                                .orElse(published.notice()));
            }
            Reply reply = logged(ex, published.logIndexes(), out);
            if (published.differences() != null) {
                reply.header(
                        "npm-notice",
                        "warden: the uploaded manifest disagreed with package.json in the tarball ("
                                + String.join(", ", iterable(published.differences().fieldNames()))
                                + "); the registry serves the tarball's values"
                                + passkeyNotice.map(n -> " / " + n).orElse(""));
            } else {
                passkeyNotice.ifPresent(n -> reply.header("npm-notice", n));
            }
            return reply;
        }
        if (!Registry.isStarOnly(body)) {
            registry.authorize(name, principal, ex::requireSecondFactor);
        }
        return updated(ex, name, registry.updateDocument(name, null, body, principal));
    }

    /** The client's address and user agent: facts for the release review. */
    static dev.warden.registry.PublishClient publishClient(Exchange ex) {
        java.net.InetAddress address = ex.clientAddress();
        return new dev.warden.registry.PublishClient(
                address == null ? null : address.getHostAddress(),
                ex.header(HttpHeader.USER_AGENT));
    }

    /**
     * The writer of a change to package {@code name}: the account's rule, then the package's (the
     * registry's rules, with this request's second factor).
     */
    private Principal packageWriter(Exchange ex, String name) {
        Principal p = ex.requireWriter();
        registry.authorize(name, p, ex::requireSecondFactor);
        return p;
    }

    private static Iterable<String> iterable(java.util.Iterator<String> it) {
        return () -> it;
    }

    private Reply update(Exchange ex) throws Exception {
        String name = ex.param("pkg");
        ex.requirePrincipal(); // before any body is read
        ObjectNode body = ex.jsonObject();
        Principal principal =
                Registry.isStarOnly(body) ? ex.requirePrincipal() : packageWriter(ex, name);
        return updated(ex, name, registry.updateDocument(name, ex.param("rev"), body, principal));
    }

    private Reply unpublish(Exchange ex) {
        String name = ex.param("pkg");
        return logged(
                ex,
                registry.unpublishPackage(name, ex.param("rev"), packageWriter(ex, name)),
                Map.of("ok", true, "id", name));
    }

    /**
     * A document update's answer, telling the client of changes held for approval ({@code
     * npm-notice}).
     */
    private static Reply updated(Exchange ex, String name, Registry.Updated updated) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ok", true);
        body.put("id", name);
        if (!updated.notices().isEmpty()) {
            body.put("pending", updated.notices());
        }
        Reply reply = logged(ex, updated.logIndexes(), body);
        if (!updated.notices().isEmpty()) {
            reply.header("npm-notice", String.join(" / ", updated.notices()));
        }
        return reply;
    }

    /** A change's answer: the body, plus where the change was logged (body field and header). */
    private static Reply logged(Exchange ex, List<Long> logIndexes, Map<String, Object> body) {
        Map<String, Object> out = new LinkedHashMap<>(body);
        putLogIndexes(out, logIndexes);
        Reply reply = ex.ok(out);
        if (!logIndexes.isEmpty()) {
            reply.header(
                    "Warden-Log-Index",
                    logIndexes.stream()
                            .map(String::valueOf)
                            .collect(java.util.stream.Collectors.joining(", ")));
        }
        return reply;
    }

    private static void putLogIndexes(Map<String, Object> out, List<Long> logIndexes) {
        if (!logIndexes.isEmpty()) {
            out.put("logIndex", logIndexes.get(logIndexes.size() - 1));
            out.put("logIndexes", logIndexes);
        }
    }

    private Reply deleteTarball(Exchange ex) {
        registry.deleteTarball(
                ex.param("pkg"),
                ex.param("file"),
                ex.param("rev"),
                packageWriter(ex, ex.param("pkg")));
        return ex.ok(Map.of("ok", true));
    }

    // ---------------------------------------------------------------- dist-tags, access, stars

    private Reply distTags(Exchange ex) {
        return ex.ok(registry.distTags(ex.param("pkg"), ex.principal().orElse(null)));
    }

    private Reply setDistTag(Exchange ex) throws Exception {
        Principal principal = packageWriter(ex, ex.param("pkg"));
        JsonNode body = ex.jsonBody();
        if (!body.isTextual()) {
            throw Problem.badRequest(
                    "body must be a JSON string naming the version, like \"1.2.3\"");
        }
        return logged(
                ex,
                registry.setDistTag(ex.param("pkg"), ex.param("tag"), body.asText(), principal),
                Map.of("ok", true));
    }

    private Reply removeDistTag(Exchange ex) {
        return logged(
                ex,
                registry.removeDistTag(
                        ex.param("pkg"), ex.param("tag"), packageWriter(ex, ex.param("pkg"))),
                Map.of("ok", true));
    }

    private Reply collaborators(Exchange ex) {
        Map<String, String> out = new LinkedHashMap<>();
        registry.maintainers(ex.param("pkg"), ex.principal().orElse(null))
                .forEach(m -> out.put(m.getKey(), "write"));
        return ex.ok(out);
    }

    private Reply visibility(Exchange ex) {
        String access = registry.visibility(ex.param("pkg"), ex.principal().orElse(null));
        return ex.ok(Map.of("public", access.equals("public")));
    }

    private Reply setAccess(Exchange ex) throws Exception {
        Principal principal = ex.requireWriter();
        ObjectNode body = ex.jsonObject();
        if (body.has("publish_requires_tfa")) {
            JsonNode requires = body.get("publish_requires_tfa");
            JsonNode overrides = body.path("automation_token_overrides_tfa");
            if (!requires.isBoolean() || !(overrides.isMissingNode() || overrides.isBoolean())) {
                throw Problem.badRequest(
                        "publish_requires_tfa and automation_token_overrides_tfa must be true or"
                                + " false");
            }
            registry.setMfaPolicy(
                    ex.param("pkg"),
                    requires.asBoolean(),
                    requires.asBoolean() && overrides.asBoolean(false),
                    principal,
                    ex::requireSecondFactor);
            return ex.ok(Map.of("ok", true));
        }
        JsonNode access = body.get("access");
        if (access == null || !access.isTextual()) {
            throw Problem.badRequest(
                    "body must be {\"access\": \"public\"} or {\"access\": \"restricted\"}");
        }
        registry.setAccess(ex.param("pkg"), access.asText(), principal);
        return ex.ok(Map.of("ok", true));
    }

    private Reply packagesOfUser(Exchange ex) {
        String user = ex.param("user");
        return ex.ok(registry.packagesOf(user, ex.principal().orElse(null)));
    }

    private Reply packagesOfScope(Exchange ex) {
        String scope = ex.param("scope");
        Map<String, String> out = registry.packagesOf("@" + scope, ex.principal().orElse(null));
        if (out.isEmpty()) {
            throw Problem.notFound("scope @" + clip(scope) + " has no packages");
        }
        return ex.ok(out);
    }

    private Reply starredByUser(Exchange ex) {
        String key = ex.query("key");
        if (key == null || key.length() < 2 || !key.startsWith("\"") || !key.endsWith("\"")) {
            throw Problem.badRequest("key must be a JSON string naming a user, like key=\"alice\"");
        }
        String user = key.substring(1, key.length() - 1);
        List<Map<String, String>> rows =
                registry.starredBy(user, ex.principal().orElse(null)).stream()
                        .map(n -> Map.of("value", n))
                        .toList();
        return ex.ok(Map.of("rows", rows));
    }

    // ---------------------------------------------------------------- search

    private Reply search(Exchange ex) {
        String text = ex.query("text");
        if (text != null && text.length() > 1024) {
            throw Problem.badRequest("search text is longer than 1024 characters");
        }
        int size = ex.queryInt("size", 20, 1, 250);
        int from = ex.queryInt("from", 0, 0, 10_000);
        return Reply.json(
                200, ex.write(registry.search(text, size, from, ex.principal().orElse(null))));
    }

    private static String clip(String s) {
        String t = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return t.replaceAll("\\p{Cntrl}", "?");
    }
}
