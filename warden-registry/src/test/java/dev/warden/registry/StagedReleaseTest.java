package dev.warden.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.accounts.Principal;
import dev.warden.common.Problem;
import dev.warden.governance.GovernancePolicy;
import dev.warden.governance.PackageGovernance;
import dev.warden.storage.embedded.EmbeddedStorage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

/**
 * An approved stage goes live as it was staged and reviewed: from the release kept with it, not
 * inspected again.
 */
class StagedReleaseTest {

    @TempDir Path dir;

    RegistryFixture f;
    Principal alice;
    Principal bob;

    @BeforeEach
    void open() throws Exception {
        f = new RegistryFixture(dir);
        alice = f.user("alice");
        bob = f.user("bob");
        f.publish("governed", "1.0.0", alice);
        ObjectNode owners = RegistryFixture.JSON.createObjectNode();
        owners.put("_id", "governed");
        owners.putArray("maintainers").add("alice").add("bob");
        f.registry.updateDocument("governed", null, owners, alice);
        f.registry
                .governance()
                .setPolicy("governed", new GovernancePolicy("custom", 1, 0, "none"), alice);
    }

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void approvalMakesLiveTheReleaseKeptWithTheStageWithoutInspectingItAgain() throws Exception {
        ObjectNode manifest = RegistryFixture.manifest("governed", "1.1.0");
        manifest.put("description", "reviewed as staged");
        Registry.Published staged = f.publish(manifest, alice);
        assertThat(staged.stageId()).as("a governed release is staged").isNotNull();
        assertThat(f.registry.version("governed", "1.1.0", null)).isEmpty();

        // The same store, served by a registry whose inspection now refuses every tarball: an
        // approval that inspected the release again would fail here.
        Registry strict =
                new Registry(
                        f.store,
                        EmbeddedStorage.blobs(dir.resolve("blobs")),
                        RegistryFixture.JSON,
                        new RegistrySettings(
                                "http://registry.test",
                                new TarballInspector.Limits(512L << 20, 100_000, 200, 16L << 20, 8),
                                Duration.ofHours(72),
                                300,
                                Duration.ofHours(24),
                                1L << 20),
                        f.clock);
        ObjectNode next = RegistryFixture.manifest("governed", "1.2.0");
        assertThatThrownBy(
                        () ->
                                strict.publish(
                                        "governed",
                                        RegistryFixture.body(next, RegistryFixture.tgz(next)),
                                        alice))
                .as("the strict registry refuses to inspect a new tarball")
                .isInstanceOf(Problem.class)
                .hasMessageContaining("package.json in the tarball is larger than 8 bytes");

        PackageGovernance.Approval approval = strict.governance().approve(staged.stageId(), bob);

        assertThat(approval.live()).isTrue();
        ObjectNode live = strict.version("governed", "1.1.0", null).orElseThrow();
        assertThat(live.path("description").asText()).isEqualTo("reviewed as staged");
        assertThat(live.path("dist").path("integrity").asText()).isEqualTo(staged.integrity());
    }
}
