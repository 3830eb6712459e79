package dev.warden.proxy;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An {@link Upstream} serving one feed from memory, as the port promises: a body over the limit is
 * an IOException, an ETag that matches is a 304.
 */
final class FeedUpstream implements Upstream {

    record Call(Uplink uplink, URI uri, String ifNoneMatch, long limit) {}

    final List<Call> calls = new ArrayList<>();
    byte[] body;
    String etag;
    int status = 200;
    IOException failure;

    FeedUpstream(byte[] body, String etag) {
        this.body = body;
        this.etag = etag;
    }

    @Override
    public Response get(Uplink uplink, URI uri, String accept, String ifNoneMatch, long limit)
            throws IOException {
        calls.add(new Call(uplink, uri, ifNoneMatch, limit));
        if (failure != null) {
            throw failure;
        }
        if (etag != null && etag.equals(ifNoneMatch)) {
            return new Response(304, new byte[0], Optional.of(etag));
        }
        if (body.length > limit) {
            throw new IOException(uri + ": the body is longer than " + limit + " bytes");
        }
        return new Response(status, body, Optional.ofNullable(etag));
    }
}
