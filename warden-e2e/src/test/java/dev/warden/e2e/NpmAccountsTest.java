package dev.warden.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

import dev.warden.server.testing.Authenticator;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * npm profile enable-2fa / disable-2fa, publish --otp, npm token and npm access set mfa, with the
 * real CLI.
 */
class NpmAccountsTest {

    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static Path home(Path dir, String user) throws Exception {
        Path home = Files.createDirectories(dir.resolve(user));
        Clients.login(home, server.url(), server.token(user));
        return home;
    }

    /**
     * Runs npm profile enable-2fa in a terminal, answering with the secret it shows; returns the
     * authenticator.
     */
    private static Authenticator enable2fa(Path home, String user, String mode) throws Exception {
        try (Tmux t =
                new Tmux(home, Clients.env(home, server.url()), "profile", "enable-2fa", mode)) {
            t.answer("npm password:", TestServer.password(user));
            String screen = t.waitFor("And an OTP code from your authenticator:");
            Matcher m = Pattern.compile("Or enter code: *([A-Z2-7]+)").matcher(screen);
            assertThat(m.find()).withFailMessage("no secret on screen:\n%s", screen).isTrue();
            Authenticator app = Authenticator.ofSecret(m.group(1));
            t.type(app.next());
            String done = t.waitFor("EXIT=");
            assertThat(done).contains("2FA successfully enabled").contains("EXIT=0");
            assertThat(Pattern.compile("\\s[0-9a-f]{64}").matcher(done).find()).isTrue();
            return app;
        }
    }

    private static Path pkg(Path dir, String name, String version) throws Exception {
        return Clients.writePackage(
                dir.resolve(name + "-" + version),
                "{\"name\":\"" + name + "\",\"version\":\"" + version + "\"}",
                Map.of("index.js", "module.exports = 1;\n"));
    }

    @Test
    void enable2faThenPublishNeedsAnOtp(@TempDir Path dir) throws Exception {
        Path home = home(dir, "otto");
        Map<String, String> env = Clients.env(home, server.url());
        Authenticator app = enable2fa(home, "otto", "auth-and-writes");
        assertThat(Clients.npm(home, env, "profile", "get", "two-factor auth").ok().out().trim())
                .isEqualTo("auth-and-writes");

        Clients.Run without = Clients.npm(pkg(dir, "otto-lib", "1.0.0"), env, "publish");
        assertThat(without.exit()).isNotZero();
        assertThat(without.err()).contains("EOTP");
        assertThat(
                        Clients.npm(
                                        pkg(dir, "otto-lib", "1.0.0"),
                                        env,
                                        "publish",
                                        "--otp=" + app.next())
                                .ok()
                                .all())
                .contains("+ otto-lib@1.0.0");

        // npm unpublish sends two writes with the one --otp: both pass
        Clients.npm(pkg(dir, "otto-lib", "1.0.1"), env, "publish", "--otp=" + app.next()).ok();
        assertThat(
                        Clients.npm(home, env, "unpublish", "otto-lib@1.0.1", "--otp=" + app.next())
                                .ok()
                                .out())
                .contains("- otto-lib@1.0.1");
        // the same code from another credential is refused
        String used = app.codeFor(app.lastStep());
        Path otherHome = Files.createDirectories(dir.resolve("otto-2"));
        Clients.login(
                otherHome,
                server.url(),
                server.server()
                        .accounts()
                        .issue("otto", false, null, java.util.List.of())
                        .secret());
        Clients.Run replay =
                Clients.npm(
                        pkg(dir, "otto-lib", "1.0.2"),
                        Clients.env(otherHome, server.url()),
                        "publish",
                        "--otp=" + used);
        assertThat(replay.exit()).isNotZero();

        // In a terminal npm takes the web OTP flow: it shows the approval page's URL and polls.
        try (Tmux t = new Tmux(home, env, "profile", "disable-2fa")) {
            t.answer("npm password:", TestServer.password("otto"));
            String screen = t.waitFor("Authenticate your account at:");
            Matcher url = Pattern.compile("(http://\\S+/-/web/otp/[0-9a-f]+)").matcher(screen);
            assertThat(url.find())
                    .withFailMessage("no approval URL on screen:%n%s", screen)
                    .isTrue();
            assertThat(
                            FormBrowser.submit(url.group(1), Map.of("otp", app.next()), true)
                                    .statusCode())
                    .isEqualTo(200);
            assertThat(t.waitFor("EXIT="))
                    .contains("Two factor authentication disabled.")
                    .contains("EXIT=0");
        }
        Clients.npm(pkg(dir, "otto-lib", "1.0.3"), env, "publish").ok();
    }

