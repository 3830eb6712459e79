package dev.warden.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.warden.server.testing.Http;
import dev.warden.server.testing.Tarballs;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;

/**
 * Metrics are answered only to whom {@code server.metrics} names; every answer tells browsers not
 * to sniff its type.
 */
class MetricsAndHeadersTest {

    /** An address of this machine that is not a loopback one, if it has any. */
    private static Optional<InetAddress> nonLoopbackAddress() throws Exception {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                if (a instanceof Inet4Address
                        && !a.isLoopbackAddress()
                        && !a.isLinkLocalAddress()) {
                    return Optional.of(a);
                }
            }
        }
        return Optional.empty();
    }

    @Test
    void metricsAreForLoopbackPeersByDefault() throws Exception {
        Optional<InetAddress> outside = nonLoopbackAddress();
        assumeTrue(outside.isPresent(), "this machine has no address but loopback");
        try (TestServer server = TestServer.start(Map.of("server.host", "0.0.0.0"))) {
            Http local = server.http();
            assertThat(local.get("/-/metrics").status()).isEqualTo(200);
            Http.Result remote =
                    new Http("http://" + outside.get().getHostAddress() + ":" + server.port())
                            .get("/-/metrics");
            assertThat(remote.status()).isEqualTo(404);
            assertThat(remote.error()).isEqualTo("not found");
            assertThat(remote.body()).doesNotContain("jvm_memory_used_bytes");
            // through a proxy on this machine, every peer looks local: a proxied request is not
            Http.Result proxied =
                    local.get("/-/metrics", null, Map.of("X-Forwarded-For", "203.0.113.7"));
            assertThat(proxied.status()).isEqualTo(404);
            assertThat(
                            local.get("/-/metrics", null, Map.of("Forwarded", "for=203.0.113.7"))
                                    .status())
                    .isEqualTo(404);
        }
    }

    @Test
    void metricsCanBePublicOrOff() throws Exception {
        try (TestServer none = TestServer.start(Map.of("server.metrics", "none"))) {
            assertThat(none.http().get("/-/metrics").status()).isEqualTo(404);
        }
        try (TestServer open = TestServer.start(Map.of("server.metrics", "public"))) {
            assertThat(
                            open.http()
                                    .get(
                                            "/-/metrics",
                                            null,
                                            Map.of("X-Forwarded-For", "203.0.113.7"))
                                    .body())
                    .contains("jvm_memory_used_bytes");
        }
    }

    @Test
    void everyAnswerCarriesNosniff() throws Exception {
        try (TestServer server = TestServer.start()) {
            Http http = server.http();
            String token = server.token("nora");
            assertThat(
                            http.put(
                                            "/sniff-pkg",
                                            token,
                                            Tarballs.publishBody("sniff-pkg", "1.0.0"))
                                    .header("X-Content-Type-Options"))
                    .isEqualTo("nosniff");
            // twice each: the second packument and tarball reads are answered from memory on the
            // I/O thread
            for (int i = 0; i < 2; i++) {
                for (String path :
                        new String[] {
                            "/sniff-pkg",
                            "/sniff-pkg/-/sniff-pkg-1.0.0.tgz",
                            "/-/log/checkpoint",
                            "/-/log",
                            "/-/v1/search?text=sniff",
                            "/-/ping",
                            "/nope-pkg",
                            "/-/metrics",
                            "/-/web/signin",
                            "/-/web/static/warden.css"
                        }) {
                    Http.Result r = http.get(path);
                    assertThat(r.header("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
                }
            }
            Http.Result unchanged =
                    http.get(
                            "/sniff-pkg",
                            null,
                            Map.of("If-None-Match", http.get("/sniff-pkg").header("ETag")));
            assertThat(unchanged.status()).isEqualTo(304);
            assertThat(unchanged.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(http.get("/sniff-pkg", token, Map.of()).header("X-Content-Type-Options"))
                    .isEqualTo("nosniff");
        }
    }
}
