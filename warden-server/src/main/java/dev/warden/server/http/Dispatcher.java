package dev.warden.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.accounts.Accounts;
import dev.warden.common.Problem;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one Jetty handler: decodes the path, finds the route, runs it, maps failures to npm-style
 * JSON errors ({@code {"error": "..."}}, the field the npm CLI prints) and writes the reply.
 *
 * <p>Design: Jetty calls this handler on its I/O thread (it declares itself non-blocking). A route
 * with a fast handler (packument and tarball reads) is answered right there when the answer is in
 * memory; everything else, and every fast-path miss, is handed to a new virtual thread, where
 * handlers may block on storage and request bodies.
 */
public final class Dispatcher extends Handler.Abstract.NonBlocking {

    private static final Logger LOG = LoggerFactory.getLogger("warden.http");
    private static final HttpField SERVER = new HttpField(HttpHeader.SERVER, "warden");

    /**
     * Every answer, JSON included: browsers must not guess another type from a body a package
     * author wrote.
     */
    private static final HttpField NOSNIFF = new HttpField("X-Content-Type-Options", "nosniff");

    /** Which requests go to the access log. */
    public enum AccessLog {
        NONE,
        WRITES,
        ALL
    }

    private final Router router;
    private final ObjectMapper json;
    private final Accounts accounts;
    private final long maxBody;
    private final BodyBudget bodies;
    private final MeterRegistry meters;
    private final AccessLog accessLog;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final java.util.concurrent.Executor blocking;
    private volatile String publicUrl;
    private volatile ClientAddress clients = ClientAddress.DIRECT;

    /** Whose {@code X-Forwarded-For} to believe (none unless configured). */
    public void clientAddresses(ClientAddress clients) {
        this.clients = clients;
    }

    /** The registry's public URL, for links the API hands out (web OTP pages). */
    public void publicUrl(String url) {
        this.publicUrl = url.replaceAll("/+$", "");
    }

    public Dispatcher(
            Router router,
            ObjectMapper json,
            Accounts accounts,
            long maxBody,
            BodyBudget bodies,
            MeterRegistry meters,
            AccessLog accessLog,
            java.util.concurrent.Executor blocking) {
        this.blocking = blocking;
        this.router = router;
        this.json = json;
        this.accounts = accounts;
        this.maxBody = maxBody;
        this.bodies = bodies;
        this.meters = meters;
        this.accessLog = accessLog;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long start = System.nanoTime();
        String method = request.getMethod();
        Exchange exchange = new Exchange(request, json, accounts, maxBody, clients, bodies);
        clients.noticeProxyHeaders(exchange.peer(), request.getHeaders());
        exchange.publicUrl(publicUrl);
        Optional<Router.Match> match;
        List<String> allowed = new ArrayList<>(2);
        try {
            match = router.match(method, decodePath(request.getHttpURI().getPath()), allowed);
        } catch (Problem p) {
            finish(
                    request,
                    response,
                    callback,
                    exchange,
                    "unmatched",
                    error(p.kind().status(), p.getMessage()),
                    start);
            return true;
        }
        match.ifPresent(m -> exchange.bodyLimit(m.bodyLimit()));
        if (match.isPresent() && match.get().fast() != null) {
            exchange.params(match.get().params());
            Reply fast = null;
            try {
                fast = match.get().fast().tryHandle(exchange);
            } catch (RuntimeException e) {
                fast = null; // the full handler will produce the proper answer or error
            }
            if (fast != null) {
                finish(request, response, callback, exchange, match.get().pattern(), fast, start);
                return true;
            }
        }
        blocking.execute(
                () -> handleBlocking(request, response, callback, exchange, match, allowed, start));
        return true;
    }

    private void handleBlocking(
            Request request,
            Response response,
            Callback callback,
            Exchange exchange,
            Optional<Router.Match> match,
            List<String> allowed,
            long start) {
        String method = request.getMethod();
        String routeName = "unmatched";
        Reply reply;
        try {
            if (match.isEmpty()) {
                reply =
                        allowed.isEmpty()
                                ? error(404, "not found")
                                : error(405, "method " + method + " is not allowed here")
                                        .header("Allow", String.join(", ", allowed));
            } else {
                routeName = match.get().pattern();
                exchange.params(match.get().params());
                reply = match.get().handler().handle(exchange);
            }
        } catch (Problem p) {
            exchange.discardUnreadBody();
            reply = error(p.kind().status(), p.getMessage(), p.details());
            if (p.retryAfter().isPresent()) {
                reply.header("Retry-After", Long.toString(p.retryAfter().get().toSeconds()));
            } else if (p.details().containsKey("retryAfter")) {
                reply.header("Retry-After", p.details().get("retryAfter"));
            }
            if (BodyBudget.tooSlow(p)) {
                reply.header("Connection", "close"); // the rest of its body is not waited for
            }
            if (p.kind() == Problem.Kind.OTP_REQUIRED) {
                reply.header("WWW-Authenticate", "OTP");
            } else if (p.kind() == Problem.Kind.UNAUTHORIZED
                    && !routeName.contains("org.couchdb.user:")
                    && rejectedSafely(exchange)) {
                reply.header("WWW-Authenticate", "Bearer realm=\"warden\"");
            }
        } catch (dev.warden.common.HeldForApproval held) {
            // a critical change to a governed package: recorded as a change request, not made
            Map<String, Object> body = new java.util.LinkedHashMap<>();
            body.put("ok", true);
            body.put("pending", true);
            body.put("requestId", held.requestId());
            body.put("message", held.getMessage());
            reply = exchange.status(202, body).header("npm-notice", held.getMessage());
            if (!held.logIndexes().isEmpty()) {
                reply.header(
                        "Warden-Log-Index",
                        held.logIndexes().stream()
                                .map(String::valueOf)
                                .collect(java.util.stream.Collectors.joining(", ")));
            }
        } catch (EOFException e) {
            reply = error(400, "request body ended early");
        } catch (Throwable e) {
            LOG.error("request failed: {} {}", method, loggablePath(routeName, request), e);
            reply = error(500, "internal error");
        } finally {
            exchange.releaseBody();
        }
        try {
            finish(request, response, callback, exchange, routeName, reply, start);
        } catch (Throwable e) {
            callback.failed(e);
        }
    }

