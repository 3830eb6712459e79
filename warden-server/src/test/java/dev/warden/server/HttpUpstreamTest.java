package dev.warden.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.warden.proxy.Uplink;
import dev.warden.proxy.Upstream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.zip.GZIPOutputStream;

/** The proxy's HTTP client against real local servers: tokens, redirects, sizes, time. */
class HttpUpstreamTest {

    /** Requests each server saw: path and Authorization header ("-" when absent). */
    private final List<String> seen = new CopyOnWriteArrayList<>();

    private final Map<String, HttpServer> servers = new ConcurrentHashMap<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final HttpUpstream upstream = new HttpUpstream();

    @AfterEach
    void stop() {
        release.countDown();
        servers.values().forEach(s -> s.stop(0));
        upstream.close();
    }

    private URI serve(String label, com.sun.net.httpserver.HttpHandler handler) throws IOException {
        HttpServer s =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s.createContext(
                "/",
                ex -> {
                    seen.add(
                            label
                                    + " "
                                    + ex.getRequestURI().getRawPath()
                                    + " "
                                    + Optional.ofNullable(
                                                    ex.getRequestHeaders()
                                                            .getFirst("Authorization"))
                                            .orElse("-"));
                    handler.handle(ex);
                });
        s.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        s.start();
        servers.put(label, s);
        return URI.create("http://127.0.0.1:" + s.getAddress().getPort() + "/");
    }

    private static Uplink uplink(URI url, String token, Duration timeout) {
        return new Uplink(
                "up", url, List.of("**"), Optional.ofNullable(token), timeout, Duration.ZERO);
    }

    private static void send(HttpExchange ex, int status, byte[] body, String... headers)
            throws IOException {
        for (int i = 0; i < headers.length; i += 2) {
            ex.getResponseHeaders().add(headers[i], headers[i + 1]);
        }
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Test
    void theTokenGoesToTheUplinksOriginOnly() throws Exception {
        URI other = serve("other", ex -> send(ex, 200, "{}".getBytes(), "ETag", "\"o\""));
        URI origin = serve("origin", ex -> send(ex, 200, "{}".getBytes(), "ETag", "\"a\""));
        Uplink up = uplink(origin, "tok", Duration.ofSeconds(10));

        Upstream.Response r =
                upstream.get(up, origin.resolve("lodash"), "application/json", null, 1024);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.etag()).contains("\"a\"");
        assertThat(seen).containsExactly("origin /lodash Bearer tok");
    }

    @Test
    void aUriOffTheUplinksOriginIsNotAsked() throws Exception {
        URI other = serve("other", ex -> send(ex, 200, "{}".getBytes()));
        URI origin = serve("origin", ex -> send(ex, 200, "{}".getBytes()));
        Uplink up = uplink(origin, "tok", Duration.ofSeconds(10));

        assertThatThrownBy(
                        () ->
                                upstream.get(
                                        up,
                                        other.resolve("lodash/-/lodash-1.0.0.tgz"),
                                        "*/*",
                                        null,
                                        1024))
                .isInstanceOf(IOException.class)
                .hasMessage(
                        "http://127.0.0.1:"
                                + other.getPort()
                                + " is not uplink "
                                + up.name()
                                + "'s origin: not asked");
        assertThat(seen).isEmpty();
    }

    @Test
    void aRedirectWithinTheOriginIsFollowedAndOneToAnotherOriginIsNot() throws Exception {
        URI other = serve("other", ex -> send(ex, 200, "stolen".getBytes()));
        URI origin =
                serve(
                        "origin",
                        ex -> {
                            switch (ex.getRequestURI().getPath()) {
                                case "/moved" -> send(ex, 301, new byte[0], "Location", "/here");
                                case "/away" ->
                                        send(
                                                ex,
                                                302,
                                                new byte[0],
                                                "Location",
                                                other.resolve("x").toString());
                                default -> send(ex, 200, "ok".getBytes());
                            }
                        });
        Uplink up = uplink(origin, "tok", Duration.ofSeconds(10));

        Upstream.Response r = upstream.get(up, origin.resolve("moved"), "*/*", null, 1024);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("ok");

        assertThatThrownBy(() -> upstream.get(up, origin.resolve("away"), "*/*", null, 1024))
                .isInstanceOf(IOException.class)
                .hasMessageEndingWith(
                        "/away redirected to another origin (http://127.0.0.1:"
                                + other.getPort()
                                + "): not followed");
        assertThat(seen)
                .containsExactly(
                        "origin /moved Bearer tok",
                        "origin /here Bearer tok",
                        "origin /away Bearer tok");
    }

