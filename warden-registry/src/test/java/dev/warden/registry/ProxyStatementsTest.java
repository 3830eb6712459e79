package dev.warden.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The proxy's statements go through the registry's outbox: recorded in the proxy's transaction with
 * actor "proxy", logged after the commit, and kept for the retry when the log fails.
 */
class ProxyStatementsTest {

    RegistryFixture f;
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
                                            return 40 + logged.size();
                                        }));
    }

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void aStatementRecordedInTheProxysTransactionIsLoggedAfterItsCommit() throws Exception {
        ProxyStatements statements = f.registry.proxyStatements();
        ProxyStatements.Pending pending =
                f.store.write(
                        tx ->
                                statements.record(
                                        tx,
                                        "proxy.ingested",
                                        "up-lib",
                                        "1.0.0",
                                        Map.of("uplink", "up", "integrity", "sha512-AAAA"),
                                        f.clock.instant()));
        assertThat(logged).isEmpty(); // nothing is logged before the commit returns

        assertThat(statements.log(List.of(pending))).containsExactly(41L);
        JsonNode st = RegistryFixture.JSON.readTree(logged.get(0));
        assertThat(st.path("kind").asText()).isEqualTo("proxy.ingested");
        assertThat(st.path("package").asText()).isEqualTo("up-lib");
        assertThat(st.path("version").asText()).isEqualTo("1.0.0");
        assertThat(st.path("actor").asText()).isEqualTo("proxy");
        assertThat(st.path("uplink").asText()).isEqualTo("up");
        assertThat(st.path("integrity").asText()).isEqualTo("sha512-AAAA");
        assertThat(f.registry.logPendingEvents()).isZero();
    }

    @Test
    void aStatementTheLogMissedIsNullAndLoggedByTheRetry() throws Exception {
        ProxyStatements statements = f.registry.proxyStatements();
        ProxyStatements.Pending pending =
                f.store.write(
                        tx ->
                                statements.record(
                                        tx,
                                        "proxy.quarantined",
                                        "up-lib",
                                        "*",
                                        Map.of("reason", "malware"),
                                        f.clock.instant()));
        failing = true;
        assertThat(statements.log(List.of(pending))).isEqualTo(Arrays.asList((Long) null));
        failing = false;
        assertThat(f.registry.logPendingEvents()).isEqualTo(1);
        assertThat(RegistryFixture.JSON.readTree(logged.get(0)).path("kind").asText())
                .isEqualTo("proxy.quarantined");
    }

    @Test
    void theNewNameGuardIsAskedForANewPackageOnlyAndItsRefusalStopsThePublish() throws Exception {
        var alice = f.user("alice");
        f.publish("mine", "1.0.0", alice);
        List<String> asked = new ArrayList<>();
        f.registry
                .newNames()
                .guard(
                        name -> {
                            asked.add(name);
                            if (name.equals("taken-upstream")) {
                                throw dev.warden.common.Problem.conflict(
                                        "taken-upstream exists on uplink up");
                            }
                        });

        f.publish("mine", "1.1.0", alice);
        assertThat(asked).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> f.publish("taken-upstream", "1.0.0", alice))
                .hasMessage("taken-upstream exists on uplink up");
        boolean stored = f.store.read(tx -> tx.packages().find("taken-upstream").isPresent());
        assertThat(stored).isFalse();
        f.publish("fresh-name", "1.0.0", alice);
        assertThat(asked).containsExactly("taken-upstream", "fresh-name");
    }

    @Test
    void aStagedFirstReleaseIsGuardedAgainWhenItGoesLive() throws Exception {
        var alice = f.user("alice");
        ObjectNode m = RegistryFixture.manifest("later-upstream", "1.0.0");
        Registry.Published staged =
                f.registry.stage(
                        "later-upstream", RegistryFixture.body(m, RegistryFixture.tgz(m)), alice);
        // the uplink got the name while the release waited for its approval
        f.registry
                .newNames()
                .guard(
                        name -> {
                            throw dev.warden.common.Problem.conflict(name + " exists on uplink up");
                        });

        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> f.registry.governance().approve(staged.stageId(), alice))
                .hasMessage("later-upstream exists on uplink up");
        boolean stored = f.store.read(tx -> tx.packages().find("later-upstream").isPresent());
        assertThat(stored).isFalse();
    }

    @Test
    void theNewPackageListenerHearsOfAPackagesFirstVersionOnly() throws Exception {
        var alice = f.user("alice");
        List<String> created = new ArrayList<>();
        f.registry.newNames().onCreated(created::add);

        f.publish("brand-new", "1.0.0", alice);
        f.publish("brand-new", "1.1.0", alice);

        assertThat(created).containsExactly("brand-new");
    }
}
