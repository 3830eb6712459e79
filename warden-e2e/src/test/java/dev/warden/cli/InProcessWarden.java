package dev.warden.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * Runs a {@code warden} command in the test's JVM, for fixtures that run it many times (a JVM start
 * per publish would dominate their time); tests of a command itself run warden.jar.
 */
public final class InProcessWarden {

    /** A finished command: its status and what it printed. */
    public record Result(int exit, String out, String err) {}

    private InProcessWarden() {}

    public static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setExecutionExceptionHandler(
                (e, cmd, parsed) -> {
                    e.printStackTrace(cmd.getErr());
                    return 1;
                });
        int exit = cli.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }
}
