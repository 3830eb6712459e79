package dev.warden.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.accounts.Principal;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Two registries over one store are two nodes: each answers reads from its memory until told that
 * the other changed a package ({@link Registry#forget}, {@link Registry#forgetEverything}).
 */
class ForgetTest {

    @TempDir Path dir;
    RegistryFixture a;
    RegistryFixture b;

    @AfterEach
    void close() {
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
    }

    private void twoNodes() throws Exception {
        a = new RegistryFixture(dir);
        b = new RegistryFixture(dir);
    }

    private static java.util.List<String> versions(RegistryFixture node, String name)
            throws Exception {
        ObjectNode doc = node.document(name);
        java.util.List<String> out = new java.util.ArrayList<>();
        doc.path("versions").fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void aPackageChangedByAnotherNodeIsReadAgainOnceForgotten() throws Exception {
        twoNodes();
        Principal alice = a.user("alice");
        a.publish("left-pad", "1.0.0", alice);
        a.publish("other", "1.0.0", alice);
        assertThat(versions(b, "left-pad")).containsExactly("1.0.0");
        assertThat(versions(b, "other")).containsExactly("1.0.0");

        a.publish("left-pad", "1.0.1", alice);
        a.publish("other", "1.0.1", alice);
        // b answers from memory until it hears of the change
        assertThat(versions(b, "left-pad")).containsExactly("1.0.0");

        b.registry.forget("left-pad");
        assertThat(versions(b, "left-pad")).containsExactly("1.0.0", "1.0.1");
        assertThat(versions(b, "other")).containsExactly("1.0.0");

        b.registry.forgetEverything();
        assertThat(versions(b, "other")).containsExactly("1.0.0", "1.0.1");
    }

    @Test
    void forgettingAPackageForgetsTheTarballsOfAllItsVersions() throws Exception {
        twoNodes();
        Principal alice = a.user("alice");
        a.publish("left-pad", "1.0.0", alice);
        a.publish("left-pad-extra", "1.0.0", alice);
        Optional<Registry.TarballRef> before =
                b.registry.tarball("left-pad", "left-pad-1.0.0.tgz", null);
        assertThat(before).isPresent();
        assertThat(b.registry.tarball("left-pad-extra", "left-pad-extra-1.0.0.tgz", null))
                .isPresent();

        a.registry.unpublishPackage(
                "left-pad", a.document("left-pad").path("_rev").asText(), alice);
        assertThat(b.registry.tarball("left-pad", "left-pad-1.0.0.tgz", null)).isPresent();

        b.registry.forget("left-pad");
        assertThat(b.registry.tarball("left-pad", "left-pad-1.0.0.tgz", null)).isEmpty();
        assertThat(b.registry.tarball("left-pad-extra", "left-pad-extra-1.0.0.tgz", null))
                .isPresent();
    }
}
