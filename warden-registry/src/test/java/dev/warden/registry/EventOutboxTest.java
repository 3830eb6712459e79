package dev.warden.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.accounts.Principal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Changes that committed are logged even when the log fails at the time: they wait in the outbox. */
class EventOutboxTest {

    RegistryFixture f;
    Principal alice;
    final List<String> logged = new ArrayList<>();
    boolean failing;

    @BeforeEach
    void open(@TempDir Path dir) throws Exception {
        f = new RegistryFixture(dir);
        alice = f.user("alice");
        f.registry.attestWith(statement -> {
            if (failing) {
                throw new IllegalStateException("log unavailable");
            }
            logged.add(statement);
            return logged.size() - 1;
        });
    }

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void aChangeTheLogMissedIsLoggedLaterAndItsVersionPointsToIt() throws Exception {
        Registry.Published first = f.publish("outboxed", "1.0.0", alice);
        assertThat(first.logIndexes()).containsExactly(0L);
        failing = true;
        Registry.Published second = f.publish("outboxed", "1.1.0", alice);
        assertThat(second.logIndexes()).isEmpty();
        f.registry.setDistTag("outboxed", "beta", "1.0.0", alice);
        // Published and visible, though not logged yet.
        JsonNode doc = f.document("outboxed");
        assertThat(doc.path("versions").has("1.1.0")).isTrue();
        assertThat(doc.path("versions").path("1.0.0").path("_log").path("index").asLong()).isZero();
        assertThat(doc.path("versions").path("1.1.0").has("_log")).isFalse();

        failing = false;
        assertThat(f.registry.logPendingEvents()).isEqualTo(2);
        assertThat(logged).hasSize(3);
        JsonNode published = RegistryFixture.JSON.readTree(logged.get(1));
        assertThat(published.path("kind").asText()).isEqualTo("package.published");
        assertThat(published.path("version").asText()).isEqualTo("1.1.0");
        assertThat(published.path("actor").asText()).isEqualTo("alice");
        assertThat(RegistryFixture.JSON.readTree(logged.get(2)).path("kind").asText()).isEqualTo("dist-tag.set");
        assertThat(f.document("outboxed").path("versions").path("1.1.0").path("_log").path("index").asLong()).isEqualTo(1);
        assertThat(f.registry.logPendingEvents()).isZero();
    }
}
