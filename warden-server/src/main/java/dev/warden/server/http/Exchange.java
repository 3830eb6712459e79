package dev.warden.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.accounts.Accounts;
import dev.warden.accounts.Principal;
import dev.warden.common.Problem;

import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.UrlEncoded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/** One request as handlers see it: decoded path parameters, query, headers, body and caller. */
public final class Exchange {

    private final Request request;
    private final ObjectMapper json;
    private final Accounts accounts;
    private final long maxBody;
    private final ClientAddress clients;
    private final BodyBudget budget;
    private Map<String, String> params = Map.of();
    private Map<String, String> query;
    private Optional<Principal> principal;
    private boolean credentialsRejected;

    Exchange(
            Request request,
            ObjectMapper json,
            Accounts accounts,
            long maxBody,
            ClientAddress clients,
            BodyBudget budget) {
        this.request = request;
        this.json = json;
        this.accounts = accounts;
        this.maxBody = maxBody;
        this.clients = clients;
        this.budget = budget;
    }

    void params(Map<String, String> params) {
        this.params = params;
    }

    public String method() {
        return request.getMethod();
    }

    public String param(String name) {
        return params.get(name);
    }

    /** The raw query string, or null. */
    public String rawQuery() {
        return request.getHttpURI().getQuery();
    }

    public String query(String name) {
        if (query == null) {
            query = decodeForm(request.getHttpURI().getQuery(), "malformed query string");
        }
        return query.get(name);
    }

    /**
     * Form-style decoding by Jetty ({@code +} is a space, as npm's URLSearchParams and browsers'
     * forms encode); the first value of a name wins. A broken %-escape is a 400 with {@code
     * malformed}; bytes that are not UTF-8 read as U+FFFD.
     */
    static Map<String, String> decodeForm(String raw, String malformed) {
        Map<String, String> out = new java.util.HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        try {
            UrlEncoded.decodeUtf8To(raw, 0, raw.length(), out::putIfAbsent, false, true, true);
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest(malformed);
        }
        return out;
    }

    /**
     * The body of an HTML form ({@code application/x-www-form-urlencoded}), read as {@link #body}
     * reads any body.
     */
    public Map<String, String> form() throws IOException {
        String type = header(HttpHeader.CONTENT_TYPE);
        if (type == null
                || !type.toLowerCase(java.util.Locale.ROOT)
                        .startsWith("application/x-www-form-urlencoded")) {
            throw new Problem(Problem.Kind.UNSUPPORTED_MEDIA_TYPE, "expected a form");
        }
        return decodeForm(new String(body(), StandardCharsets.UTF_8), "malformed form data");
    }

    /**
     * The value of the cookie {@code name} as Jetty reads the Cookie header (RFC 6265), or null;
     * the first of a name wins.
     */
    public String cookie(String name) {
        for (HttpCookie c : Request.getCookies(request)) {
            if (c.getName().equals(name)) {
                return c.getValue();
            }
        }
        return null;
    }

    public int queryInt(String name, int fallback, int min, int max) {
        String v = query(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Math.max(min, Math.min(max, Integer.parseInt(v.trim())));
        } catch (NumberFormatException e) {
            throw Problem.badRequest("query parameter " + name + " must be a number");
        }
    }

    public String header(String name) {
        return request.getHeaders().get(name);
    }

    public String header(HttpHeader name) {
        return request.getHeaders().get(name);
    }

    private InetAddress client;

    /**
     * The client's address: the peer's, or behind a trusted proxy the one it forwarded ({@link
     * ClientAddress}).
     */
    public InetAddress clientAddress() {
        if (client == null) {
            client =
                    clients.of(
                            peer(), request.getHeaders().getValuesList(HttpHeader.X_FORWARDED_FOR));
        }
        return client;
    }

    /** The address of the connection's other end, whatever it forwards. */
    InetAddress peer() {
        SocketAddress remote = request.getConnectionMetaData().getRemoteSocketAddress();
        return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }

    /** The authenticated caller, if any. A token that is unknown or expired counts as no caller. */
    public Optional<Principal> principal() {
        if (principal == null) {
            principal = authenticate();
        }
        return principal;
    }

    private boolean publisherAllowed;

    /**
     * Lets a trusted publisher's token act in this request: publishing is the one thing it may do.
     */
    public void allowTrustedPublisher() {
        publisherAllowed = true;
    }

