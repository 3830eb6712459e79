package dev.warden.proxy;

import java.io.IOException;
import java.net.URI;
import java.util.Optional;

/**
 * The network, as the proxy sees it: one GET to an uplink. The module speaks no HTTP itself;
 * warden-server implements this with {@code java.net.http} (the uplink's token sent to its origin
 * only, no redirects to another origin, the uplink's timeout over the whole exchange), and tests
 * can stand in for an uplink.
 */
public interface Upstream {

    /**
     * An answer.
     *
     * @param status the HTTP status (304 when {@code ifNoneMatch} matched: then body is empty)
     * @param body its bytes, decoded (gzip undone)
     * @param etag its ETag, if any
     */
    record Response(int status, byte[] body, Optional<String> etag) {}

    /**
     * GETs {@code uri} (under the uplink's URL, or an absolute tarball URL its packument names). A
     * body longer than {@code limit} bytes is an {@link IOException} naming the URI, read no
     * further.
     *
     * @param accept the Accept header (e.g. {@code application/json})
     * @param ifNoneMatch an ETag to revalidate, or null
     */
    Response get(Uplink uplink, URI uri, String accept, String ifNoneMatch, long limit)
            throws IOException, InterruptedException;
}
