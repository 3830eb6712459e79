package dev.warden.proxy;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An uplink in memory: serves the documents put in it (with an ETag, answering 304 to it), 404 for
 * anything else, or fails every request while {@link #down} is set. It records every request.
 */
final class FakeUpstream implements Upstream {

    record Request(URI uri, String accept, String ifNoneMatch) {}

    private record Doc(int status, byte[] body, String etag) {}

    private final Map<URI, Doc> docs = new HashMap<>();

    /** Requests for packages (packuments, tarballs): not the trust material under {@code /-/}. */
    final List<Request> requests = new ArrayList<>();

    /** Every request. */
    final List<Request> all = new ArrayList<>();

    String down;

    /** The requests for {@code uri} (the judge also asks an uplink for its keys). */
    List<Request> requestsFor(URI uri) {
        return requests.stream().filter(r -> r.uri().equals(uri)).toList();
    }

    void put(URI uri, String body, String etag) {
        docs.put(uri, new Doc(200, body.getBytes(StandardCharsets.UTF_8), etag));
    }

    void answer(URI uri, int status, String body) {
        docs.put(uri, new Doc(status, body.getBytes(StandardCharsets.UTF_8), null));
    }

    void remove(URI uri) {
        docs.remove(uri);
    }

    @Override
    public synchronized Response get(
            Uplink uplink, URI uri, String accept, String ifNoneMatch, long limit)
            throws IOException {
        Request r = new Request(uri, accept, ifNoneMatch);
        all.add(r);
        if (!uri.getPath().startsWith("/-/")) {
            requests.add(r);
        }
        if (down != null) {
            throw new IOException(down);
        }
        Doc d = docs.get(uri);
        if (d == null) {
            return new Response(404, new byte[0], Optional.empty());
        }
        if (d.etag() != null && d.etag().equals(ifNoneMatch)) {
            return new Response(304, new byte[0], Optional.of(d.etag()));
        }
        if (d.body().length > limit) {
            throw new IOException(uri + " is longer than " + limit + " bytes");
        }
        return new Response(d.status(), d.body(), Optional.ofNullable(d.etag()));
    }
}
