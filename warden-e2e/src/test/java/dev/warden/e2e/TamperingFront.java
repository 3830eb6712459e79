package dev.warden.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;

/**
 * What an attacker between a proxy and its upstream (or in control of the upstream) could answer:
 * an HTTP server that forwards every request to the upstream registry and rewrites what comes back
 * for the packages a test names. The proxy's uplink is this server's URL.
 *
 * <p>Packuments are answered with an ETag of their own (the bytes after rewriting), and {@code
 * If-None-Match} is judged here, so a rewrite starts to show on the proxy's next revalidation just
 * as a changed upstream document would. Each tampering returns an {@link Tampering.Undo}.
 */
final class TamperingFront implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> HOP_BY_HOP =
            Set.of(
                    "connection",
                    "content-length",
                    "transfer-encoding",
                    "content-encoding",
                    "keep-alive",
                    "date",
                    "etag");

    private volatile String upstream = "http://127.0.0.1:9";
    private final HttpServer server;
    private final HttpClient client =
            HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .version(HttpClient.Version.HTTP_1_1)
                    .build();

    /** Packument rewrites by package name: each changes one version's document. */
    private final Map<String, List<UnaryOperator<ObjectNode>>> packuments =
            new ConcurrentHashMap<>();

    /** Replacement bodies by request path (tarballs, attestations). */
    private final Map<String, byte[]> bodies = new ConcurrentHashMap<>();

    private final List<String> seen = new CopyOnWriteArrayList<>();
    private volatile int failWith;

    /** Starts on a port of its own; {@link #forwardTo} names the upstream. */
    TamperingFront() throws IOException {
        this.server =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * The upstream to forward to. It is started after the front, with the front's URL as its public
     * URL, so the tarball and attestation URLs of its packuments lead through the front.
     */
    void forwardTo(String upstreamUrl) {
        this.upstream = upstreamUrl.replaceAll("/+$", "");
    }

    /** The paths (with query) the proxy asked for, in order. */
    List<String> requests() {
        return List.copyOf(seen);
    }

    // ------------------------------------------------------------------ tamperings

    /**
     * Answers {@code name@version}'s tarball with {@code bytes}. With {@code announce}, the
     * packument also names their integrity and shasum, as an upstream that republished the version
     * would; without, the packument keeps the original's (a swap on the way or on the disk).
     */
    Tampering.Undo swapTarball(String name, String version, byte[] bytes, boolean announce) {
        String path = tarballPath(name, version);
        bodies.put(path, bytes);
        Tampering.Undo packument =
                announce
                        ? rewrite(
                                name,
                                version,
                                v -> {
                                    ObjectNode dist = (ObjectNode) v.path("dist");
                                    dist.put(
                                            "integrity", "sha512-" + b64(digest("SHA-512", bytes)));
                                    dist.put(
                                            "shasum",
                                            HexFormat.of().formatHex(digest("SHA-1", bytes)));
                                })
                        : () -> {};
        return () -> {
            bodies.remove(path);
            packument.close();
        };
    }

    /**
     * Replaces {@code name@version}'s {@code dist.signatures} with a real ECDSA P-256 signature of
     * the right message ({@code name@version:integrity}) under the same key id, made with a key
     * that is not the upstream's.
     */
    Tampering.Undo forgeSignature(String name, String version) {
        return rewrite(
                name,
                version,
                v -> {
                    ObjectNode dist = (ObjectNode) v.path("dist");
                    String keyid = dist.path("signatures").path(0).path("keyid").asText("forged");
                    String message = name + "@" + version + ":" + dist.path("integrity").asText();
                    ArrayNode sigs = dist.putArray("signatures");
                    sigs.addObject().put("keyid", keyid).put("sig", forgedSignature(message));
                });
    }

    /**
     * Answers {@code name@version}'s attestations document with {@code other}'s: valid bundles,
     * signed by the right identity, for another tarball.
     */
    Tampering.Undo attestationsFrom(String name, String version, String other) throws Exception {
        HttpResponse<byte[]> theirs =
                client.send(
                        HttpRequest.newBuilder(URI.create(upstream + attestationsPath(name, other)))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        if (theirs.statusCode() != 200) {
            throw new IllegalStateException(
                    "no attestations for " + name + "@" + other + ": " + theirs.statusCode());
        }
        String path = attestationsPath(name, version);
        bodies.put(path, theirs.body());
        return () -> bodies.remove(path);
    }

    /**
     * Removes {@code dist.attestations} (and a trusted publisher) from {@code name@version}: a
     * release made outside the CI that built the earlier ones.
     */
    Tampering.Undo dropAttestations(String name, String version) {
        return rewrite(
                name,
                version,
                v -> {
                    ((ObjectNode) v.path("dist")).remove("attestations");
                    if (v.path("_npmUser").isObject()) {
                        ((ObjectNode) v.path("_npmUser")).remove("trustedPublisher");
                    }
                });
    }

    /** Answers every request with {@code status} (an upstream in trouble) until undone. */
    Tampering.Undo fail(int status) {
        failWith = status;
        return () -> failWith = 0;
    }

    /** Applies {@code change} to {@code name@version}'s document in every packument answered. */
    Tampering.Undo rewrite(
            String name, String version, java.util.function.Consumer<ObjectNode> change) {
        UnaryOperator<ObjectNode> op =
                doc -> {
                    JsonNode v = doc.path("versions").path(version);
                    if (v.isObject()) {
                        change.accept((ObjectNode) v);
                    }
                    return doc;
                };
        packuments.computeIfAbsent(name, k -> new CopyOnWriteArrayList<>()).add(op);
        return () -> packuments.getOrDefault(name, List.of()).remove(op);
    }

    // ------------------------------------------------------------------ forwarding

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String raw = ex.getRequestURI().getRawPath();
            String query = ex.getRequestURI().getRawQuery();
            seen.add(query == null ? raw : raw + "?" + query);
            if (failWith != 0) {
                send(ex, failWith, Map.of(), "{\"error\":\"upstream in trouble\"}".getBytes());
                return;
            }
            String path = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
            byte[] replaced = bodies.get(path);
            if (replaced != null && ex.getRequestMethod().equals("GET")) {
                String type =
                        path.endsWith(".tgz") ? "application/octet-stream" : "application/json";
                send(ex, 200, Map.of("Content-Type", List.of(type)), replaced);
                return;
            }
            HttpResponse<byte[]> answer;
            try {
                answer = forward(ex, raw, query);
            } catch (ConnectException e) {
                // what a gateway says when the server behind it is down
                send(ex, 502, Map.of(), "{\"error\":\"upstream unreachable\"}".getBytes());
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            byte[] body = answer.body();
            boolean packument = isPacument(path) && answer.statusCode() == 200;
            if (packument) {
                body = rewritten(path.substring(1), body);
                String etag = "\"front-" + HexFormat.of().formatHex(digest("SHA-256", body)) + "\"";
                String ifNoneMatch = ex.getRequestHeaders().getFirst("If-None-Match");
                ex.getResponseHeaders().set("ETag", etag);
                if (etag.equals(ifNoneMatch)) {
                    ex.sendResponseHeaders(304, -1);
                    return;
                }
            } else {
                answer.headers()
                        .firstValue("etag")
                        .ifPresent(e -> ex.getResponseHeaders().set("ETag", e));
            }
            send(ex, answer.statusCode(), answer.headers().map(), body);
        }
    }

    private HttpResponse<byte[]> forward(HttpExchange ex, String raw, String query)
            throws IOException, InterruptedException {
        HttpRequest.Builder req =
                HttpRequest.newBuilder(
                                URI.create(upstream + raw + (query == null ? "" : "?" + query)))
                        .timeout(Duration.ofSeconds(30));
        ex.getRequestHeaders()
                .forEach(
                        (k, values) -> {
                            String h = k.toLowerCase(java.util.Locale.ROOT);
                            // the front judges If-None-Match itself and asks for plain bytes
                            if (!HOP_BY_HOP.contains(h)
                                    && !List.of(
                                                    "host",
                                                    "accept-encoding",
                                                    "if-none-match",
                                                    "expect",
                                                    "upgrade")
                                            .contains(h)) {
                                values.forEach(v -> req.header(k, v));
                            }
                        });
        byte[] in = ex.getRequestBody().readAllBytes();
        req.method(
                ex.getRequestMethod(),
                in.length == 0
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(in));
        return client.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private byte[] rewritten(String name, byte[] body) throws IOException {
        List<UnaryOperator<ObjectNode>> ops = packuments.get(name);
        if (ops == null || ops.isEmpty()) {
            return body;
        }
        JsonNode doc = JSON.readTree(body);
        if (!(doc instanceof ObjectNode o)) {
            return body;
        }
        for (UnaryOperator<ObjectNode> op : ops) {
            o = op.apply(o);
        }
        return JSON.writeValueAsBytes(o);
    }

    private static void send(
            HttpExchange ex, int status, Map<String, List<String>> headers, byte[] body)
            throws IOException {
        headers.forEach(
                (k, v) -> {
                    if (!HOP_BY_HOP.contains(k.toLowerCase(java.util.Locale.ROOT))
                            && !k.startsWith(":")) {
                        ex.getResponseHeaders().put(k, v);
                    }
                });
        if (body.length == 0 || ex.getRequestMethod().equals("HEAD") || status == 304) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
    }

    /** A packument's path: one name (a scoped one keeps its "/"), not under /-/. */
    private static boolean isPacument(String path) {
        if (path.startsWith("/-/") || path.contains("/-/")) {
            return false;
        }
        String name = path.substring(1);
        return name.startsWith("@") ? name.split("/").length == 2 : !name.contains("/");
    }

    static String tarballPath(String name, String version) {
        String bare = name.substring(name.lastIndexOf('/') + 1);
        return "/" + name + "/-/" + bare + "-" + version + ".tgz";
    }

    static String attestationsPath(String name, String version) {
        return "/-/npm/v1/attestations/" + name + "@" + version;
    }

    /**
     * One forgery per message: ECDSA signatures are randomized, and a packument must not change.
     */
    private final Map<String, String> forgeries = new ConcurrentHashMap<>();

    private String forgedSignature(String message) {
        return forgeries.computeIfAbsent(message, TamperingFront::forge);
    }

    private static String forge(String message) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(g.generateKeyPair().getPrivate());
            s.update(message.getBytes(StandardCharsets.UTF_8));
            return b64(s.sign());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] digest(String algorithm, byte[] bytes) {
        try {
            return MessageDigest.getInstance(algorithm).digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