    /**
     * The caller, or a 401 the npm CLI explains well; a trusted publisher's token only where {@link
     * #allowTrustedPublisher} said so.
     */
    public Principal requirePrincipal() {
        Optional<Principal> p = principal();
        if (p.isEmpty()) {
            throw credentialsRejected
                    ? new Problem(
                            Problem.Kind.UNAUTHORIZED,
                            "your token is invalid or has expired: run npm login")
                    : Problem.unauthorized("you must be logged in to do this: run npm login");
        }
        if (p.get().publisher() != null && !publisherAllowed) {
            throw Problem.forbidden(
                    "a trusted publisher's token can only publish "
                            + p.get().publisher().pkg()
                            + "; it cannot do this");
        }
        return p.get();
    }

    private Boolean secondFactor;

    /**
     * Whether the request carries a valid one-time password ({@code npm-otp}) for the caller;
     * checked once, then used up.
     */
    public boolean secondFactor() {
        if (secondFactor == null) {
            String otp = header("npm-otp");
            Optional<Principal> p = principal();
            secondFactor =
                    otp != null
                            && !otp.isBlank()
                            && p.isPresent()
                            && accounts.secondFactors()
                                    .verify(
                                            p.get().user(),
                                            otp.trim(),
                                            clientAddress(),
                                            p.get().tokenHash());
        }
        return secondFactor;
    }

    private String publicUrl;

    void publicUrl(String url) {
        this.publicUrl = url;
    }

    /**
     * A 401 {@code WWW-Authenticate: OTP} unless the request carries a valid one-time password.
     * When none was sent, the body also names a page where the second factor can be given and a URL
     * to poll for the result (npm's web OTP flow).
     */
    public void requireSecondFactor() {
        if (!secondFactor()) {
            dev.warden.common.Problem p = Accounts.otpRequired();
            String sent = header("npm-otp");
            if ((sent == null || sent.isBlank()) && publicUrl != null && principal().isPresent()) {
                Principal who = principal().get();
                accounts.webOtps()
                        .open(
                                who.user(),
                                who.tokenHash(),
                                method() + " " + request.getHttpURI().getPath())
                        .ifPresent(
                                r ->
                                        p.with("authUrl", publicUrl + "/-/web/otp/" + r.pageId())
                                                .with(
                                                        "doneUrl",
                                                        publicUrl
                                                                + "/-/v1/otp/done/"
                                                                + r.doneId()));
            }
            throw p;
        }
    }

    /**
     * The caller of a change that always takes a second factor (who may publish, approvals,
     * governance): the account must have 2FA on and the request must carry a fresh one-time
     * password; no token bypasses that.
     *
     * @param what the change, for the message when the account has no 2FA
     */
    public Principal requireFreshSecondFactor(String what) {
        Principal p = requirePrincipal();
        if (!p.canWrite()) {
            throw Problem.forbidden("this token is read-only");
        }
        if (accounts.secondFactors().activeMode(p.user()).isEmpty()) {
            throw Problem.forbidden(
                    what
                            + " requires two-factor authentication: enable it with npm profile"
                            + " enable-2fa");
        }
        requireSecondFactor();
        return p;
    }

    /**
     * The caller of a write: authenticated, with a credential that may write, and with a one-time
     * password when the account asks for one on writes ({@code auth-and-writes}) unless the token
     * was made to bypass it.
     */
    public Principal requireWriter() {
        Principal p = requirePrincipal();
        if (!p.canWrite()) {
            throw Problem.forbidden("this token is read-only");
        }
        boolean writesNeedOtp =
                accounts.secondFactors()
                        .activeMode(p.user())
                        .filter(dev.warden.accounts.SecondFactors.AUTH_AND_WRITES::equals)
                        .isPresent();
        if (writesNeedOtp && !p.bypass2fa()) {
            requireSecondFactor();
        }
        return p;
    }

    /**
     * A writer whose credential is not limited to some packages: for account-wide and organization
     * changes.
     */
    public Principal requireUnlimitedWriter() {
        Principal p = requireWriter();
        if (!p.limits().equals(Principal.TokenLimits.NONE)) {
            throw Problem.forbidden(
                    "this token is limited to some packages and cannot change accounts or"
                            + " organizations");
        }
        return p;
    }

