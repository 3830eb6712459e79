package dev.warden.e2e;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A terminal for CLI prompts that need one: a detached tmux session, read with capture-pane. */
final class Tmux implements AutoCloseable {

    private final String session =
            "warden-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    private final Path cwd;

    /** Starts {@code npm args} with {@code env} in a new session; the pane prints EXIT=<code> when npm ends. */
    Tmux(Path cwd, Map<String, String> env, String... npmArgs) throws Exception {
        this(cwd, env, List.of("npm"), npmArgs);
    }

    /** Starts {@code program args} (any command, as a person types it) in a new session. */
    static Tmux program(Path cwd, Map<String, String> env, String program, String... args)
            throws Exception {
        return new Tmux(cwd, env, List.of(program), args);
    }

    private Tmux(Path cwd, Map<String, String> env, List<String> program, String[] npmArgs)
            throws Exception {
        this.cwd = cwd;
        StringBuilder cmd = new StringBuilder("env");
        env.forEach((k, v) -> cmd.append(' ').append(k).append("='").append(v).append('\''));
        cmd.append(' ').append(program.get(0));
        for (String a : npmArgs) {
            cmd.append(" '").append(a).append('\'');
        }
        cmd.append("; echo EXIT=$?; sleep 120");
        Clients.exec(
                        cwd,
                        Map.of(),
                        List.of(
                                "tmux",
                                "new-session",
                                "-d",
                                "-s",
                                session,
                                "-x",
                                "200",
                                "-y",
                                "50",
                                cmd.toString()),
                        30)
                .ok();
    }

    String screen() throws Exception {
        return Clients.exec(
                        cwd,
                        Map.of(),
                        List.of("tmux", "capture-pane", "-p", "-J", "-t", session, "-S", "-200"),
                        10)
                .out();
    }

    /** Waits until {@code text} is on the screen; returns the screen. */
    String waitFor(String text) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        String screen = "";
        while (System.nanoTime() < deadline) {
            screen = screen();
            if (screen.contains(text)) {
                return screen;
            }
            if (screen.contains("EXIT=") && !text.startsWith("EXIT=")) {
                break;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no \"" + text + "\" on the screen:\n" + screen);
    }

    void type(String text) throws Exception {
        Clients.exec(cwd, Map.of(), List.of("tmux", "send-keys", "-t", session, "-l", text), 10)
                .ok();
        Clients.exec(cwd, Map.of(), List.of("tmux", "send-keys", "-t", session, "Enter"), 10).ok();
    }

    /** Answers {@code prompt} with {@code answer} once it appears. */
    Tmux answer(String prompt, String answer) throws Exception {
        waitFor(prompt);
        type(answer);
        return this;
    }

    @Override
    public void close() throws Exception {
        Clients.exec(cwd, Map.of(), List.of("tmux", "kill-session", "-t", session), 10);
    }
}
