package dev.warden.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.server.testing.Http;
import dev.warden.server.testing.MovableClock;
import dev.warden.server.testing.Outbox;
import dev.warden.server.testing.Tarballs;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A change to a package within hours of a token use from a new address tells the co-maintainers,
 * once per address and package.
 */
class CoMaintainerAlertTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUBJECT =
            "Warden: shared-pkg was changed by bob from a new address";

    MovableClock clock;
    TestServer server;
    Http http;
    String alice;
    String bob;

    @BeforeEach
    void start() throws Exception {
        clock = new MovableClock();
        server = TestServer.start(Map.of("server.trusted_proxies", "[\"127.0.0.1\"]"), clock);
        http = server.http();
        alice = server.token("alice");
        bob = server.token("bob");
        assertThat(publish(http, alice, "1.0.0").status()).isEqualTo(200);
        JsonNode doc = http.get("/shared-pkg?write=true", alice, Map.of()).json();
        ((ObjectNode) doc)
                .set(
                        "maintainers",
                        JSON.valueToTree(
                                List.of(
                                        Map.of("name", "alice", "email", "alice@example.com"),
                                        Map.of("name", "bob", "email", "bob@example.com"))));
        assertThat(
                        http.send(
                                        "PUT",
                                        "/shared-pkg/-rev/" + doc.path("_rev").asText(),
                                        alice,
                                        JSON.writeValueAsBytes(doc),
                                        Map.of("Content-Type", "application/json"))
                                .status())
                .isEqualTo(200);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private static Http.Result publish(Http from, String token, String version) throws Exception {
        return from.send(
                "PUT",
                Tarballs.path("shared-pkg"),
                token,
                JSON.writeValueAsBytes(Tarballs.publishBody("shared-pkg", version)),
                Map.of("Content-Type", "application/json"));
    }

    private List<String> toldAlice() throws Exception {
        return Outbox.mailTo(server.data(), "alice@example.com").stream()
                .filter(m -> m.startsWith(SUBJECT))
                .toList();
    }

    @Test
    void aPublishFromANewAddressTellsTheCoMaintainerOnce() throws Exception {
        assertThat(publish(http, bob, "1.0.1").status()).isEqualTo(200);
        assertThat(toldAlice()).as("bob's usual address").isEmpty();

        Http away = http.from("203.0.113.60");
        assertThat(publish(away, bob, "1.0.2").status()).isEqualTo(200);
        List<String> told = toldAlice();
        assertThat(told).hasSize(1);
        assertThat(told.get(0))
                .contains("Your co-maintainer bob changed shared-pkg (package.published)")
                .contains("using a token from 203.0.113.60")
                .contains("Verification code: ");
        assertThat(http.get("/-/warden/v1/security-events", alice, Map.of()).body())
                .contains("package.changed-from-new-address")
                .contains("203.0.113.60");

        assertThat(publish(away, bob, "1.0.3").status()).isEqualTo(200);
        assertThat(toldAlice()).as("once per address and package").hasSize(1);
    }

    @Test
    void aChangeLongAfterTheNewAddressTellsNoOne() throws Exception {
        Http away = http.from("203.0.113.61");
        assertThat(away.get("/-/whoami", bob, Map.of()).status()).isEqualTo(200);
        clock.advance(Duration.ofHours(25));
        assertThat(publish(away, bob, "1.0.1").status()).isEqualTo(200);
        assertThat(toldAlice()).isEmpty();
    }
}
