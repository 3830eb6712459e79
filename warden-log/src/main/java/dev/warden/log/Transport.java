package dev.warden.log;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * How the monitor and the witness client reach the other side: one GET and one POST. The log core
 * speaks no HTTP itself (the server module implements this with {@code java.net.http}), so tests
 * can stand in for a log or a witness without a network.
 */
public interface Transport {

    /** An answer: its status, its Content-Type ("" when there is none) and its body. */
    record Answer(int status, String contentType, byte[] body) {

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    Answer get(URI uri, Duration timeout) throws IOException, InterruptedException;

    Answer post(URI uri, String contentType, byte[] body, Duration timeout)
            throws IOException, InterruptedException;
}
