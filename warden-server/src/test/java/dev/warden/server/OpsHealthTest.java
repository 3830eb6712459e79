package dev.warden.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.testing.Http;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

/** The health endpoint names each store, and a store that is down takes the node out (503). */
class OpsHealthTest {

    @Test
    void eachStoreIsNamedOk() throws Exception {
        try (TestServer server = TestServer.start()) {
            Http.Result r = server.http().get("/-/health");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().path("status").asText()).isEqualTo("ok");
            assertThat(r.json().path("checks").properties())
                    .extracting(Map.Entry::getKey)
                    .containsExactly("metadata", "blobs", "log");
            r.json().path("checks").forEach(c -> assertThat(c.asText()).isEqualTo("ok"));
        }
    }

    @Test
    void aClosedStoreIsNamedWithItsReason(@TempDir Path data) throws Exception {
        Stores stores =
                Stores.open(Config.load(null, Map.of(), Map.of("storage.data", data.toString())));
        assertThat(stores.health()).containsEntry("metadata", "ok");
        stores.close();
        Map<String, String> health = stores.health();
        assertThat(health.get("metadata")).isNotEqualTo("ok").isNotBlank().doesNotContain("\n");
        assertThat(health.get("blobs")).isEqualTo("ok");
    }
}
