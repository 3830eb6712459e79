package dev.warden.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Defaults, then the file, then the environment, then flags; mistakes are named. */
class ConfigTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        Config c = Config.load(null, Map.of(), Map.of());
        assertThat(c.server().host()).isEqualTo("127.0.0.1");
        assertThat(c.server().port()).isEqualTo(4873);
        assertThat(c.storage().driver()).isEqualTo("embedded");
        assertThat(c.storage().data()).isEqualTo("data");
        assertThat(c.registry().unpublishWindowHours()).isEqualTo(72);
        assertThat(c.server().trustedProxies()).isEmpty();
    }

    @Test
    void trustedProxiesComeAsAListAndAMistakeIsNamed() {
        Config c = Config.load(null, Map.of("WARDEN_SERVER_TRUSTED_PROXIES", "[\"10.0.0.1\", \"192.168.0.0/16\"]"), Map.of());
        assertThat(c.server().trustedProxies()).containsExactly("10.0.0.1", "192.168.0.0/16");
        assertThatThrownBy(() -> dev.warden.server.testing.TestServer.start(Map.of("server.trusted_proxies", "[\"proxy.internal\"]")))
                .hasMessage("server.trusted_proxies: invalid CIDR: proxy.internal (an IP address or CIDR range)");
    }

    @Test
    void fileThenEnvironmentThenFlags(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("warden.toml");
        Files.writeString(file, """
                [server]
                port = 5000
                host = "0.0.0.0"
                [storage]
                data = "/srv/warden"
                """);
        Config fromFile = Config.load(file, Map.of(), Map.of());
        assertThat(fromFile.server().port()).isEqualTo(5000);
        assertThat(fromFile.server().host()).isEqualTo("0.0.0.0");
        Config fromEnv = Config.load(file, Map.of("WARDEN_SERVER_PORT", "6000", "WARDEN_ACCOUNTS_REGISTRATION", "closed"), Map.of());
        assertThat(fromEnv.server().port()).isEqualTo(6000);
        assertThat(fromEnv.accounts().registration()).isEqualTo("closed");
        assertThat(fromEnv.storage().data()).isEqualTo("/srv/warden");
        Config fromFlags = Config.load(file, Map.of("WARDEN_SERVER_PORT", "6000"), Map.of("server.port", "7000", "storage.data", "/tmp/x"));
        assertThat(fromFlags.server().port()).isEqualTo(7000);
        assertThat(fromFlags.storage().data()).isEqualTo("/tmp/x");
    }

    @Test
    void mistakesAreNamed(@TempDir Path dir) throws Exception {
        Path unknown = dir.resolve("a.toml");
        Files.writeString(unknown, "[server]\nprot = 1\n");
        assertThatThrownBy(() -> Config.load(unknown, Map.of(), Map.of())).hasMessageContaining("unknown setting server.prot");
        Path broken = dir.resolve("b.toml");
        Files.writeString(broken, "[server\nport = 1\n");
        assertThatThrownBy(() -> Config.load(broken, Map.of(), Map.of())).hasMessageContaining("not valid TOML");
        assertThatThrownBy(() -> Config.load(dir.resolve("missing.toml"), Map.of(), Map.of())).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> Config.load(null, Map.of("WARDEN_SERVER_PORT", "eighty"), Map.of()))
                .hasMessageContaining("WARDEN_SERVER_PORT must be a number");
        assertThatThrownBy(() -> Config.load(null, Map.of(), Map.of("server.nope", "1"))).hasMessageContaining("unknown setting server.nope");
    }
}
