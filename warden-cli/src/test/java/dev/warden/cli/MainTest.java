package dev.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The command's entry point, run in a child JVM as an operator runs it: a mistake is one line and
 * status 2.
 */
class MainTest {

    record Exit(int status, String out, String err) {}

    static Exit warden(Path cwd, Map<String, String> env, String... args) throws Exception {
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                ProcessHandle.current().info().command().orElse("java"),
                                "--enable-native-access=ALL-UNNAMED",
                                "-cp",
                                System.getProperty("java.class.path"),
                                Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("WARDEN_"));
        pb.environment().putAll(env);
        Path out = cwd.resolve("out.txt");
        Path err = cwd.resolve("err.txt");
        Process p =
                pb.redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("warden " + String.join(" ", args) + " did not end");
        }
        return new Exit(
                p.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    static void assertOneLine(Exit exit, String line) {
        assertThat(exit.status()).as(exit.err()).isEqualTo(2);
        assertThat(exit.err())
                .isEqualTo(line + "\n")
                .doesNotContain("Exception")
                .doesNotContain("at dev.warden");
    }

    @Test
    void aMalformedConfigFileIsOneLineWithItsPathAndPosition(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("warden.toml"), "[server]\nport = \n");
        assertOneLine(
                warden(dir, Map.of(), "serve", "--data", dir.resolve("data").toString()),
                "warden: config file warden.toml is not valid TOML at line 2, column 8: Newline not"
                        + " permitted here");
    }

    @Test
    void anUnknownSettingInTheFileIsOneLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("site.toml");
        Files.writeString(file, "[storage]\ndta = \"/srv\"\n");
        assertOneLine(
                warden(dir, Map.of(), "serve", "--config", file.toString()),
                "warden: unknown setting storage.dta in config file "
                        + file
                        + " (did you mean storage.data?)");
    }

    @Test
    void aWrongValueInTheEnvironmentIsOneLine(@TempDir Path dir) throws Exception {
        assertOneLine(
                warden(dir, Map.of("WARDEN_SERVER_PORT", "http"), "serve"),
                "warden: server.port from environment variable WARDEN_SERVER_PORT must be a number"
                        + " (an integer), not \"http\"");
        assertOneLine(
                warden(
                        dir,
                        Map.of(),
                        "user-invite",
                        "bob",
                        "--email",
                        "b@example.com",
                        "--port",
                        "70000"),
                "warden: server.port from flag --port must be between 0 and 65535, not 70000");
    }

    @Test
    void anUnknownFlagIsOneLineWithASuggestion(@TempDir Path dir) throws Exception {
        assertOneLine(
                warden(dir, Map.of(), "serve", "--prot", "8080"),
                "warden: Unknown options: '--prot', '8080'; did you mean --port? (see warden serve"
                        + " --help)");
        assertOneLine(
                warden(dir, Map.of(), "serv"),
                "warden: Unmatched argument at index 0: 'serv'; did you mean serve? (see warden"
                        + " --help)");
    }
}
