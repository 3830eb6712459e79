package dev.warden.verify.testing;

import dev.warden.verify.Remote;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A registry as the verifier sees it, with no network: answers by URL prefix, a 404 for anything
 * else, and every request remembered so tests can count them.
 */
public final class FakeRemote implements Remote {

    private final Map<String, Function<String, byte[]>> routes = new LinkedHashMap<>();
    private final Map<String, byte[]> overrides = new LinkedHashMap<>();
    public final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private boolean unreachable;

    /** Answers URLs under {@code prefix}: the handler gets the rest of the path, null is a 404. */
    public FakeRemote route(String prefix, Function<String, byte[]> handler) {
        routes.put(prefix, handler);
        return this;
    }

    /** Serves exactly these bytes at {@code uri}, whatever the routes say. */
    public FakeRemote override(String uri, byte[] body) {
        overrides.put(uri, body);
        return this;
    }

    /** Every request fails as with no network. */
    public FakeRemote unreachable() {
        unreachable = true;
        return this;
    }

    public long count(String uriPart) {
        synchronized (requests) {
            return requests.stream().filter(r -> r.contains(uriPart)).count();
        }
    }

    @Override
    public Response get(URI uri, String ifNoneMatch, long limit) throws IOException {
        String u = uri.toString();
        requests.add(u);
        if (unreachable) {
            throw new IOException("no network in this test");
        }
        byte[] body = overrides.get(u);
        if (body == null) {
            String best = null;
            for (String prefix : routes.keySet()) {
                if (u.startsWith(prefix) && (best == null || prefix.length() > best.length())) {
                    best = prefix;
                }
            }
            body = best == null ? null : routes.get(best).apply(u.substring(best.length()));
        }
        if (body == null) {
            return new Response(404, new byte[0], Optional.empty());
        }
        if (body.length > limit) {
            throw new IOException(u + " is larger than " + limit + " bytes");
        }
        return new Response(200, body, Optional.empty());
    }
}
