package dev.warden.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.server.testing.Http;
import dev.warden.server.testing.MovableClock;
import dev.warden.server.testing.Outbox;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Phishing defence with the real npm CLI: a publish from an address new to the publisher tells the
 * co-maintainer (whose mail carries a code the verify page vouches for), and once the passkey grace
 * period is over a publish without a passkey is refused with the rule, which npm prints.
 */
class PhishingDefenceCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CODE =
            Pattern.compile("Verification code: ([A-Z0-9]{4}-[A-Z0-9]{4})");

    /** A user whose token was made through a proxy from {@code address}: their usual place. */
    static String tokenFrom(TestServer server, String user, String address) throws Exception {
        Http.Result r =
                server.http()
                        .from(address)
                        .send(
                                "PUT",
                                "/-/user/org.couchdb.user:" + user,
                                null,
                                JSON.writeValueAsBytes(
                                        Map.of(
                                                "name",
                                                user,
                                                "password",
                                                TestServer.password(user),
                                                "email",
                                                user + "@example.com")),
                                Map.of("Content-Type", "application/json"));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().path("token").asText();
    }

    static Map<String, String> npmEnv(Path dir, TestServer server, String user, String token)
            throws Exception {
        Path home = Files.createDirectories(dir.resolve("home-" + user));
        Clients.login(home, server.url(), token);
        return Clients.env(home, server.url());
    }

    static Path release(Path dir, String pkg, String version, String deps) throws Exception {
        return Clients.writePackage(
                dir.resolve(pkg + "-" + version),
                "{\"name\":\""
                        + pkg
                        + "\",\"version\":\""
                        + version
                        + "\""
                        + (deps == null ? "" : ",\"dependencies\":" + deps)
                        + "}",
                Map.of("index.js", "module.exports = 1;\n"));
    }

    @Test
    void aPublishFromANewAddressTellsTheCoMaintainer(@TempDir Path dir) throws Exception {
        try (TestServer server =
                TestServer.start(Map.of("server.trusted_proxies", "[\"127.0.0.1\"]"))) {
            var alice = npmEnv(dir, server, "pd-alice", server.token("pd-alice"));
            // bob usually works from 198.51.100.7; npm reaches the server from 127.0.0.1
            var bob = npmEnv(dir, server, "pd-bob", tokenFrom(server, "pd-bob", "198.51.100.7"));
            Clients.npm(release(dir, "pd-shared", "1.0.0", null), alice, "publish").ok();
            Clients.npm(dir, alice, "owner", "add", "pd-bob", "pd-shared").ok();

            Clients.npm(release(dir, "pd-shared", "1.0.1", null), bob, "publish").ok();

            List<String> told =
                    Outbox.mailTo(server.data(), "pd-alice@example.com").stream()
                            .filter(m -> m.startsWith("Warden: pd-shared was changed by pd-bob"))
                            .toList();
            assertThat(told).hasSize(1);
            assertThat(told.get(0))
                    .contains("Your co-maintainer pd-bob changed pd-shared (package.published)")
                    .contains("using a token from 127.0.0.1")
                    .doesNotContain("/-/web/signin");
            Matcher code = CODE.matcher(told.get(0));
            assertThat(code.find()).isTrue();
            Http.Result verified =
                    server.http()
                            .get(
                                    "/-/web/verify-message?code=" + code.group(1),
                                    null,
                                    Map.of("Accept", "application/json"));
            assertThat(verified.json().path("sent").asBoolean()).isTrue();
            assertThat(verified.json().path("recipient").asText()).isEqualTo("p***@e***.com");
        }
    }

    @Test
    void aPublishWithoutAPasskeyAfterTheGracePeriodIsRefusedAndNpmSaysWhy(@TempDir Path dir)
            throws Exception {
        MovableClock clock = new MovableClock();
        try (TestServer server =
                TestServer.start(
                        Map.of(
                                "awareness.require_passkeys", "high-impact",
                                "awareness.passkey_grace_days", "14",
                                "governance.high_impact_dependents", "1"),
                        clock)) {
            String token = server.token("pd-carol");
            server.enableTwoFactor("pd-carol", token, "auth-only", clock);
            var carol = npmEnv(dir, server, "pd-carol", token);
            Clients.npm(release(dir, "pd-core", "1.0.0", null), carol, "publish").ok();
            Clients.npm(
                            release(dir, "pd-app", "1.0.0", "{\"pd-core\":\"^1.0.0\"}"),
                            carol,
                            "publish")
                    .ok();

            // pd-core is high-impact now: within the grace period, a notice
            Clients.Run during =
                    Clients.npm(
                                    release(dir, "pd-core", "1.0.1", null),
                                    carol,
                                    "publish",
                                    "--loglevel=notice")
                            .ok();
            assertThat(during.all())
                    .contains("warden: add a passkey before")
                    .contains("high-impact packages, and pd-core is one");

            clock.advance(Duration.ofDays(15));
            Clients.Run refused =
                    Clients.npm(release(dir, "pd-core", "1.0.2", null), carol, "publish");
            assertThat(refused.exit()).isNotZero();
            assertThat(refused.all())
                    .contains("403")
                    .contains("a passkey is required to publish")
                    .contains("high-impact packages, and pd-core is one")
                    .contains("Add a passkey on your account page");
            assertThat(Clients.npm(dir, carol, "view", "pd-core", "versions", "--json").ok().out())
                    .contains("1.0.1")
                    .doesNotContain("1.0.2");
            assertThat(
                            Outbox.mailTo(server.data(), "pd-carol@example.com").stream()
                                    .filter(m -> m.startsWith("Warden: add a passkey before"))
                                    .count())
                    .as("reminded when the grace period began, and not by the refusal")
                    .isEqualTo(1);
        }
    }
}
