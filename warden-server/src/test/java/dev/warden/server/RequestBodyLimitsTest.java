package dev.warden.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.server.testing.Http;
import dev.warden.server.testing.Tarballs;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPOutputStream;

/**
 * Request bodies cost what their route allows: each route's limit applies to the decoded body (a
 * sign-in takes kilobytes, a publish its tarball), gzip bodies may not inflate past it nor by more
 * than 100 times, large bodies share a memory budget (503 when it is taken) and one client may send
 * only so many a minute (429). The server keeps answering meanwhile.
 */
class RequestBodyLimitsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> GZIP_JSON =
            Map.of("Content-Type", "application/json", "Content-Encoding", "gzip");

    static TestServer server;
    static Http http;
    static String token;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        http = server.http();
        token = server.token("alice");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    /**
     * {@code prefix}, {@code size} letters, {@code suffix}, gzip-compressed as a client streams it.
     */
    private static byte[] gzipped(String prefix, long size, String suffix) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 64 * 1024)) {
            gz.write(prefix.getBytes(StandardCharsets.UTF_8));
            byte[] letters = new byte[64 * 1024];
            Arrays.fill(letters, (byte) 'a');
            for (long left = size; left > 0; left -= letters.length) {
                gz.write(letters, 0, (int) Math.min(letters.length, left));
            }
            gz.write(suffix.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static byte[] gzipped(byte[] body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(body);
        }
        return out.toByteArray();
    }

    /**
     * A JSON body of about {@code size} bytes that the registry reads as a document update of
     * {@code name}.
     */
    private static byte[] largeJson(String name, int size) {
        return ("{\"name\":\"" + name + "\",\"description\":\"" + "a".repeat(size) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aGzipBombToASignInIsRefusedByTheSignInsLimit() throws Exception {
        // 20 MB of one letter: about 20 KB as sent, well under what a sign-in takes as sent
        byte[] bomb = gzipped("{\"name\":\"bomber\",\"password\":\"", 20_000_000, "\"}");
        assertThat(bomb.length).isLessThan(64 * 1024);
        Http.Result login =
                http.send("PUT", "/-/user/org.couchdb.user:bomber", null, bomb, GZIP_JSON);
        assertThat(login.status()).isEqualTo(413);
        assertThat(login.error())
                .isEqualTo("request body is larger than 64 KiB, the limit of this endpoint");
        assertThat(http.get("/-/user/org.couchdb.user:bomber").status()).isEqualTo(404);

        byte[] form = gzipped("username=bomber&password=", 20_000_000, "");
        Http.Result signin =
                http.send(
                        "POST",
                        "/-/web/signin",
                        null,
                        form,
                        Map.of(
                                "Content-Type",
                                "application/x-www-form-urlencoded",
                                "Content-Encoding",
                                "gzip"));
        assertThat(signin.status()).isEqualTo(413);
        assertThat(signin.error()).contains("larger than 64 KiB");

        Http.Result webLogin =
                http.send(
                        "POST",
                        "/-/v1/login",
                        null,
                        gzipped("{\"create\":\"", 1_000_000, "\"}"),
                        GZIP_JSON);
        assertThat(webLogin.status()).isEqualTo(413);
        assertThat(webLogin.error()).contains("larger than 4 KiB");
        assertThat(http.get("/-/ping").status()).isEqualTo(200);
    }

    @Test
    void aGzipBombToAPublishIsRefusedByItsRatio() throws Exception {
        // 120 MB of JSON in about 120 KB: under the publish limit, but no honest body inflates like
        // that
        byte[] bomb = gzipped("{\"name\":\"bomb-pkg\",\"description\":\"", 120_000_000, "\"}");
        assertThat(bomb.length).isLessThan(200_000);
        Http.Result r = http.send("PUT", "/bomb-pkg", token, bomb, GZIP_JSON);
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.error())
                .isEqualTo(
                        "request body inflates more than 100 times: refused as a decompression"
                                + " bomb");
        assertThat(http.get("/bomb-pkg").status()).isEqualTo(404);
        assertThat(http.get("/-/ping").status()).isEqualTo(200);
    }

    @Test
    void publishesOfSeveralMegabytesStillWork() throws Exception {
        byte[] noise = new byte[6_000_000];
        new Random(7).nextBytes(noise);
        ObjectNode m = Tarballs.manifest("big-pkg", "1.0.0");
        byte[] tgz = Tarballs.packageTgz(m, Tarballs.Entry.file("package/noise.bin", noise));
        Http.Result plain = http.put("/big-pkg", token, Tarballs.publishBody(m, tgz));
        assertThat(plain.status()).as(plain.body()).isEqualTo(200);
        assertThat(http.get("/big-pkg/-/big-pkg-1.0.0.tgz").bytes()).isEqualTo(tgz);

        // the same, gzip-encoded as a client may send it
        ObjectNode n = Tarballs.manifest("big-pkg", "1.0.1");
        byte[] tgz2 = Tarballs.packageTgz(n, Tarballs.Entry.file("package/noise.bin", noise));
        Http.Result gzip =
                http.send(
                        "PUT",
                        "/big-pkg",
                        token,
                        gzipped(JSON.writeValueAsBytes(Tarballs.publishBody(n, tgz2))),
                        GZIP_JSON);
        assertThat(gzip.status()).as(gzip.body()).isEqualTo(200);
        assertThat(http.get("/big-pkg/-/big-pkg-1.0.1.tgz").bytes()).isEqualTo(tgz2);
    }

    @Test
    void aFloodOfLargeBodiesFromOneClientIsThrottled() throws Exception {
        try (TestServer s = TestServer.start(Map.of("server.large_bodies_per_minute", "3"))) {
            String flo = s.token("flo");
            byte[] big = largeJson("flood-pkg", 2 << 20);
            List<Http.Result> results = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(12)) {
                List<Future<Http.Result>> sent = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    sent.add(pool.submit(() -> s.http().putRaw("/flood-pkg", flo, big)));
                }
                assertThat(s.http().get("/-/ping").status()).isEqualTo(200);
                for (Future<Http.Result> f : sent) {
                    results.add(f.get());
                }
            }
            List<Http.Result> throttled = results.stream().filter(r -> r.status() == 429).toList();
            assertThat(throttled).hasSizeGreaterThanOrEqualTo(8);
            for (Http.Result r : throttled) {
                assertThat(r.error())
                        .startsWith(
                                "too many large request bodies from this address (at most 3 a"
                                        + " minute); try again in ");
                assertThat(r.header("Retry-After")).matches("\\d+");
            }
            assertThat(s.http().get("/flood-pkg").status()).isEqualTo(404);
            // small requests are not counted
            assertThat(s.http().get("/-/whoami", flo, Map.of()).status()).isEqualTo(200);
        }
    }

    @Test
    void whileLargeBodiesHoldTheMemoryBudgetOthersAreAskedToComeBack() throws Exception {
        try (TestServer s =
                TestServer.start(
                        Map.of(
                                "server.body_memory_mb",
                                "2",
                                "server.trusted_proxies",
                                "[\"127.0.0.1\"]"))) {
            String slow = s.token("slow");
            byte[] other = largeJson("other-pkg", 1_500_000);
            Http elsewhere = s.http().from("198.51.100.20");
            try (Socket socket = new Socket("127.0.0.1", s.port())) {
                // announces 2 MiB, sends a little and waits: its one body may hold the whole budget
                OutputStream out = socket.getOutputStream();
                out.write(
                        ("PUT /slow-pkg HTTP/1.1\r\n"
                                        + "Host: 127.0.0.1\r\n"
                                        + "X-Forwarded-For: 203.0.113.20\r\n"
                                        + "Authorization: Bearer "
                                        + slow
                                        + "\r\nContent-Type: application/json\r\nContent-Length: "
                                        + (2 << 20)
                                        + "\r\n\r\n{\"name\":\"slow-pkg\"")
                                .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Http.Result busy = null;
                for (int i = 0; i < 50 && (busy == null || busy.status() != 503); i++) {
                    Thread.sleep(100);
                    busy = elsewhere.putRaw("/other-pkg", s.token("elsa"), other);
                }
                assertThat(busy.status()).isEqualTo(503);
                assertThat(busy.error())
                        .isEqualTo(
                                "the server is busy reading other large request bodies; try again"
                                        + " shortly");
                assertThat(busy.header("Retry-After")).isEqualTo("2");
                assertThat(s.http().get("/-/ping").status()).isEqualTo(200);
            }
            // the slow client went away: its share of the budget is back
            Http.Result later = null;
            for (int i = 0; i < 50 && (later == null || later.status() == 503); i++) {
                Thread.sleep(100);
                later = elsewhere.putRaw("/other-pkg", s.token("elsa"), other);
            }
            assertThat(later.status()).isNotEqualTo(503);
            assertThat(s.http().get("/slow-pkg").status()).isEqualTo(404);
        }
    }

    /** An answer read off a raw socket: the status, the headers (names lower case) and the body. */
    private record RawAnswer(int status, Map<String, String> headers, String body) {}

    private static RawAnswer readAnswer(Socket socket) throws IOException {
        java.io.InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new java.io.EOFException(
                        "the connection closed before an answer: "
                                + head.toString(StandardCharsets.ISO_8859_1));
            }
            head.write(b);
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        Map<String, String> headers = new java.util.HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(
                    lines[i].substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT),
                    lines[i].substring(colon + 1).trim());
        }
        byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
        return new RawAnswer(
                Integer.parseInt(lines[0].split(" ")[1]),
                headers,
                new String(body, StandardCharsets.UTF_8));
    }

    /**
     * Opens a request announcing a body of {@code length} bytes and sends only {@code start} of it.
     */
    private static Socket startSlowBody(
            int port, String requestLine, Map<String, String> headers, int length, String start)
            throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(60_000);
        StringBuilder head =
                new StringBuilder(requestLine)
                        .append("\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("Content-Length: ").append(length).append("\r\n\r\n").append(start);
        socket.getOutputStream().write(head.toString().getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    @Test
    void manySlowBodiesFromOneAddressHoldOnlyItsShareWhileAnotherAddressStillPublishes()
            throws Exception {
        // a budget of 16 MiB: one address may hold 4 MiB of it across its bodies in flight
        try (TestServer s =
                TestServer.start(
                        Map.of(
                                "server.body_memory_mb",
                                "16",
                                "server.trusted_proxies",
                                "[\"127.0.0.1\"]",
                                "server.body_grace_seconds",
                                "120"))) {
            String attacker = "203.0.113.66";
            String audit = "/-/npm/v1/security/advisories/bulk";
            int length = 2 << 20;
            String start = "{\"a\":[\"";
            byte[] rest =
                    (("x".repeat(length - start.length() - 3)) + "\"]}")
                            .getBytes(StandardCharsets.US_ASCII);
            // eight anonymous audits of 2 MiB each, sent a few bytes at a time: before the rule
            // they held the whole budget
            List<Socket> slow = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    slow.add(
                            startSlowBody(
                                    s.port(),
                                    "POST " + audit + " HTTP/1.1",
                                    Map.of("X-Forwarded-For", attacker),
                                    length,
                                    start));
                }
                // once the address holds its share, even a body it sends at once is refused, with
                // the reason
                byte[] whole =
                        (start + new String(rest, StandardCharsets.US_ASCII))
                                .getBytes(StandardCharsets.US_ASCII);
                Http.Result refused = null;
                for (int i = 0; i < 100 && (refused == null || refused.status() != 429); i++) {
                    Thread.sleep(50);
                    refused =
                            s.http()
                                    .from(attacker)
                                    .post(
                                            audit,
                                            null,
                                            whole,
                                            Map.of("Content-Type", "application/json"));
                }
                assertThat(refused.status()).as(refused.body()).isEqualTo(429);
                assertThat(refused.error())
                        .isEqualTo(
                                "large request bodies from this address already hold 4 MiB of the"
                                        + " server's memory, and one address or account may hold at"
                                        + " most 4 MiB at once; try again in 5 seconds");
                assertThat(refused.header("Retry-After")).isEqualTo("5");

                // meanwhile another address publishes a package of 6 MB (a body of 8 MiB)
                Http victim = s.http().from("198.51.100.7");
                byte[] noise = new byte[6_000_000];
                new Random(11).nextBytes(noise);
                ObjectNode m = Tarballs.manifest("honest-pkg", "1.0.0");
                byte[] tgz =
                        Tarballs.packageTgz(m, Tarballs.Entry.file("package/noise.bin", noise));
                Http.Result published =
                        victim.put("/honest-pkg", s.token("honest"), Tarballs.publishBody(m, tgz));
                assertThat(published.status()).as(published.body()).isEqualTo(200);
                assertThat(s.http().get("/honest-pkg/-/honest-pkg-1.0.0.tgz").bytes())
                        .isEqualTo(tgz);

                // the slow bodies end: two were held and are answered, the six past the share were
                // refused
                List<RawAnswer> answers = new ArrayList<>();
                for (Socket socket : slow) {
                    socket.getOutputStream().write(rest);
                    socket.getOutputStream().flush();
                }
                for (Socket socket : slow) {
                    answers.add(readAnswer(socket));
                }
                assertThat(answers.stream().filter(a -> a.status() == 200)).hasSize(2);
                List<RawAnswer> tooMany = answers.stream().filter(a -> a.status() == 429).toList();
                assertThat(tooMany).hasSize(6);
                for (RawAnswer a : tooMany) {
                    assertThat(a.body())
                            .contains("large request bodies from this address already hold");
                    assertThat(a.headers().get("retry-after")).isEqualTo("5");
                }
            } finally {
                for (Socket socket : slow) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void aBodyThatDripsIsCutOffAndGivesItsMemoryBack() throws Exception {
        // a budget of 4 MiB, which one announced body of 4 MiB takes whole; bodies must arrive at
        // 64 KiB/s after a second
        try (TestServer s =
                TestServer.start(
                        Map.of(
                                "server.body_memory_mb",
                                "4",
                                "server.min_body_bytes_per_second",
                                "65536",
                                "server.body_grace_seconds",
                                "1"))) {
            String drip = s.token("dripper");
            try (Socket socket =
                    startSlowBody(
                            s.port(),
                            "PUT /drip-pkg HTTP/1.1",
                            Map.of("Authorization", "Bearer " + drip),
                            4 << 20,
                            "{\"name\":\"drip-pkg\",\"description\":\"")) {
                Thread dripping =
                        Thread.ofVirtual()
                                .start(
                                        () -> {
                                            try {
                                                for (int i = 0; i < 200; i++) {
                                                    Thread.sleep(100);
                                                    socket.getOutputStream()
                                                            .write(
                                                                    "a"
                                                                            .repeat(100)
                                                                            .getBytes(
                                                                                    StandardCharsets
                                                                                            .US_ASCII));
                                                    socket.getOutputStream().flush();
                                                }
                                            } catch (IOException | InterruptedException e) {
                                                // cut off
                                            }
                                        });
                RawAnswer cut = readAnswer(socket);
                dripping.interrupt();
                assertThat(cut.status()).isEqualTo(408);
                assertThat(cut.body())
                        .contains(
                                "request body arrives too slowly: after the first 1 s, at least 64"
                                        + " KiB a second must arrive");
                assertThat(cut.headers().get("connection")).isEqualTo("close");
            }
            // its reservation is back: a large publish fits
            Http.Result later = s.http().putRaw("/drip-pkg", drip, largeJson("drip-pkg", 3 << 20));
            assertThat(later.status()).isNotIn(503, 429, 408);
            assertThat(s.http().get("/drip-pkg").status()).isEqualTo(404);
        }
    }
}
