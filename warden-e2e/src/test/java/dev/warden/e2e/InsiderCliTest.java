package dev.warden.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.testing.Http;
import dev.warden.server.testing.Maintainers;
import dev.warden.server.testing.Tarballs;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The insider's attacks on a governed package, made with the unchanged npm CLI: an org owner making
 * a second account an admin ({@code npm org set}), and a token limited to another package approving
 * a staged release ({@code npm stage approve}). Both fail, and npm says why.
 */
class InsiderCliTest {

    static TestServer server;
    static Maintainers people;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        people = new Maintainers(server, null);
        for (String user : List.of("ins-owner", "ins-peer", "ins-sock")) {
            people.join(user);
        }
        assertThat(
                        people.send(
                                        "POST",
                                        "/-/warden/v1/orgs",
                                        "ins-owner",
                                        Map.of("name", "insiders"),
                                        false)
                                .status())
                .isEqualTo(201);
        people.govern("@insiders/core", Map.of("framework", "two-person"), "ins-owner", "ins-peer");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static Map<String, String> npmAs(Path dir, String user, String token) throws Exception {
        Path home =
                Files.createDirectories(
                        dir.resolve(user + "-" + Integer.toHexString(token.hashCode())));
        Clients.login(home, server.url(), token);
        return Clients.env(home, server.url());
    }

    @Test
    void npmOrgSetCannotMakeAnApproverOfAGovernedPackage(@TempDir Path dir) throws Exception {
        Map<String, String> owner = npmAs(dir, "ins-owner", people.token("ins-owner"));
        Clients.npm(dir, owner, "org", "set", "insiders", "ins-sock", "developer").ok();
        Clients.Run admin =
                Clients.npm(
                        dir,
                        owner,
                        "org",
                        "set",
                        "insiders",
                        "ins-sock",
                        "admin",
                        "--loglevel=notice");
        assertThat(admin.all())
                .contains(
                        "making ins-sock admin of insiders would let ins-sock act on"
                                + " @insiders/core, which is governed")
                .contains("pending as change request");
        assertThat(Clients.npm(dir, owner, "org", "ls", "insiders").ok().out())
                .contains("ins-sock - developer");
    }

    @Test
    void npmStageApproveWithATokenForAnotherPackageIsRefused(@TempDir Path dir) throws Exception {
        Http.Result staged =
                people.send(
                        "PUT",
                        Tarballs.path("@insiders/core"),
                        "ins-owner",
                        Tarballs.publishBody("@insiders/core", "1.1.0"),
                        false);
        assertThat(staged.status()).as(staged.body()).isEqualTo(200);
        String stage = staged.json().path("stageId").asText();
        Http.Result made =
                people.send(
                        "POST",
                        "/-/npm/v1/tokens",
                        "ins-peer",
                        Map.of(
                                "password",
                                TestServer.password("ins-peer"),
                                "packages",
                                List.of("@insiders/other"),
                                "packages_and_scopes_permission",
                                "read-write",
                                "expires",
                                30),
                        true);
        assertThat(made.status()).as(made.body()).isEqualTo(200);
        Map<String, String> limited = npmAs(dir, "ins-peer", made.json().path("token").asText());
        Clients.Run approve =
                Clients.npm(
                        dir, limited, "stage", "approve", stage, "--otp=" + people.otp("ins-peer"));
        assertThat(approve.exit()).isNotZero();
        assertThat(approve.all()).contains("403").contains("limited to other packages");
        assertThat(
                        server.http()
                                .get(Tarballs.path("@insiders/core"))
                                .json()
                                .path("versions")
                                .has("1.1.0"))
                .isFalse();
        // the peer's own full token approves it
        Map<String, String> peer = npmAs(dir, "ins-peer", people.token("ins-peer"));
        Clients.npm(dir, peer, "stage", "approve", stage, "--otp=" + people.otp("ins-peer")).ok();
        assertThat(
                        server.http()
                                .get(Tarballs.path("@insiders/core"))
                                .json()
                                .path("versions")
                                .has("1.1.0"))
                .isTrue();
    }
}
