package dev.warden.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** A small HTTP client for speaking to a test server. */
public final class Http {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A response: status, body text and headers. */
    public record Result(int status, byte[] bytes, HttpResponse<byte[]> response) {
        public String body() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        public JsonNode json() throws IOException {
            return JSON.readTree(bytes);
        }

        public String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        public String error() throws IOException {
            return json().path("error").asText();
        }
    }

    private final String base;
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String forwardedFor;

    public String base() {
        return base;
    }

    public Http(String base) {
        this(base, null);
    }

    private Http(String base, String forwardedFor) {
        this.base = base;
        this.forwardedFor = forwardedFor;
    }

    /**
     * A client whose requests say they come from {@code address} ({@code X-Forwarded-For}), as a
     * reverse proxy would: believed only by a server that trusts 127.0.0.1 as a proxy.
     */
    public Http from(String address) {
        return new Http(base, address);
    }

    public Result send(
            String method, String path, String token, byte[] body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (forwardedFor != null && !headers.containsKey("X-Forwarded-For")) {
            b.header("X-Forwarded-For", forwardedFor);
        }
        headers.forEach(b::header);
        b.method(
                method,
                body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Result(r.statusCode(), r.body(), r);
    }

    /**
     * Sends bytes as they are (for requests a well-behaved client cannot form) and returns the
     * status line.
     */
    public String raw(String request) throws IOException {
        URI uri = URI.create(base);
        try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            java.io.BufferedReader in =
                    new java.io.BufferedReader(
                            new java.io.InputStreamReader(
                                    socket.getInputStream(), StandardCharsets.ISO_8859_1));
            return in.readLine();
        }
    }

    public Result get(String path) throws IOException, InterruptedException {
        return send("GET", path, null, null, Map.of());
    }

    public Result get(String path, String token, Map<String, String> headers)
            throws IOException, InterruptedException {
        return send("GET", path, token, null, headers);
    }

    public Result put(String path, String token, Object json)
            throws IOException, InterruptedException {
        return send(
                "PUT",
                path,
                token,
                JSON.writeValueAsBytes(json),
                Map.of("Content-Type", "application/json"));
    }

    public Result putRaw(String path, String token, byte[] body)
            throws IOException, InterruptedException {
        return send("PUT", path, token, body, Map.of("Content-Type", "application/json"));
    }

    public Result delete(String path, String token) throws IOException, InterruptedException {
        return send("DELETE", path, token, null, Map.of());
    }

    public Result post(String path, String token, byte[] body, Map<String, String> headers)
            throws IOException, InterruptedException {
        return send("POST", path, token, body, headers);
    }
}
