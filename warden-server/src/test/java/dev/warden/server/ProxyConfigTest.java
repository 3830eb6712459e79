package dev.warden.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.proxy.ProxySettings;
import dev.warden.proxy.Uplink;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** {@code [[uplinks]]} and {@code [proxy]}: defaults, the file, token variables, mistakes named. */
class ProxyConfigTest {

    @TempDir Path dir;

    private Config load(String toml, Map<String, String> env) throws Exception {
        Path file = dir.resolve("warden.toml");
        Files.writeString(file, toml);
        return Config.load(file, env, Map.of());
    }

    private String fileSource() {
        return "config file " + dir.resolve("warden.toml");
    }

    @Test
    void withoutUplinksTheProxyIsOff() {
        Config c = Config.load(null, Map.of(), Map.of());
        assertThat(c.uplinks()).isEmpty();
        ProxySettings p = ServerSettings.proxy(c);
        assertThat(p.enabled()).isFalse();
        assertThat(p.minimumReleaseAge()).isEqualTo(Duration.ZERO);
        assertThat(p.unsignedUpstream()).isEqualTo(ProxySettings.UnsignedUpstream.ALLOW);
        assertThat(p.denyInstallScripts()).isFalse();
        assertThat(p.osvFeed()).isNull();
        assertThat(c.proxy().osvRefreshMinutes()).isEqualTo(60);
    }

    @Test
    void uplinksTakeTheirDefaultsAndTokensComeFromTheEnvironment() throws Exception {
        Config c =
                load(
                        """
                        [[uplinks]]
                        name = "corp-mirror"
                        url = "https://registry.example.invalid/npm"
                        packages = ["@acme/*", "lodash"]
                        timeout_seconds = 5

                        [[uplinks]]
                        name = "public"
                        url = "http://198.51.100.7:4873/"

                        [proxy]
                        minimum_release_age_hours = 72
                        minimum_release_age_exclude = ["@acme/*"]
                        internal_scopes = ["@acme"]
                        unsigned_upstream = "refuse"
                        install_scripts = "deny"
                        install_scripts_allow = ["esbuild"]
                        osv_feed = "https://osv.example.invalid/npm/all.zip"
                        """,
                        Map.of("WARDEN_UPLINKS_CORP_MIRROR_TOKEN", "s3cret"));
        ProxySettings p = ServerSettings.proxy(c);
        assertThat(p.uplinks())
                .containsExactly(
                        new Uplink(
                                "corp-mirror",
                                URI.create("https://registry.example.invalid/npm/"),
                                java.util.List.of("@acme/*", "lodash"),
                                Optional.of("s3cret"),
                                Duration.ofSeconds(5),
                                Duration.ofSeconds(120)),
                        new Uplink(
                                "public",
                                URI.create("http://198.51.100.7:4873/"),
                                java.util.List.of("**"),
                                Optional.empty(),
                                Duration.ofSeconds(30),
                                Duration.ofSeconds(120)));
        assertThat(p.minimumReleaseAge()).isEqualTo(Duration.ofHours(72));
        assertThat(p.minimumReleaseAgeExclude()).containsExactly("@acme/*");
        assertThat(p.internalScopes()).containsExactly("@acme");
        assertThat(p.unsignedUpstream()).isEqualTo(ProxySettings.UnsignedUpstream.REFUSE);
        assertThat(p.denyInstallScripts()).isTrue();
        assertThat(p.installScriptsAllow()).containsExactly("esbuild");
        assertThat(p.osvFeed()).isEqualTo("https://osv.example.invalid/npm/all.zip");
        // a token is never printed with the settings
        assertThat(c.uplinks().get(0).toString()).doesNotContain("s3cret");
    }

