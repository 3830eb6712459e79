package dev.warden.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.accounts.Principal;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Changes that committed are logged even when the log fails at the time: they wait in the outbox.
 */
class EventOutboxTest {

    RegistryFixture f;
    Principal alice;
    final List<String> logged = new ArrayList<>();
    boolean failing;

    @BeforeEach
    void open(@TempDir Path dir) throws Exception {
        f =
                new RegistryFixture(
                        dir,
                        Wiring.none()
                                .withAttestor(
                                        statement -> {
                                            if (failing) {
                                                throw new IllegalStateException("log unavailable");
                                            }
                                            logged.add(statement);
                                            return logged.size() - 1;
                                        }));
        alice = f.user("alice");
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
        assertThat(RegistryFixture.JSON.readTree(logged.get(2)).path("kind").asText())
                .isEqualTo("dist-tag.set");
        assertThat(
                        f.document("outboxed")
                                .path("versions")
                                .path("1.1.0")
                                .path("_log")
                                .path("index")
                                .asLong())
                .isEqualTo(1);
        assertThat(f.registry.logPendingEvents()).isZero();
    }

    /**
     * A log entry holds at most 64 KiB: a change too large to state whole is stated by a digest of
     * its details.
     */
    @Test
    void anOversizedChangeIsStatedByDigest() throws Exception {
        f.publish("many-owners", "1.0.0", alice);
        ObjectNode doc = f.document("many-owners");
        com.fasterxml.jackson.databind.node.ArrayNode owners = doc.putArray("maintainers");
        owners.addObject().put("name", "alice");
        for (int i = 0; i < 200; i++) {
            String name = "maintainer-with-a-long-name-" + i;
            f.user(name);
            owners.addObject().put("name", name);
        }
        f.registry.updateDocument("many-owners", doc.path("_rev").asText(), doc, alice);
        JsonNode st = RegistryFixture.JSON.readTree(logged.get(logged.size() - 1));
        assertThat(st.path("kind").asText()).isEqualTo("package.owners-changed");
        assertThat(st.has("added")).isFalse();
        assertThat(st.path("detailSha256").asText()).hasSize(64);
        assertThat(logged.get(logged.size() - 1).length()).isLessThan(8_192);
        assertThat(f.registry.logPendingEvents()).isZero();
    }

    /**
     * A log pointer or signatures sent by the publisher are dropped, also when the registry has
     * none to put there.
     */
    @Test
    void aPublisherCannotSupplyWhatTheRegistryVouchesFor() throws Exception {
        failing = true;
        ObjectNode m = RegistryFixture.manifest("forged-pkg", "1.0.0");
        ObjectNode body = RegistryFixture.body(m, RegistryFixture.tgz(m));
        ObjectNode version = (ObjectNode) body.path("versions").path("1.0.0");
        version.putObject("_log").put("index", 7);
        version.putArray("_signatures")
                .addObject()
                .put("keyid", "SHA256:forged")
                .put("sig", "AAAA");
        f.registry.publish("forged-pkg", body, alice);
        JsonNode served = f.document("forged-pkg").path("versions").path("1.0.0");
        assertThat(served.has("_log")).isFalse();
        assertThat(served.has("_signatures")).isFalse();
        assertThat(served.path("dist").has("signatures")).isFalse();
    }
}
