package dev.warden.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

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
        Config c =
                Config.load(
                        null,
                        Map.of(
                                "WARDEN_SERVER_TRUSTED_PROXIES",
                                "[\"10.0.0.1\", \"192.168.0.0/16\"]"),
                        Map.of());
        assertThat(c.server().trustedProxies()).containsExactly("10.0.0.1", "192.168.0.0/16");
        assertThatThrownBy(
                        () ->
                                dev.warden.server.testing.TestServer.start(
                                        Map.of("server.trusted_proxies", "[\"proxy.internal\"]")))
                .hasMessage(
                        "server.trusted_proxies: invalid CIDR: proxy.internal (an IP address or"
                                + " CIDR range)");
    }

    @Test
    void popularNamesAreTheShippedListOrAFilePlusExtrasAndMistakesAreNamed(@TempDir Path dir)
            throws Exception {
        Config.Review defaults = Config.load(null, Map.of(), Map.of()).review();
        assertThat(defaults.refuseLookalikeNames()).isTrue();
        assertThat(defaults.popularMinDependents()).isEqualTo(20);
        assertThat(defaults.popularMinWeeklyDownloads()).isEqualTo(10_000);
        assertThat(defaults.popularNames()).contains("react", "cross-env", "@types/node");

        Path list = dir.resolve("popular.txt");
        Files.writeString(list, "# ours\nour-core\n@acme/ui  # the design system\n");
        Path file = dir.resolve("warden.toml");
        Files.writeString(
                file,
                "[review]\npopular_names_file = \""
                        + list
                        + "\"\nextra_popular_names = [\"left-pad\"]\n");
        assertThat(Config.load(file, Map.of(), Map.of()).review().popularNames())
                .containsExactly("our-core", "@acme/ui", "left-pad");
        assertThat(
                        Config.load(
                                        null,
                                        Map.of(
                                                "WARDEN_REVIEW_EXTRA_POPULAR_NAMES",
                                                "[\"our-core\"]"),
                                        Map.of())
                                .review()
                                .popularNames())
                .contains("react", "our-core");

        Files.writeString(list, "our-core\nour core\n");
        assertThatThrownBy(() -> Config.load(file, Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        "review.popular_names_file from config file "
                                + file
                                + ": "
                                + list
                                + " line 2: \"our core\" is not one package name (it has a space or"
                                + " a control character)");
        Path missing = dir.resolve("missing.txt");
        assertThatThrownBy(
                        () ->
                                Config.load(
                                        null,
                                        Map.of(),
                                        Map.of("review.popular_names_file", missing.toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(
                        "review.popular_names_file from flag --set review.popular_names_file:"
                                + " cannot read "
                                + missing);
        assertThatThrownBy(
                        () ->
                                Config.load(
                                        null,
                                        Map.of("WARDEN_REVIEW_EXTRA_POPULAR_NAMES", "[\"@acme\"]"),
                                        Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        "review.extra_popular_names from environment variable"
                                + " WARDEN_REVIEW_EXTRA_POPULAR_NAMES: \"@acme\" is not a scoped"
                                + " package name (@scope/name)");
        assertThatThrownBy(
                        () ->
                                Config.load(
                                        null,
                                        Map.of(),
                                        Map.of("review.popular_min_dependents", "-1")))
                .hasMessageContaining("review.popular_min_dependents from flag");
    }

    @Test
    void fileThenEnvironmentThenFlags(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("warden.toml");
        Files.writeString(
                file,
                """
                [server]
                port = 5000
                host = "0.0.0.0"
                [storage]
                data = "/srv/warden"
                """);
        Config fromFile = Config.load(file, Map.of(), Map.of());
        assertThat(fromFile.server().port()).isEqualTo(5000);
        assertThat(fromFile.server().host()).isEqualTo("0.0.0.0");
        Config fromEnv =
                Config.load(
                        file,
                        Map.of(
                                "WARDEN_SERVER_PORT",
                                "6000",
                                "WARDEN_ACCOUNTS_REGISTRATION",
                                "closed"),
                        Map.of());
        assertThat(fromEnv.server().port()).isEqualTo(6000);
        assertThat(fromEnv.accounts().registration()).isEqualTo("closed");
        assertThat(fromEnv.storage().data()).isEqualTo("/srv/warden");
        Config fromFlags =
                Config.load(
                        file,
                        Map.of("WARDEN_SERVER_PORT", "6000"),
                        Map.of("server.port", "7000", "storage.data", "/tmp/x"));
        assertThat(fromFlags.server().port()).isEqualTo(7000);
        assertThat(fromFlags.storage().data()).isEqualTo("/tmp/x");
    }

    @Test
    void mistakesAreNamed(@TempDir Path dir) throws Exception {
        Path unknown = dir.resolve("a.toml");
        Files.writeString(unknown, "[server]\nprot = 1\n");
        assertThatThrownBy(() -> Config.load(unknown, Map.of(), Map.of()))
                .hasMessageContaining("unknown setting server.prot");
        Path broken = dir.resolve("b.toml");
        Files.writeString(broken, "[server\nport = 1\n");
        assertThatThrownBy(() -> Config.load(broken, Map.of(), Map.of()))
                .hasMessageContaining("not valid TOML");
        assertThatThrownBy(() -> Config.load(dir.resolve("missing.toml"), Map.of(), Map.of()))
                .hasMessageContaining("does not exist");
        assertThatThrownBy(
                        () -> Config.load(null, Map.of("WARDEN_SERVER_PORT", "eighty"), Map.of()))
                .hasMessageContaining("WARDEN_SERVER_PORT must be a number");
        assertThatThrownBy(() -> Config.load(null, Map.of(), Map.of("server.nope", "1")))
                .hasMessageContaining("unknown setting server.nope");
    }

    /** Each kind of mistake names the setting and exactly where its value came from. */
    @Test
    void anUnknownSettingInTheFileNamesTheFileAndTheKeyAndTheNearestKnownOne(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("warden.toml");
        Files.writeString(file, "[server]\nprot = 1\n");
        assertThatThrownBy(() -> Config.load(file, Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        "unknown setting server.prot in config file "
                                + file
                                + " (did you mean server.port?)");
        Files.writeString(file, "[sever]\nport = 1\n");
        assertThatThrownBy(() -> Config.load(file, Map.of(), Map.of()))
                .hasMessage(
                        "unknown setting sever in config file " + file + " (did you mean server?)");
        Files.writeString(file, "[server]\nwhatever_this_is = 1\n");
        assertThatThrownBy(() -> Config.load(file, Map.of(), Map.of()))
                .as("no suggestion when nothing is close")
                .hasMessage("unknown setting server.whatever_this_is in config file " + file);
        Files.writeString(file, "server = 1\n");
        assertThatThrownBy(() -> Config.load(file, Map.of(), Map.of()))
                .hasMessage(
                        "server from config file " + file + " must be a table ([server]), not 1");
    }

    @Test
    void anUnknownEnvironmentVariableOfASectionIsNamedAndOthersAreLeftAlone() {
        assertThatThrownBy(() -> Config.load(null, Map.of("WARDEN_SERVER_PROT", "1"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        "unknown setting server.prot in environment variable WARDEN_SERVER_PROT"
                                + " (did you mean WARDEN_SERVER_PORT?)");
        // Variables that name no section belong to others: the PKCS#11 PIN, the launcher, the
        // benchmarks.
        Config c =
                Config.load(
                        null,
                        Map.of(
                                "WARDEN_PKCS11_PIN",
                                "1234",
                                "WARDEN_SKIP_BUILD",
                                "1",
                                "WARDEN_PORT",
                                "1",
                                "WARDEN_REGISTRY",
                                "x"),
                        Map.of());
        assertThat(c.server().port()).isEqualTo(4873);
    }

    @Test
    void anUnknownSettingFlagIsNamed() {
        assertThatThrownBy(() -> Config.load(null, Map.of(), Map.of("server.prot", "1")))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        "unknown setting server.prot in flag --set server.prot (did you mean"
                                + " server.port?)");
        assertThatThrownBy(() -> Config.load(null, Map.of(), Map.of("port", "1")))
                .hasMessage("unknown setting port in flag --set port");
    }

    @Test
    void aValueOfTheWrongTypeNamesTheSettingTheTypeTheValueAndItsSource(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("warden.toml");
        Files.writeString(file, "[server]\nport = \"eighty\"\n");
        assertThatThrownBy(() -> Config.load(file, Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        "server.port from config file "
                                + file
                                + " must be a number (an integer), not \"eighty\"");
        Files.writeString(file, "[signing]\nenabled = \"yes\"\n");
        assertThatThrownBy(() -> Config.load(file, Map.of(), Map.of()))
                .hasMessage(
                        "signing.enabled from config file "
                                + file
                                + " must be true or false, not \"yes\"");
        assertThatThrownBy(
                        () -> Config.load(null, Map.of("WARDEN_SERVER_PORT", "eighty"), Map.of()))
                .hasMessage(
                        "server.port from environment variable WARDEN_SERVER_PORT must be a number"
                                + " (an integer), not \"eighty\"");
        assertThatThrownBy(
                        () -> Config.load(null, Map.of("WARDEN_SIGNING_ENABLED", "yes"), Map.of()))
                .hasMessage(
                        "signing.enabled from environment variable WARDEN_SIGNING_ENABLED must be"
                                + " true or false, not \"yes\"");
        assertThatThrownBy(
                        () ->
                                Config.load(
                                        null,
                                        Map.of(),
                                        Map.of("server.port", "x"),
                                        Map.of("server.port", "--port")))
                .hasMessage(
                        "server.port from flag --port must be a number (an integer), not \"x\"");
        assertThatThrownBy(
                        () ->
                                Config.load(
                                        null,
                                        Map.of(),
                                        Map.of("server.trusted_proxies", "10.0.0.1")))
                .hasMessageStartingWith(
                        "server.trusted_proxies from flag --set server.trusted_proxies must be a"
                                + " JSON list, not \"10.0.0.1\"");
        assertThatThrownBy(
                        () ->
                                Config.load(
                                        null,
                                        Map.of(
                                                "WARDEN_OIDC_EXTRA_ISSUERS",
                                                "[{\"type\":\"gitlab\",\"issuer\":\"x\",\"jwks\":\"y\",\"jkws\":\"z\"}]"),
                                        Map.of()))
                .hasMessageStartingWith(
                        "oidc.extra_issuers from environment variable WARDEN_OIDC_EXTRA_ISSUERS is"
                                + " not valid at oidc.extra_issuers[0].jkws: ");
    }

    @Test
    void aValueOutOfRangeNamesTheRangeAndItsSource(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> Config.load(null, Map.of("WARDEN_SERVER_PORT", "70000"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        "server.port from environment variable WARDEN_SERVER_PORT must be between 0"
                                + " and 65535, not 70000");
        Path file = dir.resolve("warden.toml");
        Files.writeString(file, "[registry]\npackument_cache_mb = -1\n");
        assertThatThrownBy(() -> Config.load(file, Map.of(), Map.of()))
                .hasMessage(
                        "registry.packument_cache_mb from config file "
                                + file
                                + " must be between 0 and 2147483647, not -1");
        assertThatThrownBy(
                        () ->
                                Config.load(
                                        null,
                                        Map.of(),
                                        Map.of("accounts.min_password_length", "3000000000")))
                .hasMessage(
                        "accounts.min_password_length from flag --set accounts.min_password_length"
                                + " must be between 0 and 2147483647, not 3000000000");
        Files.writeString(file, "[log]\nformat = \"xml\"\n");
        assertThatThrownBy(() -> Config.load(file, Map.of(), Map.of()))
                .hasMessage(
                        "log.format from config file "
                                + file
                                + " must be one of \"auto\", \"json\", \"text\", not \"xml\"");
        assertThatThrownBy(
                        () ->
                                Config.load(
                                        null,
                                        Map.of("WARDEN_ACCOUNTS_REGISTRATION", "invited"),
                                        Map.of()))
                .hasMessage(
                        "accounts.registration from environment variable"
                            + " WARDEN_ACCOUNTS_REGISTRATION must be one of \"open\", \"invite\","
                            + " \"closed\", not \"invited\"");
        assertThat(
                        Config.load(
                                        null,
                                        Map.of(
                                                "WARDEN_LOG_FORMAT",
                                                "TEXT",
                                                "WARDEN_LOG_LEVEL",
                                                "DEBUG"),
                                        Map.of())
                                .log()
                                .format())
                .isEqualTo("TEXT");
    }

    @Test
    void reviewThresholdsAreOrderedHighImpactNeverLaxerAndOverridesNamed(@TempDir Path dir)
            throws Exception {
        Config c =
                Config.load(
                        null,
                        Map.of(
                                "WARDEN_REVIEW_OVERRIDES",
                                "[\"install-script-added=quarantine\", \"minified-bundle=allow\"]"),
                        Map.of());
        assertThat(c.review().holdAt()).isEqualTo("high");
        assertThat(ReviewRules.policy(c.review(), false))
                .isEqualTo(
                        new dev.warden.review.ReviewPolicy(
                                dev.warden.review.Severity.MEDIUM,
                                dev.warden.review.Severity.HIGH,
                                dev.warden.review.Severity.CRITICAL,
                                Map.of(
                                        "install-script-added",
                                        dev.warden.review.Action.QUARANTINE,
                                        "minified-bundle",
                                        dev.warden.review.Action.ALLOW)));
        assertThat(ReviewRules.policy(c.review(), true).holdAt())
                .isEqualTo(dev.warden.review.Severity.MEDIUM);

        assertThatThrownBy(
                        () ->
                                Config.load(
                                        null, Map.of("WARDEN_REVIEW_HOLD_AT", "severe"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        "review.hold_at from environment variable WARDEN_REVIEW_HOLD_AT must be one"
                                + " of \"info\", \"low\", \"medium\", \"high\", \"critical\", not"
                                + " \"severe\"");
        Path file = dir.resolve("warden.toml");
        Files.writeString(file, "[review]\nhold_at = \"critical\"\nquarantine_at = \"high\"\n");
        assertThatThrownBy(() -> Config.load(file, Map.of(), Map.of()))
                .hasMessage(
                        "review.quarantine_at from config file "
                                + file
                                + " must be at or above review.hold_at (\"critical\"), not"
                                + " \"high\"");
        assertThatThrownBy(
                        () ->
                                Config.load(
                                        null,
                                        Map.of(),
                                        Map.of("review.high_impact_hold_at", "critical")))
                .hasMessage(
                        "review.high_impact_hold_at from flag --set review.high_impact_hold_at"
                                + " must not be laxer than review.hold_at (\"high\"), not"
                                + " \"critical\"");
        assertThatThrownBy(
                        () ->
                                Config.load(
                                        null,
                                        Map.of(
                                                "WARDEN_REVIEW_OVERRIDES",
                                                "[\"install-script-added=ban\"]"),
                                        Map.of()))
                .hasMessage(
                        "review.overrides from environment variable WARDEN_REVIEW_OVERRIDES must be"
                                + " a list of \"finding-id=action\" (action: allow, flag, hold,"
                                + " quarantine), not \"install-script-added=ban\"");
    }

    @Test
    void aFileThatCannotBeReadOrParsedIsNamedWithTheParsersPosition(@TempDir Path dir)
            throws Exception {
        Path broken = dir.resolve("warden.toml");
        Files.writeString(broken, "[server]\nport = 1\n[storage\n");
        assertThatThrownBy(() -> Config.load(broken, Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        "config file "
                                + broken
                                + " is not valid TOML at line 3, column 9: Newline not permitted"
                                + " here");
        assertThatThrownBy(() -> Config.load(dir, Map.of(), Map.of()))
                .hasMessage("config file " + dir + " cannot be read (it is a directory)");
        assertThatThrownBy(() -> Config.load(dir.resolve("missing.toml"), Map.of(), Map.of()))
                .hasMessage("config file " + dir.resolve("missing.toml") + " does not exist");
    }

    @Test
    void theLaterSourceIsTheOneNamed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("warden.toml");
        Files.writeString(file, "[server]\nport = 99999\n");
        assertThatThrownBy(() -> Config.load(file, Map.of("WARDEN_SERVER_PORT", "70000"), Map.of()))
                .hasMessage(
                        "server.port from environment variable WARDEN_SERVER_PORT must be between 0"
                                + " and 65535, not 70000");
        assertThat(
                        Config.load(
                                        file,
                                        Map.of("WARDEN_SERVER_PORT", "70000"),
                                        Map.of("server.port", "8080"))
                                .server()
                                .port())
                .isEqualTo(8080);
    }
}