    @Test
    void aTokenForNoConfiguredUplinkIsNamed() {
        assertThatThrownBy(
                        () ->
                                load(
                                        "[[uplinks]]\n"
                                                + "name = \"public\"\n"
                                                + "url = \"https://registry.example.invalid/\"\n",
                                        Map.of("WARDEN_UPLINKS_PUBLIK_TOKEN", "x")))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        "environment variable WARDEN_UPLINKS_PUBLIK_TOKEN names no configured"
                                + " uplink (configured: public)");
        assertThatThrownBy(
                        () ->
                                Config.load(
                                        null, Map.of("WARDEN_UPLINKS_PUBLIC_TOKEN", "x"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        "environment variable WARDEN_UPLINKS_PUBLIC_TOKEN names no configured"
                                + " uplink (none is configured)");
    }

    @Test
    void uplinkMistakesAreOneLineNamingTheSetting() {
        String src = fileSource();
        assertThatThrownBy(
                        () ->
                                load(
                                        "[[uplinks]]\nname = \"a\"\nurl = \"ftp://x.invalid/\"\n",
                                        Map.of()))
                .hasMessage(
                        "uplinks[0].url from "
                                + src
                                + " must be an http or https URL with a host, not"
                                + " \"ftp://x.invalid/\"");
        assertThatThrownBy(
                        () ->
                                load(
                                        "[[uplinks]]\n"
                                                + "name = \"a\"\n"
                                                + "url = \"https://u:p@x.invalid/\"\n",
                                        Map.of()))
                .hasMessage(
                        "uplinks[0].url from "
                                + src
                                + " must not carry credentials (use the uplink's token)");
        assertThatThrownBy(
                        () ->
                                load(
                                        "[[uplinks]]\n"
                                                + "name = \"a\"\n"
                                                + "url = \"https://x.invalid/\"\n"
                                                + "[[uplinks]]\n"
                                                + "name = \"a\"\n"
                                                + "url = \"https://y.invalid/\"\n",
                                        Map.of()))
                .hasMessage("uplinks[1].name from " + src + " \"a\" is the name of uplinks[0] too");
        assertThatThrownBy(
                        () ->
                                load(
                                        "[[uplinks]]\n"
                                                + "name = \"Public\"\n"
                                                + "url = \"https://x.invalid/\"\n",
                                        Map.of()))
                .hasMessage(
                        "uplinks[0].name from "
                                + src
                                + " must be lower-case letters, digits and \"-\", not \"Public\"");
        assertThatThrownBy(
                        () ->
                                load(
                                        "[[uplinks]]\n"
                                                + "name = \"a\"\n"
                                                + "url = \"https://x.invalid/\"\n"
                                                + "packages = [\"@acme/**/x\"]\n",
                                        Map.of()))
                .hasMessage(
                        "uplinks[0].packages from "
                                + src
                                + " \"@acme/**/x\": name pattern \"@acme/**/x\" has more than one"
                                + " \"/\"");
        assertThatThrownBy(
                        () ->
                                load(
                                        "[[uplinks]]\n"
                                                + "name = \"a\"\n"
                                                + "url = \"https://x.invalid/\"\n"
                                                + "timeout_seconds = 0\n",
                                        Map.of()))
                .hasMessage(
                        "uplinks[0].timeout_seconds from "
                                + src
                                + " must be between 1 and 3600, not 0");
        assertThatThrownBy(
                        () ->
                                load(
                                        "[[uplinks]]\n"
                                                + "name = \"a\"\n"
                                                + "url = \"https://x.invalid/\"\n"
                                                + "timeout = 5\n",
                                        Map.of()))
                .hasMessageStartingWith("unknown setting uplinks[0].timeout in " + src);
        assertThatThrownBy(
                        () ->
                                load(
                                        "[[uplinks]]\n"
                                                + "name = \"a\"\n"
                                                + "url = \"https://x.invalid/\"\n"
                                                + "packages = \"**\"\n",
                                        Map.of()))
                .hasMessage("uplinks[0].packages from " + src + " must be a list, not \"**\"");
        assertThatThrownBy(() -> load("[uplinks]\nname = \"a\"\n", Map.of()))
                .hasMessage(
                        "uplinks from "
                                + src
                                + " must be a list of tables ([[uplinks]]), not {\"name\":\"a\"}");
    }

    @Test
    void proxyMistakesAreOneLineNamingTheSetting() {
        String src = fileSource();
        assertThatThrownBy(() -> load("[proxy]\nunsigned_upstream = \"warn\"\n", Map.of()))
                .hasMessage(
                        "proxy.unsigned_upstream from "
                                + src
                                + " must be one of \"allow\", \"flag\", \"refuse\", not \"warn\"");
        assertThatThrownBy(() -> load("[proxy]\ninternal_scopes = [\"acme\"]\n", Map.of()))
                .hasMessage(
                        "proxy.internal_scopes from "
                                + src
                                + " \"acme\" is not a scope (like \"@acme\")");
        assertThatThrownBy(() -> load("[proxy]\nosv_feed = \"file:///etc/x\"\n", Map.of()))
                .hasMessage(
                        "proxy.osv_feed from "
                                + src
                                + " must be an http or https URL with a host, not"
                                + " \"file:///etc/x\"");
        assertThatThrownBy(
                        () ->
                                Config.load(
                                        null,
                                        Map.of("WARDEN_PROXY_MINIMUM_RELEASE_AGE_HOURS", "-1"),
                                        Map.of()))
                .hasMessage(
                        "proxy.minimum_release_age_hours from environment variable"
                                + " WARDEN_PROXY_MINIMUM_RELEASE_AGE_HOURS must be between 0 and"
                                + " 2147483647, not -1");
        assertThatThrownBy(() -> load("[proxy]\nosv_refresh_minutes = 0\n", Map.of()))
                .hasMessage(
                        "proxy.osv_refresh_minutes from "
                                + src
                                + " must be between 1 and 10080, not 0");
    }
}
