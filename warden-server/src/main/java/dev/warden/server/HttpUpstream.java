package dev.warden.server;

import dev.warden.proxy.Uplink;
import dev.warden.proxy.Upstream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPInputStream;

/**
 * The proxy's {@link Upstream} over {@code java.net.http}: HTTP/1.1, one shared client, the
 * uplink's timeout over the whole exchange (body included), gzip asked for and undone with the
 * limit on the decoded bytes, the uplink's token only to its own origin, and redirects followed by
 * hand only within the origin asked (at most 3), so a token never travels to another host.
 *
 * <p>Like warden-cli's {@code HttpRemote} (the verifier's port), but the proxy's port names the
 * uplink, whose timeout and token differ per request.
 */
final class HttpUpstream implements Upstream, AutoCloseable {

    static final String USER_AGENT = "warden/0.1.0";
    private static final int MAX_REDIRECTS = 3;

    private final HttpClient client;

    HttpUpstream() {
        this.client =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(10))
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build();
    }

    @Override
    public Response get(Uplink uplink, URI uri, String accept, String ifNoneMatch, long limit)
            throws IOException, InterruptedException {
        if (!sameOrigin(uri, uplink.url())) {
            // Defence in depth: the proxy asks an uplink for its own documents only, so a URL an
            // upstream document names cannot make this server ask another host.
            throw new IOException(
                    origin(uri) + " is not uplink " + uplink.name() + "'s origin: not asked");
        }
        long deadline = System.nanoTime() + uplink.timeout().toNanos();
        URI at = uri;
        for (int redirects = 0; ; redirects++) {
            Exchanged r = exchange(uplink, at, accept, ifNoneMatch, limit, deadline);
            if (!isRedirect(r.status) || r.location.isEmpty()) {
                return new Response(r.status, decode(r, at, limit), r.etag);
            }
            URI next;
            try {
                next = at.resolve(r.location.get());
            } catch (IllegalArgumentException e) {
                throw new IOException(at + " redirected to an invalid location");
            }
            if (!sameOrigin(next, uri)) {
                throw new IOException(
                        at + " redirected to another origin (" + origin(next) + "): not followed");
            }
            if (redirects == MAX_REDIRECTS) {
                throw new IOException(at + " redirected more than " + MAX_REDIRECTS + " times");
            }
            at = next;
        }
    }

    private record Exchanged(
            int status,
            byte[] raw,
            boolean gzip,
            Optional<String> etag,
            Optional<String> location) {}

    private Exchanged exchange(
            Uplink uplink, URI uri, String accept, String ifNoneMatch, long limit, long deadline)
            throws IOException, InterruptedException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw timedOut(uplink, uri);
        }
        HttpRequest.Builder b =
                HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofNanos(left))
                        .header("Accept", accept)
                        .header("Accept-Encoding", "gzip")
                        .header("User-Agent", USER_AGENT);
        if (uplink.token().isPresent() && sameOrigin(uri, uplink.url())) {
            b.header("Authorization", "Bearer " + uplink.token().get());
        }
        if (ifNoneMatch != null) {
            b.header("If-None-Match", ifNoneMatch);
        }
        // gzip's worst case grows incompressible data by a few bytes a block: allow a margin.
        long rawLimit = Math.min(Integer.MAX_VALUE - 16L, limit + limit / 100 + 1024);
        CompletableFuture<HttpResponse<byte[]>> pending =
                client.sendAsync(b.build(), info -> new Limited(rawLimit, limit, uri));
        HttpResponse<byte[]> r;
        try {
            r = pending.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw timedOut(uplink, uri);
        } catch (InterruptedException e) {
            pending.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof java.net.http.HttpTimeoutException) {
                throw timedOut(uplink, uri);
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(uri + ": " + cause, cause);
        }
        String encoding = r.headers().firstValue("Content-Encoding").orElse("");
        return new Exchanged(
                r.statusCode(),
                r.body(),
                encoding.trim().toLowerCase(Locale.ROOT).equals("gzip"),
                r.headers().firstValue("ETag"),
                r.headers().firstValue("Location"));
    }

    private static byte[] decode(Exchanged r, URI uri, long limit) throws IOException {
        if (!r.gzip || r.raw.length == 0) {
            if (r.raw.length > limit) {
                throw tooLarge(uri, limit);
            }
            return r.raw;
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(r.raw))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[64 * 1024];
            long total = 0;
            for (int n; (n = in.read(buf)) != -1; ) {
                total += n;
                if (total > limit) {
                    throw tooLarge(uri, limit);
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (java.util.zip.ZipException e) {
            throw new IOException(uri + " sent a broken gzip body: " + e.getMessage());
        }
    }

    private static IOException tooLarge(URI uri, long limit) {
        return new IOException(uri + ": the answer is larger than " + limit + " bytes");
    }

    private static IOException timedOut(Uplink uplink, URI uri) {
        return new java.net.http.HttpTimeoutException(
                uri + " did not answer within " + uplink.timeout().toSeconds() + " s");
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null
                && a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost() != null
                && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI u) {
        if (u.getPort() != -1) {
            return u.getPort();
        }
        return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    private static String origin(URI u) {
        return u.getScheme() + "://" + u.getHost() + (u.getPort() == -1 ? "" : ":" + u.getPort());
    }

    @Override
    public void close() {
        client.close();
    }

    /** Collects a body up to a limit; past it the exchange is cancelled, read no further. */
    private static final class Limited implements HttpResponse.BodySubscriber<byte[]> {
        private final long limit;
        private final long named;
        private final URI uri;
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final List<ByteBuffer> parts = new ArrayList<>();
        private long total;
        private Flow.Subscription subscription;

        /** Reads at most {@code limit} bytes; a longer body is an error naming {@code named}. */
        Limited(long limit, long named, URI uri) {
            this.limit = limit;
            this.named = named;
            this.uri = uri;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            this.subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer b : items) {
                total += b.remaining();
                parts.add(b);
            }
            if (total > limit) {
                parts.clear();
                subscription.cancel();
                result.completeExceptionally(tooLarge(uri, named));
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            if (result.isDone()) {
                return;
            }
            byte[] out = new byte[(int) total];
            int at = 0;
            for (ByteBuffer b : parts) {
                int n = b.remaining();
                b.get(out, at, n);
                at += n;
            }
            result.complete(out);
        }
    }
}
