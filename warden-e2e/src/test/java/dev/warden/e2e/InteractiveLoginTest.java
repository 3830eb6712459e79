package dev.warden.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code npm adduser} and {@code npm login} with the legacy auth type need a terminal: they run
 * here inside tmux and are answered at their prompts (the CouchDB user-document flow).
 */
class InteractiveLoginTest {

    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    /**
     * Runs {@code npm args} in a terminal and answers each prompt in turn; returns the screen when
     * npm has ended.
     */
    private static String interact(Path home, List<String[]> promptsAndAnswers, String... args)
            throws Exception {
        try (Tmux t = new Tmux(home, Clients.env(home, server.url()), args)) {
            for (String[] step : promptsAndAnswers) {
                t.answer(step[0], step[1]);
            }
            return t.waitFor("EXIT=");
        }
    }

    @Test
    void adduserThenLoginAtThePrompts(@TempDir Path dir) throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.writeString(home.resolve(".npmrc"), "registry=" + server.url() + "/\n");
        List<String[]> adduser = new ArrayList<>();
        adduser.add(new String[] {"Username:", "newcomer"});
        adduser.add(new String[] {"Password:", "a-long-password-1"});
        adduser.add(new String[] {"Email", "newcomer@example.com"});
        String screen = interact(home, adduser, "adduser", "--auth-type=legacy");
        assertThat(screen).contains("EXIT=0").contains("Logged in on " + server.url());
        assertThat(Files.readString(home.resolve(".npmrc"))).contains(":_authToken=wdn_");
        Map<String, String> env = Clients.env(home, server.url());
        assertThat(Clients.npm(home, env, "whoami").ok().out().trim()).isEqualTo("newcomer");

        Clients.npm(home, env, "logout").ok();
        List<String[]> login = new ArrayList<>();
        login.add(new String[] {"Username:", "newcomer"});
        login.add(new String[] {"Password:", "a-long-password-1"});
        assertThat(interact(home, login, "login", "--auth-type=legacy")).contains("EXIT=0");
        assertThat(Clients.npm(home, env, "whoami").ok().out().trim()).isEqualTo("newcomer");

        List<String[]> wrong = new ArrayList<>();
        wrong.add(new String[] {"Username:", "newcomer"});
        wrong.add(new String[] {"Password:", "the-wrong-password"});
        assertThat(interact(home, wrong, "login", "--auth-type=legacy"))
                .contains("incorrect user name or password")
                .doesNotContain("EXIT=0");
    }
}
