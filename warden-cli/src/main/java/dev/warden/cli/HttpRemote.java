package dev.warden.cli;

import dev.warden.verify.Remote;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The verifier's {@link Remote} over {@code java.net.http}: one shared client (connections kept
 * alive between requests), bodies read up to their limit and no further, and redirects followed
 * only as far as the client's normal policy allows (never from https to http), and not at all when
 * a token is sent.
 */
final class HttpRemote implements Remote, AutoCloseable {

    private final HttpClient client;
    private final URI authOrigin;
    private final String token;

    /**
     * A remote that sends {@code token} as a bearer token to {@code registry}'s origin only, never
     * to another host a document points to.
     */
    HttpRemote(URI registry, String token) {
        this.authOrigin = registry == null || token == null || token.isBlank() ? null : registry;
        this.token = token;
        // With a token, no redirect is followed: the client would send the header on to wherever
        // the redirect points.
        this.client =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(10))
                        .followRedirects(
                                authOrigin == null
                                        ? HttpClient.Redirect.NORMAL
                                        : HttpClient.Redirect.NEVER)
                        .build();
    }

    @Override
    public Response get(URI uri, String ifNoneMatch, long limit)
            throws IOException, InterruptedException {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofSeconds(60))
                        .header("Accept", "application/json")
                        .header("User-Agent", "warden-verify/0.1.0");
        if (authOrigin != null && sameOrigin(uri, authOrigin)) {
            b.header("Authorization", "Bearer " + token);
        }
        if (ifNoneMatch != null) {
            b.header("If-None-Match", ifNoneMatch);
        }
        HttpResponse<InputStream> r =
                client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            byte[] body = read(in, limit, uri);
            return new Response(r.statusCode(), body, r.headers().firstValue("ETag"));
        }
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost() != null
                && a.getHost().equalsIgnoreCase(b.getHost())
                && a.getPort() == b.getPort();
    }

    private static byte[] read(InputStream in, long limit, URI uri) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(buf)) != -1; ) {
            total += n;
            if (total > limit) {
                throw new IOException("the answer is larger than " + limit + " bytes");
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        client.close();
    }
}