    @Test
    void gzipIsUndoneAndTheLimitCountsDecodedBytes() throws Exception {
        byte[] doc = "{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        byte[] bomb = gzip(new byte[1 << 20]); // 1 MiB of zeros, about 1 KiB sent
        URI origin =
                serve(
                        "origin",
                        ex -> {
                            boolean small = ex.getRequestURI().getPath().equals("/small");
                            assertThat(ex.getRequestHeaders().getFirst("Accept-Encoding"))
                                    .isEqualTo("gzip");
                            send(ex, 200, small ? gzip(doc) : bomb, "Content-Encoding", "gzip");
                        });
        Uplink up = uplink(origin, null, Duration.ofSeconds(10));

        assertThat(upstream.get(up, origin.resolve("small"), "application/json", null, 64).body())
                .isEqualTo(doc);
        assertThat(bomb.length).isLessThan(64 * 1024);
        assertThatThrownBy(
                        () ->
                                upstream.get(
                                        up,
                                        origin.resolve("bomb"),
                                        "application/json",
                                        null,
                                        64 * 1024))
                .isInstanceOf(IOException.class)
                .hasMessage(origin.resolve("bomb") + ": the answer is larger than 65536 bytes");
    }

    @Test
    void aPlainBodyOverTheLimitIsRefused() throws Exception {
        URI origin = serve("origin", ex -> send(ex, 200, new byte[4096]));
        Uplink up = uplink(origin, null, Duration.ofSeconds(10));
        assertThatThrownBy(() -> upstream.get(up, origin.resolve("big"), "*/*", null, 100))
                .isInstanceOf(IOException.class)
                .hasMessage(origin.resolve("big") + ": the answer is larger than 100 bytes");
    }

    @Test
    void revalidationPassesTheEntityTag() throws Exception {
        URI origin =
                serve(
                        "origin",
                        ex -> {
                            boolean same =
                                    "\"v1\""
                                            .equals(
                                                    ex.getRequestHeaders()
                                                            .getFirst("If-None-Match"));
                            send(
                                    ex,
                                    same ? 304 : 200,
                                    same ? new byte[0] : "{}".getBytes(),
                                    "ETag",
                                    "\"v1\"");
                        });
        Uplink up = uplink(origin, null, Duration.ofSeconds(10));
        Upstream.Response r =
                upstream.get(up, origin.resolve("x"), "application/json", "\"v1\"", 1024);
        assertThat(r.status()).isEqualTo(304);
        assertThat(r.body()).isEmpty();
        assertThat(r.etag()).contains("\"v1\"");
    }

    @Test
    void aBodyThatStopsArrivingEndsAtTheUplinksTimeout() throws Exception {
        URI origin =
                serve(
                        "origin",
                        ex -> {
                            ex.sendResponseHeaders(200, 1000);
                            OutputStream out = ex.getResponseBody();
                            out.write(new byte[10]);
                            out.flush();
                            try {
                                release.await(); // the rest never comes while the client waits
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            ex.close();
                        });
        Uplink up = uplink(origin, null, Duration.ofSeconds(1));
        assertThatThrownBy(() -> upstream.get(up, origin.resolve("slow"), "*/*", null, 4096))
                .isInstanceOf(HttpTimeoutException.class)
                .hasMessage(origin.resolve("slow") + " did not answer within 1 s");
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }
}
