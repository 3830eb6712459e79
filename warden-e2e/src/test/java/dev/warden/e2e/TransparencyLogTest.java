package dev.warden.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

import dev.warden.log.KeyFiles;
import dev.warden.log.Note;
import dev.warden.log.NoteKey;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The log end to end: changes made with the real npm CLI are checked by an independent verifier
 * that reads only the tiles API (written from the C2SP specs, in JavaScript), a separate {@code
 * warden witness} process cosigns the checkpoints, and {@code warden log monitor} reports a publish
 * to a watched package.
 */
class TransparencyLogTest {

    static final Path JAR = CrashDurabilityTest.JAR;
    static final Path VERIFIER =
            Path.of("src", "test", "resources", "tlog-verify", "verify.mjs").toAbsolutePath();
    static final String ORIGIN = "registry.e2e/-/log";

    static Clients.Run java(Path cwd, String... args) throws Exception {
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                ProcessHandle.current().info().command().orElse("java"),
                                "--enable-native-access=ALL-UNNAMED",
                                "-jar",
                                JAR.toString()));
        cmd.addAll(List.of(args));
        return Clients.exec(cwd, Map.of(), cmd, 120);
    }

    /**
     * Starts {@code warden witness} on a free port; returns the process and its first output line.
     */
    static Map.Entry<Process, String> startWitness(Path state, String logVkey) throws Exception {
        Process p =
                new ProcessBuilder(
                                ProcessHandle.current().info().command().orElse("java"),
                                "--enable-native-access=ALL-UNNAMED",
                                "-jar",
                                JAR.toString(),
                                "witness",
                                "--listen",
                                "127.0.0.1:0",
                                "--name",
                                "witness.e2e",
                                "--state",
                                state.toString(),
                                "--log",
                                logVkey)
                        .redirectErrorStream(true)
                        .start();
        BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("witness ")) {
                Thread drain =
                        new Thread(
                                () -> {
                                    try {
                                        out.transferTo(java.io.Writer.nullWriter());
                                    } catch (java.io.IOException ignored) {
                                        // process ended
                                    }
                                });
                drain.setDaemon(true);
                drain.start();
                return Map.entry(p, line);
            }
        }
        throw new AssertionError("warden witness did not start");
    }

    /**
     * The verifier itself, against tiled trees it builds its own way, including tampered ones it
     * must reject.
     */
    @Test
    void theIndependentVerifierRejectsWhatItShould(@TempDir Path dir) throws Exception {
        Clients.Run r = Clients.node(dir, Map.of(), VERIFIER.resolveSibling("selftest.mjs"));
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).containsPattern("[1-9][0-9]* passed, 0 failed");
    }

    @Test
    void npmChangesAreVerifiedIndependentlyWitnessedAndMonitored(@TempDir Path dir)
            throws Exception {
        assertThat(JAR).exists();
        NoteKey.Signer logKey =
                KeyFiles.loadOrCreate(dir.resolve("log.key"), ORIGIN, NoteKey.ED25519);
        Map.Entry<Process, String> witness =
                startWitness(dir.resolve("witness"), logKey.verifier().vkey());
        try {
            String[] words = witness.getValue().split(" ");
            String witnessVkey = words[1];
            String witnessUrl = "http://" + words[words.length - 1] + "/";
            try (TestServer server =
                    TestServer.start(
                            Map.of(
                                    "tlog.origin",
                                    ORIGIN,
                                    "tlog.key_file",
                                    dir.resolve("log.key").toString(),
                                    "tlog.witnesses",
                                    witnessVkey + "@" + witnessUrl))) {
                run(server, dir, logKey, NoteKey.parseVerifier(witnessVkey));
            }
        } finally {
            witness.getKey().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void run(
            TestServer server, Path dir, NoteKey.Signer logKey, NoteKey.Verifier witnessKey)
            throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Map<String, String> env = Clients.env(home, server.url());
        Clients.login(home, server.url(), server.token("maintainer"));
        String other = server.token("other");
        List<Path> checkpoints = new ArrayList<>();
        List<Long> indexes = new ArrayList<>();

        Path pkg =
                Clients.writePackage(
                        dir.resolve("pkg"),
                        "{\"name\":\"logged-e2e\",\"version\":\"1.0.0\"}",
                        Map.of("index.js", "1\n"));
        Clients.npm(pkg, env, "publish").ok();
        checkpoints.add(saveCheckpoint(server, dir, checkpoints.size()));
        Clients.writePackage(
                pkg, "{\"name\":\"logged-e2e\",\"version\":\"1.1.0\"}", Map.of("index.js", "2\n"));
        Clients.npm(pkg, env, "publish").ok();
        Clients.npm(home, env, "dist-tag", "add", "logged-e2e@1.0.0", "stable").ok();
        checkpoints.add(saveCheckpoint(server, dir, checkpoints.size()));
        Clients.npm(home, env, "owner", "add", "other", "logged-e2e").ok();
        Clients.npm(home, env, "unpublish", "logged-e2e@1.1.0", "--force").ok();
        checkpoints.add(saveCheckpoint(server, dir, checkpoints.size()));

        JsonNode doc = server.http().get("/logged-e2e").json();
        indexes.add(doc.path("versions").path("1.0.0").path("_log").path("index").asLong(-1));
        assertThat(indexes.get(0)).isNotNegative();

        // The independent verifier: tiles, root, sampled inclusions, consistency with every earlier
        // checkpoint.
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--url",
                                server.url() + "/-/log/",
                                "--key",
                                logKey.verifier().vkey(),
                                "--sample",
                                "8"));
        for (Path cp : checkpoints) {
            args.add("--old");
            args.add(cp.toString());
        }
        args.add("--entry");
        args.add(Long.toString(indexes.get(0)));
        Clients.Run verified = Clients.node(dir, Map.of(), VERIFIER, args.toArray(String[]::new));
        assertThat(verified.exit()).as(verified.all()).isZero();
        long size = server.server().transparencyLog().snapshot().size();
        assertThat(verified.out()).contains("OK size=" + size);

        // warden log monitor reports the changes to the watched package, by whom.
        JsonNode info = server.http().get("/-/log").json();
        Path state = dir.resolve("monitor.json");
        String[] monitor = {
            "log",
            "monitor",
            "--log",
            server.url() + "/-/log/",
            "--key",
            info.path("key").asText(),
            "--registry-key",
            info.path("registryKey").asText(),
            "--package",
            "logged-e2e",
            "--state",
            state.toString(),
            "--once"
        };
        Clients.Run first = java(dir, monitor);
        assertThat(first.exit()).as(first.all()).isZero();
        assertThat(first.out())
                .contains("package.published logged-e2e@1.0.0 by maintainer")
                .contains("dist-tag.set logged-e2e@1.0.0 by maintainer")
                .contains("package.owners-changed logged-e2e by maintainer")
                .contains("package.unpublished logged-e2e by maintainer")
                .contains("verified 0 -> ");
        var r =
                server.http()
                        .put(
                                "/logged-e2e",
                                other,
                                dev.warden.server.testing.Tarballs.publishBody(
                                        "logged-e2e", "6.6.6"));
        assertThat(r.status()).isEqualTo(200);
        Clients.Run second = java(dir, monitor);
        assertThat(second.exit()).as(second.all()).isZero();
        assertThat(second.out())
                .contains("package.published logged-e2e@6.6.6 by other")
                .doesNotContain("1.0.0 by maintainer");

        // The separate witness process cosigns the checkpoint the registry serves.
        long deadline = System.currentTimeMillis() + 20_000;
        while (true) {
            Note note = Note.parse(server.http().get("/-/log/checkpoint").body());
            boolean cosigned =
                    note.signatures().stream()
                            .anyMatch(
                                    s ->
                                            s.name().equals("witness.e2e")
                                                    && dev.warden.log.Cosignature.verify(
                                                                    witnessKey, note.text(), s)
                                                            > 0);
            if (cosigned
                    && note.text()
                            .contains(
                                    "\n"
                                            + server.server().transparencyLog().snapshot().size()
                                            + "\n")) {
                break;
            }
            assertThat(System.currentTimeMillis()).as("a cosigned checkpoint").isLessThan(deadline);
            Thread.sleep(250);
        }
    }

    private static Path saveCheckpoint(TestServer server, Path dir, int n) throws Exception {
        Path f = dir.resolve("checkpoint-" + n);
        Files.writeString(f, server.http().get("/-/log/checkpoint").body(), StandardCharsets.UTF_8);
        return f;
    }
}
