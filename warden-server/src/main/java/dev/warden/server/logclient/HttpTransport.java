package dev.warden.server.logclient;

import dev.warden.log.Transport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The log's {@link Transport} over {@code java.net.http}: how the monitor and the witness clients
 * reach logs and witnesses.
 */
public final class HttpTransport implements Transport {

    private final HttpClient http;

    public HttpTransport(HttpClient http) {
        this.http = http;
    }

    @Override
    public Answer get(URI uri, Duration timeout) throws IOException, InterruptedException {
        return answer(
                http.send(
                        HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                        HttpResponse.BodyHandlers.ofByteArray()));
    }

    @Override
    public Answer post(URI uri, String contentType, byte[] body, Duration timeout)
            throws IOException, InterruptedException {
        return answer(
                http.send(
                        HttpRequest.newBuilder(uri)
                                .timeout(timeout)
                                .header("Content-Type", contentType)
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray()));
    }

    private static Answer answer(HttpResponse<byte[]> r) {
        return new Answer(
                r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
    }
}
