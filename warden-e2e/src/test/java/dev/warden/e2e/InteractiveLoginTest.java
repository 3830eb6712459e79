package dev.warden.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code npm adduser} and {@code npm login} need a terminal: they run here inside tmux and are
 * answered at their prompts. npm first tries web login, gets a 404 and falls back to the
 * CouchDB user-document flow.
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

    /** Runs {@code npm args} in a tmux pane and answers each prompt in turn; returns the pane's text. */
    private static String interact(Path home, List<String[]> promptsAndAnswers, String... args) throws Exception {
        String session = "warden-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        Map<String, String> env = Clients.env(home, server.url());
        StringBuilder cmd = new StringBuilder("env");
        env.forEach((k, v) -> cmd.append(' ').append(k).append("='").append(v).append('\''));
        cmd.append(" npm");
        for (String a : args) {
            cmd.append(" '").append(a).append('\'');
        }
        cmd.append("; echo EXIT=$?; sleep 60");
        Clients.exec(home, Map.of(), List.of("tmux", "new-session", "-d", "-s", session, "-x", "200", "-y", "50", cmd.toString()), 30).ok();
        try {
            String screen = "";
            for (String[] step : promptsAndAnswers) {
                screen = waitFor(session, step[0]);
                Clients.exec(home, Map.of(), List.of("tmux", "send-keys", "-t", session, "-l", step[1]), 10).ok();
                Clients.exec(home, Map.of(), List.of("tmux", "send-keys", "-t", session, "Enter"), 10).ok();
            }
            return waitFor(session, "EXIT=");
        } finally {
            Clients.exec(home, Map.of(), List.of("tmux", "kill-session", "-t", session), 10);
        }
    }

    private static String waitFor(String session, String text) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        String screen = "";
        while (System.nanoTime() < deadline) {
            screen = Clients.exec(Path.of("."), Map.of(), List.of("tmux", "capture-pane", "-p", "-t", session, "-S", "-100"), 10).out();
            if (screen.contains(text)) {
                return screen;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no \"" + text + "\" on the screen:\n" + screen);
    }

    @Test
    void adduserThenLoginAtThePrompts(@TempDir Path dir) throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.writeString(home.resolve(".npmrc"), "registry=" + server.url() + "/\n");
        List<String[]> adduser = new ArrayList<>();
        adduser.add(new String[] {"Username:", "newcomer"});
        adduser.add(new String[] {"Password:", "a-long-password-1"});
        adduser.add(new String[] {"Email", "newcomer@example.com"});
        String screen = interact(home, adduser, "adduser");
        assertThat(screen).contains("EXIT=0").contains("Logged in on " + server.url());
        assertThat(Files.readString(home.resolve(".npmrc"))).contains(":_authToken=wdn_");
        Map<String, String> env = Clients.env(home, server.url());
        assertThat(Clients.npm(home, env, "whoami").ok().out().trim()).isEqualTo("newcomer");

        Clients.npm(home, env, "logout").ok();
        List<String[]> login = new ArrayList<>();
        login.add(new String[] {"Username:", "newcomer"});
        login.add(new String[] {"Password:", "a-long-password-1"});
        assertThat(interact(home, login, "login")).contains("EXIT=0");
        assertThat(Clients.npm(home, env, "whoami").ok().out().trim()).isEqualTo("newcomer");

        List<String[]> wrong = new ArrayList<>();
        wrong.add(new String[] {"Username:", "newcomer"});
        wrong.add(new String[] {"Password:", "the-wrong-password"});
        assertThat(interact(home, wrong, "login")).contains("incorrect user name or password").doesNotContain("EXIT=0");
    }
}
