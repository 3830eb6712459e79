package dev.warden.server.http;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a handler answers; the dispatcher writes it. Handlers never touch the response directly. */
public sealed interface Reply {

    int status();

    Map<String, String> headers();

    /** An in-memory body. */
    record Bytes(int status, String contentType, byte[] body, Map<String, String> headers)
            implements Reply {}

    /** A file sent from disk without passing through the heap. */
    record File(int status, String contentType, Path path, long size, Map<String, String> headers)
            implements Reply {}

    /** A body in a (typically memory-mapped) buffer, sent as is; each reply gets its own view. */
    record Buffer(
            int status, String contentType, java.nio.ByteBuffer body, Map<String, String> headers)
            implements Reply {}

    /**
     * A body written as it is produced (an export larger than should be held in memory), on the
     * request's virtual thread; sent chunked.
     */
    record Stream(int status, String contentType, Writer writer, Map<String, String> headers)
            implements Reply {}

    /** Writes a streamed body. */
    @FunctionalInterface
    interface Writer {
        void writeTo(java.io.OutputStream out) throws java.io.IOException;
    }

    /** No body (304, or a HEAD). */
    record Empty(int status, Map<String, String> headers) implements Reply {}

    static Reply json(int status, byte[] body) {
        return new Bytes(status, "application/json", body, new LinkedHashMap<>());
    }

    static Reply text(int status, String contentType, String body) {
        return new Bytes(
                status, contentType, body.getBytes(StandardCharsets.UTF_8), new LinkedHashMap<>());
    }

    default Reply header(String name, String value) {
        headers().put(name, value);
        return this;
    }
}
