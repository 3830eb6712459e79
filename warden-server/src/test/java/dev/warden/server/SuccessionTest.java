package dev.warden.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.server.testing.Authenticator;
import dev.warden.server.testing.Http;
import dev.warden.server.testing.MovableClock;
import dev.warden.server.testing.Outbox;
import dev.warden.server.testing.Tarballs;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The succession timeline on a controllable clock: notice, objection window, offer, acceptance; and
 * claims.
 */
class SuccessionTest {

    static final ObjectMapper JSON = new ObjectMapper();

    MovableClock clock;
    TestServer server;
    Http http;
    Map<String, String> tokens = new HashMap<>();
    Map<String, Authenticator> apps = new HashMap<>();

    @BeforeEach
    void start() throws Exception {
        clock = new MovableClock();
        server =
                TestServer.start(
                        Map.of("governance.inactive_days", "365", "governance.notice_days", "30"),
                        clock);
        http = server.http();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    void user(String name) throws Exception {
        tokens.put(name, server.token(name));
        apps.put(name, server.enableTwoFactor(name, tokens.get(name), "auth-only", clock));
    }

    Http.Result send(String method, String path, String user, Object body, boolean otp)
            throws Exception {
        Map<String, String> headers = new HashMap<>();
        headers.put("Content-Type", "application/json");
        if (otp) {
            headers.put("npm-otp", apps.get(user).next());
        }
        return http.send(
                method,
                path,
                user == null ? null : tokens.get(user),
                body == null ? null : JSON.writeValueAsBytes(body),
                headers);
    }

    List<String> maintainersOf(String pkg) throws Exception {
        List<String> out = new ArrayList<>();
        http.get("/-/package/" + pkg + "/collaborators")
                .json()
                .fieldNames()
                .forEachRemaining(out::add);
        return out;
    }

    /** Messages sent to {@code user} that contain {@code text}. */
    long mails(String user, String text) throws Exception {
        return Outbox.mailTo(server.data(), user + "@example.com").stream()
                .filter(m -> m.contains(text))
                .count();
    }

    JsonNode openNotice(String pkg) throws Exception {
        for (JsonNode n : http.get("/-/succession/notices").json()) {
            if (n.path("package").asText().equals(pkg)) {
                return n;
            }
        }
        return null;
    }

    @Test
    void aNamedSuccessorTakesOverAnInactivePackageAfterAPublicNoticeNobodyObjectedTo()
            throws Exception {
        user("old-maint");
        user("heir");
        assertThat(
                        send(
                                        "PUT",
                                        Tarballs.path("heir-pkg"),
                                        "old-maint",
                                        Tarballs.publishBody("heir-pkg", "1.0.0"),
                                        false)
                                .status())
                .isEqualTo(200);
        String successors = "/-/package/heir-pkg/successors";
        assertThat(
                        send(
                                        "PUT",
                                        successors,
                                        "old-maint",
                                        Map.of("successors", List.of("heir")),
                                        false)
                                .status())
                .isEqualTo(401);
        assertThat(
                        send("PUT", successors, "heir", Map.of("successors", List.of("heir")), true)
                                .status())
                .isEqualTo(403);
        for (Object bad :
                List.of(
                        Map.of("successors", "heir"),
                        Map.of("successors", List.of(1)),
                        Map.of("heirs", List.of("heir")),
                        Map.of("successors", List.of("heir", "heir")),
                        Map.of("successors", List.of("old-maint")),
                        Map.of("successors", List.of("ghost")))) {
            assertThat(send("PUT", successors, "old-maint", bad, true).status())
                    .as(bad.toString())
                    .isIn(400, 404);
        }
        assertThat(http.get("/-/package/heir-pkg/succession").json().path("successors")).isEmpty();
        assertThat(
                        send(
                                        "PUT",
                                        successors,
                                        "old-maint",
                                        Map.of("successors", List.of("heir")),
                                        true)
                                .status())
                .isEqualTo(200);
        assertThat(
                        http.get("/-/package/heir-pkg/succession")
                                .json()
                                .path("successors")
                                .get(0)
                                .asText())
                .isEqualTo("heir");

        // active maintainers: no notice
        clock.advance(Duration.ofDays(200));
        server.server().registry().succession().sweep();
        assertThat(openNotice("heir-pkg")).isNull();

        clock.advance(Duration.ofDays(170));
        server.server().registry().succession().sweep();
        JsonNode notice = openNotice("heir-pkg");
        assertThat(notice).isNotNull();
        assertThat(notice.path("state").asText()).isEqualTo("notice");
        assertThat(mails("old-maint", "public notice about heir-pkg")).isEqualTo(1);
        String id = notice.path("id").asText();
        Http.Result early = send("POST", "/-/succession/" + id + "/accept", "heir", null, true);
        assertThat(early.status()).isEqualTo(409);
        assertThat(early.error()).contains("notice period");

        clock.advance(Duration.ofDays(31));
        server.server().registry().succession().sweep();
        assertThat(openNotice("heir-pkg").path("state").asText()).isEqualTo("offered");
        assertThat(mails("heir", "offered maintainership of heir-pkg")).isEqualTo(1);
        user("stranger");
        assertThat(send("POST", "/-/succession/" + id + "/accept", "stranger", null, true).status())
                .isEqualTo(403);
        assertThat(send("POST", "/-/succession/" + id + "/accept", "heir", null, false).status())
                .isEqualTo(401);
        assertThat(maintainersOf("heir-pkg")).containsExactly("old-maint");
        Http.Result accepted = send("POST", "/-/succession/" + id + "/accept", "heir", null, true);
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
        assertThat(maintainersOf("heir-pkg")).containsExactlyInAnyOrder("old-maint", "heir");
        assertThat(send("POST", "/-/succession/" + id + "/accept", "heir", null, true).status())
                .isEqualTo(409);
        JsonNode record = http.get("/-/package/heir-pkg/succession").json();
        assertThat(record.path("notices").get(0).path("state").asText()).isEqualTo("accepted");
    }

    @Test
    void aMaintainersObjectionEndsTheNoticeAndClaimsOfAbandonedPackagesWaitForTheirWindow()
            throws Exception {
        user("keeper");
        user("successor");
        user("claimant");
        for (String pkg : List.of("kept-pkg", "abandoned-pkg")) {
            assertThat(
                            send(
                                            "PUT",
                                            Tarballs.path(pkg),
                                            "keeper",
                                            Tarballs.publishBody(pkg, "1.0.0"),
                                            false)
                                    .status())
                    .isEqualTo(200);
        }
        send(
                "PUT",
                "/-/package/kept-pkg/successors",
                "keeper",
                Map.of("successors", List.of("successor")),
                true);

        Http.Result tooEarly =
                send("POST", "/-/package/abandoned-pkg/claim", "claimant", null, true);
        assertThat(tooEarly.status()).isEqualTo(409);
        assertThat(tooEarly.error()).contains("is maintained");

        clock.advance(Duration.ofDays(366));
        server.server().registry().succession().sweep();
        String id = openNotice("kept-pkg").path("id").asText();
        assertThat(send("POST", "/-/succession/" + id + "/object", "claimant", null, true).status())
                .isEqualTo(403);
        assertThat(send("POST", "/-/succession/" + id + "/object", "keeper", null, true).status())
                .isEqualTo(200);
        assertThat(send("POST", "/-/package/kept-pkg/claim", "claimant", null, true).status())
                .isEqualTo(409); // has a successor
        clock.advance(Duration.ofDays(31));
        server.server().registry().succession().sweep();
        assertThat(openNotice("kept-pkg"))
                .isNull(); // the objection counts as activity: no new notice
        assertThat(maintainersOf("kept-pkg")).containsExactly("keeper");

        // the keeper is active again (objected), so a claim must wait for another inactive year
        assertThat(send("POST", "/-/package/abandoned-pkg/claim", "claimant", null, true).status())
                .isEqualTo(409);
        clock.advance(Duration.ofDays(366));
        Http.Result claim = send("POST", "/-/package/abandoned-pkg/claim", "claimant", null, true);
        assertThat(claim.status()).as(claim.body()).isEqualTo(200);
        assertThat(send("POST", "/-/package/abandoned-pkg/claim", "claimant", null, true).status())
                .isEqualTo(409);
        assertThat(mails("keeper", "claimant asks to take over abandoned-pkg")).isEqualTo(1);
        clock.advance(Duration.ofDays(29));
        server.server().registry().succession().sweep();
        assertThat(maintainersOf("abandoned-pkg")).containsExactly("keeper");
        clock.advance(Duration.ofDays(2));
        server.server().registry().succession().sweep();
        assertThat(maintainersOf("abandoned-pkg")).containsExactlyInAnyOrder("keeper", "claimant");
    }
}
