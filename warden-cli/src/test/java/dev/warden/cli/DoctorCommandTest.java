package dev.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** {@code warden doctor}'s checklist and exit status against a real server. */
class DoctorCommandTest {

    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    record Run(int code, String out, String err) {}

    static Run doctor(String registry, String token) {
        DoctorCommand d = new DoctorCommand();
        d.registry = URI.create(registry);
        d.token = token;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code =
                d.run(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(
                code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anImportantOpenStepExitsOneWithHowToFixIt() throws Exception {
        Run r = doctor(server.url(), server.token("doc-none"));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out())
                .contains("Security checklist for doc-none: score ")
                .contains("second factor: none")
                .contains("[ ] IMPORTANT   Turn on two-factor authentication")
                .contains("fix: npm profile enable-2fa auth-and-writes")
                .contains("see: " + server.url() + "/-/web/account#posture")
                .contains("[x] done        Review held releases")
                .endsWith("Important steps are open: fix them and run warden doctor again.\n");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void onlyRecommendedStepsOpenExitsZero() throws Exception {
        String token = server.token("doc-totp");
        server.enableTwoFactor("doc-totp", token, "auth-and-writes");
        Run r = doctor(server.url() + "/", token);
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.out())
                .contains("second factor: totp")
                .contains("[ ] RECOMMENDED Add a passkey")
                .contains("[x] done        Turn on two-factor authentication")
                .endsWith("No important step is open.\n");
    }

    @Test
    void aRefusedTokenOrAnUnreachableRegistryExitsTwoWithAClearError() throws Exception {
        Run bad = doctor(server.url(), "wdn_not-a-real-token");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).startsWith("warden doctor: the registry refused the token (");
        assertThat(bad.err()).contains("check WARDEN_TOKEN");
        assertThat(bad.out()).isEmpty();

        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Run down = doctor("http://127.0.0.1:" + closed, "wdn_whatever");
        assertThat(down.code()).isEqualTo(2);
        assertThat(down.err())
                .startsWith(
                        "warden doctor: cannot reach the registry at http://127.0.0.1:" + closed);

        Run none = doctor(server.url(), " ");
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err())
                .isEqualTo("warden doctor: no token: set WARDEN_TOKEN (or pass --token)\n");
    }

    @Test
    void theCommandLineKnowsDoctor() {
        assertThat(Main.run("doctor", "--registry", server.url(), "--token", "wdn_bad"))
                .isEqualTo(2);
    }
}