    /** The bearer token sent, if any (not checked). */
    public String bearerToken() {
        String auth = header(HttpHeader.AUTHORIZATION);
        if (auth == null) {
            return null;
        }
        String[] parts = auth.trim().split("\\s+", 2);
        return parts.length == 2 && parts[0].equalsIgnoreCase("Bearer") ? parts[1] : null;
    }

    /** The caller's name if authentication already ran, for logs; never triggers it. */
    public String principalIfResolved() {
        return principal == null ? null : principal.map(Principal::user).orElse(null);
    }

    public boolean credentialsRejected() {
        principal();
        return credentialsRejected;
    }

    private Optional<Principal> authenticate() {
        String auth = header(HttpHeader.AUTHORIZATION);
        if (auth == null || auth.isBlank()) {
            return Optional.empty();
        }
        String[] parts = auth.trim().split("\\s+", 2);
        if (parts.length != 2) {
            credentialsRejected = true;
            return Optional.empty();
        }
        Optional<Principal> found = Optional.empty();
        if (parts[0].equalsIgnoreCase("Bearer")) {
            found = accounts.authenticateToken(parts[1], clientAddress());
        } else if (parts[0].equalsIgnoreCase("Basic")) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(parts[1]), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                decoded = "";
            }
            int colon = decoded.indexOf(':');
            if (colon > 0) {
                found =
                        accounts.authenticatePassword(
                                decoded.substring(0, colon),
                                decoded.substring(colon + 1),
                                clientAddress());
            }
        }
        credentialsRejected = found.isEmpty();
        return found;
    }

    /**
     * Decoded bodies past this size must not have inflated more than {@link #MAX_RATIO} times
     * (decompression bombs).
     */
    private static final long RATIO_FLOOR = BodyBudget.FREE;

    private static final long MAX_RATIO = 100;

    private long bodyLimit = Router.SMALL_BODY;
    private BodyBudget.Share share;
    private boolean bodyTaken;

    /** The matched route's body limit; never more than {@code server.max_body_bytes}. */
    void bodyLimit(long routeLimit) {
        this.bodyLimit = Math.min(Math.min(routeLimit, maxBody), Integer.MAX_VALUE - 8);
    }

    /** The request has ended: what its body reserved of the budget is given back. */
    void releaseBody() {
        if (share != null) {
            share.close();
        }
    }

    /**
     * The request body, decoded, at most the route's limit. A gzip body is inflated as it is read,
     * and the limit applies to the inflated bytes; past 1 MiB it may not inflate more than 100
     * times. A body over 1 MiB reserves its bytes from the {@link BodyBudget} (503 when taken, 429
     * when its address or account sends too many or holds too much at once); every body must arrive
     * at the budget's minimum rate (408 and the connection closed when it drips slower). Memory for
     * a body that reserves nothing is taken as its bytes arrive, not as announced.
     */
    public byte[] body() throws IOException {
        bodyTaken = true;
        long max = bodyLimit;
        long declared = request.getLength();
        InputStream in = budget.paced(Content.Source.asInputStream(request));
        String encoding = header(HttpHeader.CONTENT_ENCODING);
        boolean gzip = encoding != null && encoding.trim().equalsIgnoreCase("gzip");
        try {
            if (declared > max) {
                throw tooLarge(max);
            }
            if (!gzip
                    && encoding != null
                    && !encoding.isBlank()
                    && !encoding.trim().equalsIgnoreCase("identity")) {
                throw new Problem(
                        Problem.Kind.UNSUPPORTED_MEDIA_TYPE,
                        "unsupported content-encoding " + encoding);
            }
            if (share == null) {
                InetAddress client = clientAddress();
                // an IPv6 client holds its /64; a trusted publisher's CI jobs are each their
                // package's, not one "GitHub Actions"
                share =
                        budget.share(
                                client == null ? "unknown" : ClientAddress.networkOf(client),
                                () ->
                                        principal == null
                                                ? null
                                                : principal
                                                        .map(
                                                                p ->
                                                                        p.publisher() != null
                                                                                ? "trusted"
                                                                                      + " publisher"
                                                                                      + " of "
                                                                                        + p.publisher()
                                                                                                .pkg()
                                                                                : p.user())
                                                        .orElse(null));
            }
            share.grow(declared); // what is announced is reserved before it is read
            if (!gzip && declared > BodyBudget.FREE) {
                byte[] body = new byte[(int) declared]; // reserved above
                if (in.readNBytes(body, 0, body.length) < body.length) {
                    throw new java.io.EOFException("request body ended early");
                }
                return body;
            }
            Counted raw = new Counted(in);
            try {
                return readDecoded(gzip ? new GZIPInputStream(raw, 8 * 1024) : raw, raw, gzip, max);
            } catch (java.util.zip.ZipException | java.io.EOFException e) {
                if (gzip) {
                    throw Problem.badRequest("request body is not valid gzip data");
                }
                throw e;
            }
        } catch (Problem p) {
            if (!BodyBudget.tooSlow(p)) {
                drain(in, declared < 0 ? max : declared);
            }
            throw p;
        } catch (IOException e) {
            if (e.getCause() instanceof java.util.concurrent.TimeoutException) {
                // nothing arrived for the connector's idle timeout
                throw BodyBudget.stoppedArriving();
            }
            throw e;
        }
    }

    private byte[] readDecoded(InputStream decoded, Counted raw, boolean gzip, long max)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8 * 1024);
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = decoded.read(buf)) != -1) {
            total += n;
            if (total > max) {
                throw tooLarge(max);
            }
            if (gzip && total > RATIO_FLOOR && total > MAX_RATIO * raw.count) {
                throw Problem.tooLarge(
                        "request body inflates more than "
                                + MAX_RATIO
                                + " times: refused as a decompression bomb");
            }
            share.grow(total);
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private static Problem tooLarge(long max) {
        String size =
                max % (1 << 20) == 0
                        ? (max >> 20) + " MiB"
                        : max % 1024 == 0 ? (max >> 10) + " KiB" : max + " bytes";
        return Problem.tooLarge(
                "request body is larger than " + size + ", the limit of this endpoint");
    }

    /** Counts the bytes read through it: the body as sent, before decoding. */
    private static final class Counted extends java.io.FilterInputStream {
        long count;

        Counted(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count += Math.max(0, n);
            return n;
        }
    }

    /**
     * After a refusal that came before the body was read (say a 401): take in a small body so the
     * client, still sending, gets to read the answer. Large bodies are left: the connection closes.
     */
    void discardUnreadBody() {
        if (bodyTaken) {
            return;
        }
        bodyTaken = true;
        long declared = request.getLength();
        if (declared == 0 || declared > (8L << 20)) {
            return;
        }
        drain(
                budget.paced(Content.Source.asInputStream(request)),
                declared < 0 ? (8L << 20) : declared);
    }

    /**
     * Most clients read no answer until they have sent their whole body: take (and drop) a modest
     * excess so the 413 reaches them.
     */
    private static void drain(InputStream in, long declared) {
        long bound = 32L << 20;
        if (declared > bound) {
            return; // too much to take in: the connection is closed instead
        }
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        try {
            int n;
            long limit = Math.min(bound, declared);
            while (total <= limit && (n = in.read(buf)) > 0) {
                total += n;
            }
        } catch (IOException e) {
            // the client went away
        } catch (Problem e) {
            // it sends too slowly to be waited for: the connection is closed instead
        }
    }

    /** The body as a JSON value; a clear 400 when it is not JSON. */
    public JsonNode jsonBody() throws IOException {
        byte[] body = body();
        if (body.length == 0) {
            throw Problem.badRequest("request body is empty; expected JSON");
        }
        try {
            JsonNode node = json.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw Problem.badRequest("request body is empty; expected JSON");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw Problem.badRequest("request body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    public ObjectNode jsonObject() throws IOException {
        JsonNode node = jsonBody();
        if (!(node instanceof ObjectNode o)) {
            throw Problem.badRequest("request body must be a JSON object");
        }
        return o;
    }

    /** Values of a comma-separated header such as Accept-Encoding, lower case. */
    public List<String> headerTokens(HttpHeader name) {
        List<String> out = new ArrayList<>();
        for (String v : request.getHeaders().getValuesList(name)) {
            for (String part : v.split(",")) {
                out.add(part.trim().toLowerCase(java.util.Locale.ROOT));
            }
        }
        return out;
    }

    public byte[] write(Object value) {
        try {
            return json.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public Reply ok(Object value) {
        return Reply.json(200, write(value));
    }

    public Reply status(int status, Object value) {
        return Reply.json(status, write(value));
    }
}