    private static boolean rejectedSafely(Exchange exchange) {
        try {
            return exchange.credentialsRejected();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The request path for logs, with token secrets in it left out. */
    private static String loggablePath(String routeName, Request request) {
        return routeName.contains("{token}") || routeName.contains("{id}")
                ? routeName
                : request.getHttpURI().getPath();
    }

    private void finish(
            Request request,
            Response response,
            Callback callback,
            Exchange exchange,
            String routeName,
            Reply reply,
            long start) {
        String method = request.getMethod();
        int status = reply.status();
        write(request, response, callback, reply);
        long elapsed = System.nanoTime() - start;
        timer(routeName, method, status).record(elapsed, java.util.concurrent.TimeUnit.NANOSECONDS);
        if (accessLog == AccessLog.ALL
                || (accessLog == AccessLog.WRITES
                        && (!method.equals("GET") && !method.equals("HEAD") || status >= 400))) {
            LOG.atInfo()
                    .addKeyValue("method", method)
                    .addKeyValue("path", loggablePath(routeName, request))
                    .addKeyValue("route", routeName)
                    .addKeyValue("status", status)
                    .addKeyValue("ms", elapsed / 1_000_000.0)
                    .addKeyValue("user", exchange.principalIfResolved())
                    .log("request");
        }
    }

    private Timer timer(String route, String method, int status) {
        String key = route + ' ' + method + ' ' + status;
        return timers.computeIfAbsent(
                key,
                k ->
                        Timer.builder("warden.http.requests")
                                .tag("route", route)
                                .tag("method", method)
                                .tag("status", Integer.toString(status))
                                .register(meters));
    }

    private Reply error(int status, String message) {
        return error(status, message, Map.of());
    }

    private Reply error(int status, String message, Map<String, String> details) {
        Map<String, String> body = new java.util.LinkedHashMap<>();
        body.put("error", message == null ? "error" : message);
        body.putAll(details);
        try {
            return Reply.json(status, json.writeValueAsBytes(body));
        } catch (Exception e) {
            return Reply.json(status, "{\"error\":\"error\"}".getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void write(Request request, Response response, Callback callback, Reply reply) {
        response.setStatus(reply.status());
        var headers = response.getHeaders();
        headers.put(SERVER);
        headers.put(NOSNIFF);
        reply.headers().forEach(headers::put);
        boolean head = request.getMethod().equals("HEAD");
        switch (reply) {
            case Reply.Bytes b -> {
                headers.put(HttpHeader.CONTENT_TYPE, b.contentType());
                headers.put(HttpHeader.CONTENT_LENGTH, b.body().length);
                response.write(true, head ? null : ByteBuffer.wrap(b.body()), callback);
            }
            case Reply.File f -> {
                headers.put(HttpHeader.CONTENT_TYPE, f.contentType());
                headers.put(HttpHeader.CONTENT_LENGTH, f.size());
                if (head) {
                    response.write(true, null, callback);
                } else {
                    Content.copy(Content.Source.from(f.path()), response, callback);
                }
            }
            case Reply.Buffer b -> {
                headers.put(HttpHeader.CONTENT_TYPE, b.contentType());
                headers.put(HttpHeader.CONTENT_LENGTH, b.body().remaining());
                response.write(true, head ? null : b.body().slice(), callback);
            }
            case Reply.Stream st -> {
                headers.put(HttpHeader.CONTENT_TYPE, st.contentType());
                if (head) {
                    response.write(true, null, callback);
                    return;
                }
                try (java.io.OutputStream out = Content.Sink.asOutputStream(response)) {
                    st.writer().writeTo(out);
                } catch (Exception e) {
                    callback.failed(e);
                    return;
                }
                callback.succeeded();
            }
            case Reply.Empty e -> response.write(true, null, callback);
        }
    }

    /**
     * Splits the raw path into percent-decoded segments. A scoped name arrives as one segment
     * ({@code @scope%2fname}, any case) or as two ({@code @scope/name}); either way it becomes the
     * single segment {@code @scope/name}.
     */
    static List<String> decodePath(String rawPath) {
        List<String> segments = new ArrayList<>(6);
        if (rawPath == null || rawPath.isEmpty() || rawPath.equals("/")) {
            return segments;
        }
        String p = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
        String[] raw = p.split("/", -1);
        for (int i = 0; i < raw.length; i++) {
            String s = percentDecode(raw[i]);
            if (s.startsWith("@")
                    && s.indexOf('/') < 0
                    && i + 1 < raw.length
                    && !raw[i + 1].isEmpty()) {
                s = s + "/" + percentDecode(raw[++i]);
            }
            segments.add(s);
        }
        if (segments.size() > 1 && segments.get(segments.size() - 1).isEmpty()) {
            segments.remove(segments.size() - 1);
        }
        return segments;
    }

    static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw Problem.badRequest("malformed percent-encoding in path");
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw Problem.badRequest("malformed percent-encoding in path");
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
