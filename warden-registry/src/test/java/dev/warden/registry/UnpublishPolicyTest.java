package dev.warden.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.accounts.Principal;
import dev.warden.common.Problem;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

/**
 * npm's unpublish policy: free within 72 hours, later only with no dependents, few downloads and
 * one maintainer.
 */
class UnpublishPolicyTest {

    RegistryFixture f;
    Principal alice;

    @BeforeEach
    void open(@TempDir Path dir) throws Exception {
        f = new RegistryFixture(dir);
        alice = f.user("alice");
    }

    @AfterEach
    void close() {
        f.close();
    }

    private void unpublishAll(String name) throws Exception {
        ObjectNode doc = f.document(name);
        f.registry.unpublishPackage(name, doc.path("_rev").asText(), alice);
    }

    @Test
    void freeWithinTheWindow() throws Exception {
        f.publish("fresh", "1.0.0", alice);
        f.clock.advance(Duration.ofHours(71));
        unpublishAll("fresh");
        assertThat(f.registry.packument("fresh", null)).isEmpty();
    }

    @Test
    void laterAllowedWhenNobodyDependsAndFewDownloads() throws Exception {
        f.publish("quiet", "1.0.0", alice);
        f.clock.advance(Duration.ofHours(73));
        unpublishAll("quiet");
        assertThat(f.registry.packument("quiet", null)).isEmpty();
    }

    @Test
    void laterRefusedWithDependents() throws Exception {
        f.publish("base", "1.0.0", alice);
        ObjectNode dependent = RegistryFixture.manifest("user-of-base", "1.0.0");
        dependent.putObject("dependencies").put("base", "^1.0.0");
        f.publish(dependent, f.user("bob"));
        f.clock.advance(Duration.ofHours(73));
        assertThatThrownBy(() -> unpublishAll("base"))
                .isInstanceOf(Problem.class)
                .hasMessageContaining("1 other package(s) depend on it")
                .hasMessageContaining("Deprecate it instead");
        assertThat(f.registry.packument("base", null)).isPresent();
    }

    @Test
    void laterRefusedWithManyDownloads() throws Exception {
        f.publish("popular", "1.0.0", alice);
        for (int i = 0; i < 300; i++) {
            f.registry.tarball("popular", "popular-1.0.0.tgz", null).orElseThrow();
        }
        f.registry.downloads().flush();
        f.clock.advance(Duration.ofHours(73));
        assertThatThrownBy(() -> unpublishAll("popular"))
                .hasMessageContaining("300 downloads in the last week");
    }

    @Test
    void laterRefusedWithSeveralMaintainers() throws Exception {
        f.publish("shared", "1.0.0", alice);
        f.user("bob");
        ObjectNode doc = f.document("shared");
        doc.putArray("maintainers").add("alice").add("bob");
        f.registry.updateDocument("shared", doc.path("_rev").asText(), doc, alice);
        f.clock.advance(Duration.ofHours(73));
        assertThatThrownBy(() -> unpublishAll("shared")).hasMessageContaining("2 maintainers");
    }

    @Test
    void oneVersionLaterFollowsTheSameRule() throws Exception {
        f.publish("lib", "1.0.0", alice);
        ObjectNode dependent = RegistryFixture.manifest("app", "1.0.0");
        dependent.putObject("dependencies").put("lib", "1.0.0");
        f.publish(dependent, alice);
        f.clock.advance(Duration.ofHours(100));
        f.publish("lib", "1.0.1", alice);
        ObjectNode doc = f.document("lib");
        ((ObjectNode) doc.path("versions")).remove("1.0.0");
        assertThatThrownBy(
                        () ->
                                f.registry.updateDocument(
                                        "lib", doc.path("_rev").asText(), doc, alice))
                .hasMessageContaining("depend on it");
        // the version published an hour ago goes freely
        ObjectNode again = f.document("lib");
        ((ObjectNode) again.path("versions")).remove("1.0.1");
        f.registry.updateDocument("lib", again.path("_rev").asText(), again, alice);
        assertThat(f.document("lib").path("versions").has("1.0.1")).isFalse();
        assertThat(f.document("lib").path("dist-tags").path("latest").asText()).isEqualTo("1.0.0");
    }

    @Test
    void republishingTheNameWaitsADay() throws Exception {
        f.publish("comeback", "1.0.0", alice);
        unpublishAll("comeback");
        assertThatThrownBy(() -> f.publish("comeback", "2.0.0", alice))
                .hasMessageContaining("24 hours");
        f.clock.advance(Duration.ofHours(25));
        f.publish("comeback", "2.0.0", alice);
        assertThatThrownBy(() -> f.publish("comeback", "1.0.0", alice))
                .hasMessageContaining("never be published again");
        assertThat(f.document("comeback").path("versions").has("2.0.0")).isTrue();
    }
}
