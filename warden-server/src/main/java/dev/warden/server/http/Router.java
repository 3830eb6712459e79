package dev.warden.server.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A route table: method plus path pattern to handler. Patterns are matched segment by segment
 * against the decoded path (a scoped package name is one segment); {@code {name}} captures a
 * segment, {@code {name*}} captures one that must start with a literal prefix given before it, as
 * in {@code org.couchdb.user:{user*}}; a last segment {@code {name...}} captures one or more
 * remaining segments, joined with {@code /}.
 *
 * <p>Every route declares how large a request body it takes, decoded: {@link #SMALL_BODY} unless it
 * names another limit, so a new route is small by default and only publishes and the few others
 * that need more say so.
 */
public final class Router {

    /** A request handler. */
    @FunctionalInterface
    public interface Handler {
        Reply handle(Exchange exchange) throws Exception;
    }

    /**
     * A handler that answers from memory without blocking, or returns null when it would have to
     * wait (a cache miss, credentials to check), so that the full handler runs on a virtual thread.
     */
    @FunctionalInterface
    public interface FastHandler {
        Reply tryHandle(Exchange exchange);
    }

    /**
     * The body limit of a route that names none: any JSON request but a publish, a document update
     * or an audit.
     */
    public static final long SMALL_BODY = 64 * 1024;

    /**
     * The limit of a route that takes a whole package: as large as {@code server.max_body_bytes}
     * allows.
     */
    public static final long MAX_BODY = Long.MAX_VALUE;

    /**
     * A matched route: its pattern (the metrics name), handlers, body limit and captured
     * parameters.
     */
    public record Match(
            String pattern,
            Handler handler,
            FastHandler fast,
            long bodyLimit,
            Map<String, String> params) {}

    private record Route(
            String method,
            String pattern,
            String[] segments,
            Handler handler,
            FastHandler fast,
            long bodyLimit) {}

    private final List<Route> routes = new ArrayList<>();

    public Router route(String method, String pattern, Handler handler) {
        return add(method, pattern, handler, null, SMALL_BODY);
    }

    /** A route whose request body may be up to {@code bodyLimit} bytes, decoded. */
    public Router route(String method, String pattern, long bodyLimit, Handler handler) {
        return add(method, pattern, handler, null, bodyLimit);
    }

    /**
     * A route whose answer can often come from memory: {@code fast} is tried first, on the I/O
     * thread.
     */
    public Router route(String method, String pattern, Handler handler, FastHandler fast) {
        return add(method, pattern, handler, fast, SMALL_BODY);
    }

    private Router add(
            String method, String pattern, Handler handler, FastHandler fast, long bodyLimit) {
        if (bodyLimit <= 0) {
            throw new IllegalArgumentException(
                    "the body limit of " + method + " " + pattern + " must be positive");
        }
        String[] segments = pattern.equals("/") ? new String[0] : pattern.substring(1).split("/");
        routes.add(new Route(method, pattern, segments, handler, fast, bodyLimit));
        return this;
    }

    /**
     * Replaces the handler of the route {@code method pattern} with {@code wrapping} applied to it:
     * for what is added to the answers of routes another table owns (the posture's nudges).
     */
    public Router wrap(
            String method, String pattern, java.util.function.UnaryOperator<Handler> wrapping) {
        for (int i = 0; i < routes.size(); i++) {
            Route r = routes.get(i);
            if (r.method().equals(method) && r.pattern().equals(pattern)) {
                routes.set(
                        i,
                        new Route(
                                r.method(),
                                r.pattern(),
                                r.segments(),
                                wrapping.apply(r.handler()),
                                r.fast(),
                                r.bodyLimit()));
                return this;
            }
        }
        throw new IllegalArgumentException("no route " + method + " " + pattern + " to wrap");
    }

    /**
     * The first route whose pattern matches; {@code allowed} collects the methods of routes
     * matching the path only.
     */
    public Optional<Match> match(String method, List<String> path, List<String> allowed) {
        for (Route r : routes) {
            Map<String, String> params = matchPath(r.segments(), path);
            if (params == null) {
                continue;
            }
            if (r.method().equals(method) || (method.equals("HEAD") && r.method().equals("GET"))) {
                return Optional.of(
                        new Match(r.pattern(), r.handler(), r.fast(), r.bodyLimit(), params));
            }
            allowed.add(r.method());
        }
        return Optional.empty();
    }

    private static Map<String, String> matchPath(String[] pattern, List<String> path) {
        boolean tail = pattern.length > 0 && pattern[pattern.length - 1].endsWith("...}");
        if (tail ? path.size() < pattern.length : pattern.length != path.size()) {
            return null;
        }
        Map<String, String> params = new HashMap<>(4);
        for (int i = 0; i < pattern.length; i++) {
            String p = pattern[i];
            if (tail && i == pattern.length - 1) {
                params.put(
                        p.substring(1, p.length() - 4),
                        String.join("/", path.subList(i, path.size())));
                break;
            }
            String s = path.get(i);
            int open = p.indexOf('{');
            if (open < 0) {
                if (!p.equals(s)) {
                    return null;
                }
                continue;
            }
            String prefix = p.substring(0, open);
            String name = p.substring(open + 1, p.length() - 1).replace("*", "");
            if (!s.startsWith(prefix) || s.length() == prefix.length()) {
                return null;
            }
            params.put(name, s.substring(prefix.length()));
        }
        return params;
    }
}
