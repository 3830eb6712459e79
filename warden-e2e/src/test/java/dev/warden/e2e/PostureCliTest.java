package dev.warden.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The posture as a person meets it in a terminal: the real npm CLI prints the nudge after {@code
 * npm login}, {@code npm publish} and {@code npm token create} (once each, and never after a read),
 * and {@code warden doctor} prints the checklist, in tmux and as a plain process for its exit
 * codes.
 */
class PostureCliTest {

    static final String NUDGE = "warden: next security step";
    static final Path JAR =
            Path.of("..", "warden-cli", "target", "warden.jar").toAbsolutePath().normalize();
    static final Path LAUNCHER = Path.of("..", "warden").toAbsolutePath().normalize();

    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    /** npm as a person runs it: notices shown (npm's default log level). */
    static Map<String, String> env(Path home) {
        Map<String, String> env = new HashMap<>(Clients.env(home, server.url()));
        env.put("npm_config_loglevel", "notice");
        return env;
    }

    static int count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    @Test
    void npmPrintsTheNudgeAfterLoginPublishAndTokenCreateAndNoneAfterReads(@TempDir Path dir)
            throws Exception {
        server.token("nia"); // the account exists; npm logs in to it at the prompts
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.writeString(home.resolve(".npmrc"), "registry=" + server.url() + "/\n");
        String screen;
        try (Tmux t = new Tmux(home, env(home), "login", "--auth-type=legacy")) {
            t.answer("Username:", "nia");
            t.answer("Password:", TestServer.password("nia"));
            screen = t.waitFor("EXIT=");
        }
        assertThat(screen).contains("EXIT=0");
        assertThat(screen)
                .contains(
                        "npm notice "
                                + NUDGE
                                + " (important): Turn on two-factor authentication: account nia"
                                + " signs in and publishes with a password alone");
        assertThat(count(screen, NUDGE)).isEqualTo(1);

        Map<String, String> env = env(home);
        Path pkg =
                Clients.writePackage(
                        dir.resolve("nia-pkg"),
                        "{\"name\":\"nia-pkg\",\"version\":\"1.0.0\"}",
                        Map.of("index.js", "module.exports = 1;\n"));
        Clients.Run published = Clients.npm(pkg, env, "publish");
        assertThat(published.exit()).as(published.err()).isZero();
        assertThat(published.err()).contains("npm notice " + NUDGE + " (important)");
        assertThat(count(published.err() + published.out(), NUDGE)).isEqualTo(1);

        Clients.Run token =
                Clients.npm(
                        home,
                        env,
                        "token",
                        "create",
                        "--password=" + TestServer.password("nia"),
                        "--name=reader");
        assertThat(token.exit()).as(token.err()).isZero();
        assertThat(count(token.err() + token.out(), NUDGE)).isEqualTo(1);

        Path consumer =
                Clients.writePackage(
                        dir.resolve("consumer"),
                        "{\"name\":\"consumer\",\"version\":\"1.0.0\"}",
                        Map.of());
        Clients.Run view = Clients.npm(consumer, env, "view", "nia-pkg", "version");
        assertThat(view.ok().out().trim()).isEqualTo("1.0.0");
        assertThat(view.err() + view.out()).doesNotContain("warden:");
        Clients.Run install = Clients.npm(consumer, env, "install", "nia-pkg");
        assertThat(install.exit()).as(install.err()).isZero();
        assertThat(install.err() + install.out()).doesNotContain("warden:");
    }

    @Test
    void doctorPrintsTheChecklistInATerminalAndExitsByWhatIsOpen(@TempDir Path dir)
            throws Exception {
        String token = server.token("dora");
        Path home = Files.createDirectories(dir.resolve("home"));
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put("WARDEN_SKIP_BUILD", "1");
        env.put("WARDEN_REGISTRY", server.url());
        env.put("WARDEN_TOKEN", token);
        String screen;
        try (Tmux t = Tmux.program(home, env, LAUNCHER.toString(), "doctor")) {
            screen = t.waitFor("EXIT=");
        }
        assertThat(screen)
                .contains("Security checklist for dora: score ")
                .contains("[ ] IMPORTANT   Turn on two-factor authentication")
                .contains("fix: npm profile enable-2fa auth-and-writes")
                .contains("[x] done        Review held releases")
                .contains("Important steps are open: fix them and run warden doctor again.")
                .contains("EXIT=1");

        // as a plain process: the exit codes
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> doctor = new ArrayList<>(List.of(java, "-jar", JAR.toString(), "doctor"));
        Clients.Run open = Clients.exec(home, env, doctor, 60);
        assertThat(open.exit()).isEqualTo(1);

        // with 2FA on for writes, only recommended steps are left
        server.enableTwoFactor("dora", token, "auth-and-writes");
        Clients.Run fine = Clients.exec(home, env, doctor, 60);
        assertThat(fine.exit()).as(fine.out()).isZero();
        assertThat(fine.out()).endsWith("No important step is open.\n");

        Map<String, String> badToken = new HashMap<>(env);
        badToken.put("WARDEN_TOKEN", "wdn_not-a-token");
        Clients.Run refused = Clients.exec(home, badToken, doctor, 60);
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err()).startsWith("warden doctor: the registry refused the token");

        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Map<String, String> down = new HashMap<>(env);
        down.put("WARDEN_REGISTRY", "http://127.0.0.1:" + closed);
        Clients.Run unreachable = Clients.exec(home, down, doctor, 60);
        assertThat(unreachable.exit()).isEqualTo(2);
        assertThat(unreachable.err()).startsWith("warden doctor: cannot reach the registry");
    }
}