    @Test
    void tokensWithLimits(@TempDir Path dir) throws Exception {
        Path home = home(dir, "tina");
        Map<String, String> env = Clients.env(home, server.url());
        Clients.npm(pkg(dir, "tina-a", "1.0.0"), env, "publish").ok();
        Clients.npm(pkg(dir, "tina-b", "1.0.0"), env, "publish").ok();
        Clients.Run created =
                Clients.npm(
                        home,
                        env,
                        "token",
                        "create",
                        "--password=" + TestServer.password("tina"),
                        "--name=ci",
                        "--packages=tina-a",
                        "--packages-and-scopes-permission=read-write",
                        "--expires=30",
                        "--json");
        JsonNode token = TestServer.parse(created.ok().out());
        String secret = token.path("token").asText();
        assertThat(secret).startsWith("wdn_");

        Path ciHome = Files.createDirectories(dir.resolve("ci"));
        Clients.login(ciHome, server.url(), secret);
        Map<String, String> ciEnv = Clients.env(ciHome, server.url());
        Clients.npm(pkg(dir, "tina-a", "1.0.1"), ciEnv, "publish").ok();
        Clients.Run refused = Clients.npm(pkg(dir, "tina-b", "1.0.1"), ciEnv, "publish");
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.err()).contains("403").contains("limited to other packages");

        String list = Clients.npm(home, env, "token", "list").ok().out();
        assertThat(list).contains("name ci");
        JsonNode listed =
                TestServer.parse(Clients.npm(home, env, "token", "list", "--json").ok().out());
        String key = null;
        for (JsonNode t : listed) {
            if ("ci".equals(t.path("name").asText())) {
                key = t.path("key").asText();
            }
        }
        assertThat(key).isNotNull();
        assertThat(Clients.npm(home, env, "token", "revoke", key.substring(0, 8)).ok().out())
                .contains("Removed 1 token");
        assertThat(Clients.npm(ciHome, ciEnv, "whoami").exit()).isNotZero();
    }

    @Test
    void accessSetMfaPublish(@TempDir Path dir) throws Exception {
        Path home = home(dir, "mona");
        Map<String, String> env = Clients.env(home, server.url());
        Clients.npm(pkg(dir, "mona-lib", "1.0.0"), env, "publish").ok();
        Authenticator app = enable2fa(home, "mona", "auth-only");
        assertThat(Clients.npm(home, env, "access", "set", "mfa=publish", "mona-lib").exit())
                .isNotZero();
        Clients.npm(home, env, "access", "set", "mfa=publish", "mona-lib", "--otp=" + app.next())
                .ok();
        Clients.Run without = Clients.npm(pkg(dir, "mona-lib", "1.0.1"), env, "publish");
        assertThat(without.exit()).isNotZero();
        assertThat(without.err()).contains("EOTP");
        Clients.npm(pkg(dir, "mona-lib", "1.0.1"), env, "publish", "--otp=" + app.next()).ok();
        Clients.npm(home, env, "access", "set", "mfa=none", "mona-lib", "--otp=" + app.next()).ok();
        Clients.npm(pkg(dir, "mona-lib", "1.0.2"), env, "publish").ok();
    }
}
