package dev.warden.verify;

import java.io.IOException;
import java.net.URI;
import java.util.Optional;

/**
 * The network, as the verifier sees it: one GET. The module speaks no HTTP itself; the command line
 * implements this with {@code java.net.http}, and tests can stand in for a registry. A body is read
 * only up to {@code limit} bytes: a longer one is an {@link IOException} naming the URI.
 */
public interface Remote {

    /**
     * An answer.
     *
     * @param status the HTTP status (304 when {@code ifNoneMatch} matched: then body is empty)
     * @param body its bytes
     * @param etag its ETag, if any
     */
    record Response(int status, byte[] body, Optional<String> etag) {}

    Response get(URI uri, String ifNoneMatch, long limit) throws IOException, InterruptedException;
}
