package dev.warden.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.log.Monitor;
import dev.warden.log.TilePath;
import dev.warden.log.TransparencyLog;
import dev.warden.server.testing.Http;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Full entry bundles are written once as files and served from them; partial ones are prefixes of
 * what comes later.
 */
class LogBundleTest {

    @Test
    void fullAndPartialBundlesHoldTheEntries() throws Exception {
        try (TestServer server = TestServer.start()) {
            TransparencyLog log = server.server().transparencyLog();
            List<byte[]> entries = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                byte[] e = ("entry " + i).getBytes(StandardCharsets.UTF_8);
                entries.add(e);
                assertThat(log.appendAndWait(e)).isEqualTo(i);
            }
            Http http = server.http();
            for (int round = 0; round < 2; round++) {
                Http.Result full =
                        http.get("/-/log/" + new TilePath(TilePath.ENTRIES, 0, 256).path());
                assertThat(full.status()).isEqualTo(200);
                assertThat(full.header("Cache-Control"))
                        .isEqualTo("public, max-age=31536000, immutable");
                assertThat(Monitor.decodeBundle(full.bytes(), 256))
                        .containsExactlyElementsOf(entries.subList(0, 256));
            }
            assertThat(server.data().resolve("log-bundles/tile/entries/000")).exists();
            Http.Result partial =
                    http.get("/-/log/" + new TilePath(TilePath.ENTRIES, 1, 44).path());
            assertThat(Monitor.decodeBundle(partial.bytes(), 44))
                    .containsExactlyElementsOf(entries.subList(256, 300));
            Http.Result prefix = http.get("/-/log/" + new TilePath(TilePath.ENTRIES, 0, 10).path());
            assertThat(Monitor.decodeBundle(prefix.bytes(), 10))
                    .containsExactlyElementsOf(entries.subList(0, 10));
            assertThat(http.get("/-/log/" + new TilePath(TilePath.ENTRIES, 1, 45).path()).status())
                    .isEqualTo(404);
            assertThat(http.get("/-/log/" + new TilePath(TilePath.ENTRIES, 1, 256).path()).status())
                    .isEqualTo(404);
        }
    }
}
