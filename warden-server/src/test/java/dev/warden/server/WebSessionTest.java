package dev.warden.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.testing.Http;
import dev.warden.server.testing.MovableClock;
import dev.warden.server.testing.TestServer;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Browser sessions: only a recent sign-in may change passkeys, and sessions end after 2 hours. */
class WebSessionTest {

    @Test
    void passkeyChangesNeedARecentSignInAndSessionsExpire() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        MovableClock clock = new MovableClock();
        try (TestServer server = TestServer.start(Map.of("server.port", Integer.toString(port), "server.public_url",
                "http://localhost:" + port), clock)) {
            Http http = server.http();
            server.token("sol");
            Http.Result page = http.get("/-/web/signin");
            String csrfCookie = page.header("Set-Cookie").split(";")[0];
            String csrf = Pattern.compile("name=\"csrf\" value=\"([0-9a-f]+)\"").matcher(page.body()).results().findFirst().orElseThrow()
                    .group(1);
            Http.Result signedIn = http.send("POST", "/-/web/signin", null,
                    ("csrf=" + csrf + "&username=sol&password=" + TestServer.password("sol")).getBytes(),
                    Map.of("Content-Type", "application/x-www-form-urlencoded", "Cookie", csrfCookie));
            assertThat(signedIn.status()).isEqualTo(303);
            String session = signedIn.header("Set-Cookie").split(";")[0];
            Map<String, String> headers = Map.of("Cookie", csrfCookie + "; " + session, "X-Warden-CSRF", csrf,
                    "Content-Type", "application/json");

            assertThat(http.send("POST", "/-/web/passkeys/register/options", null, "{}".getBytes(), headers).status()).isEqualTo(200);
            clock.advance(Duration.ofMinutes(11));
            Http.Result stale = http.send("POST", "/-/web/passkeys/register/options", null, "{}".getBytes(), headers);
            assertThat(stale.status()).isEqualTo(403);
            assertThat(stale.error()).contains("sign in again");
            assertThat(http.get("/-/web/account", null, Map.of("Cookie", session)).status()).isEqualTo(200);
            clock.advance(Duration.ofHours(2));
            Http.Result expired = http.get("/-/web/account", null, Map.of("Cookie", session));
            assertThat(expired.status()).isEqualTo(303);
            assertThat(expired.header("Location")).isEqualTo("/-/web/signin");
        }
    }
}
