package dev.warden.server;

import dev.warden.registry.Registry;
import dev.warden.server.http.Exchange;
import dev.warden.server.http.Reply;
import dev.warden.storage.BlobStore;

import org.eclipse.jetty.http.HttpHeader;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A tarball's reply, wherever its bytes are: mapped from a local file, kept in memory, or streamed
 * from object storage; with its caching headers and a 304 for a matching entity tag.
 */
final class TarballReplies {

    private TarballReplies() {}

    /** The reply for a stored blob. */
    static Reply of(
            Exchange ex,
            Registry.TarballRef ref,
            BlobStore.Blob blob,
            TarballBuffers buffers,
            boolean restricted) {
        if (blob.localPath().isPresent()) {
            java.nio.ByteBuffer mapped =
                    buffers.map(ref.blobKey(), blob.localPath().get(), blob.size());
            return of(ex, ref, mapped, blob.localPath().get(), blob.size(), restricted);
        }
        // object storage: a small blob is kept in memory (then answered on the I/O thread by
        // cachedTarball), a large one streamed from the store
        java.nio.ByteBuffer kept = buffers.keep(ref.blobKey(), blob);
        if (kept != null) {
            return of(ex, ref, kept, null, 0, restricted);
        }
        return of(ex, ref, restricted, headers -> streamed(blob, headers));
    }

    /** A blob sent as it is read from its store, with its length (so not chunked). */
    static Reply streamed(BlobStore.Blob blob, Map<String, String> headers) {
        headers.put("Content-Length", Long.toString(blob.size()));
        return new Reply.Stream(
                200,
                "application/octet-stream",
                out -> {
                    try (var in = blob.open()) {
                        in.transferTo(out);
                    }
                },
                headers);
    }

    static Reply of(
            Exchange ex,
            Registry.TarballRef ref,
            java.nio.ByteBuffer mapped,
            java.nio.file.Path file,
            long size,
            boolean restricted) {
        return of(
                ex,
                ref,
                restricted,
                headers ->
                        mapped != null
                                ? new Reply.Buffer(200, "application/octet-stream", mapped, headers)
                                : new Reply.File(
                                        200, "application/octet-stream", file, size, headers));
    }

    /** The tarball's caching headers, a 304 for a matching entity tag, else the body's reply. */
    static Reply of(
            Exchange ex,
            Registry.TarballRef ref,
            boolean restricted,
            java.util.function.Function<Map<String, String>, Reply> body) {
        Map<String, String> headers = new LinkedHashMap<>(4);
        String etag = "\"" + ref.blobKey().substring(0, 32) + "\"";
        headers.put("ETag", etag);
        if (restricted) {
            headers.put("Cache-Control", "private, max-age=31536000, immutable");
            headers.put("Vary", "Authorization");
        } else {
            headers.put("Cache-Control", "public, max-age=31536000, immutable");
        }
        String inm = ex.header(HttpHeader.IF_NONE_MATCH);
        if (inm != null && inm.equals(etag)) {
            return new Reply.Empty(304, headers);
        }
        return body.apply(headers);
    }
}
