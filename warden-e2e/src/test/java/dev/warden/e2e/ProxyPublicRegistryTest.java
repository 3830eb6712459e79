package dev.warden.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

import dev.warden.e2e.ProxyFixture.ProxyWarden;
import dev.warden.e2e.VerifyFixture.Client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A small real project's dependencies installed from https://registry.npmjs.org/ through Warden.
 * The copy reached from here serves no signatures or attestations: Warden verifies integrity and,
 * under {@code unsigned_upstream = "flag"}, serves each version and reports it unsigned.
 */
class ProxyPublicRegistryTest {

    static final Map<String, String> PROJECT =
            Map.of("chalk", "4.1.2", "debug", "4.3.7", "semver", "7.6.3");

    @Test
    void installsARealProjectAndFlagsWhatIsUnsigned(@TempDir Path dir) throws Exception {
        try (ProxyWarden proxy =
                ProxyWarden.start(
                        dir,
                        ProxyFixture.uplink("npmjs", "https://registry.npmjs.org/", 120),
                        "unsigned_upstream = \"flag\"\n")) {
            Clients.Run run = proxy.install(Client.NPM, "real", PROJECT);
            assertThat(run.exit()).as(run.all()).isZero();
            Path modules = proxy.project(Client.NPM, "real").resolve("node_modules");
            for (Map.Entry<String, String> dep : PROJECT.entrySet()) {
                assertThat(
                                ProxyFixture.version(
                                        modules.resolve(dep.getKey()).resolve("package.json")))
                        .isEqualTo(dep.getValue());
            }
            // chalk's and debug's own dependencies came the same way
            assertThat(modules.resolve("ansi-styles/package.json")).exists();
            assertThat(modules.resolve("ms/package.json")).exists();

            Set<String> unsigned = new HashSet<>();
            for (JsonNode e : proxy.events()) {
                if (e.path("kind").asText().equals("unsigned")) {
                    unsigned.add(e.path("name").asText() + "@" + e.path("version").asText());
                }
            }
            assertThat(unsigned).contains("chalk@4.1.2", "debug@4.3.7", "semver@7.6.3", "ms@2.1.3");
            assertThat(proxy.packument("chalk").header("Warden-Uplink"))
                    .startsWith("npmjs; state=fresh; checked=");
        }
    }
}
