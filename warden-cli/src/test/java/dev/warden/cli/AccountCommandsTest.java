package dev.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.testing.Http;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * The admin commands on accounts work on the server's storage and refuse what the server refuses.
 */
class AccountCommandsTest {

    @Test
    void theInviteAndUserAddCommandsRefuseAnythingButAnAddress(@TempDir Path data)
            throws Exception {
        InputStream stdin = System.in;
        PrintStream stderr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            picocli.CommandLine cli = new picocli.CommandLine(new Main());
            assertThat(
                            cli.execute(
                                    "user-invite",
                                    "ivy",
                                    "--email",
                                    "<script>@x",
                                    "--data",
                                    data.toString()))
                    .isEqualTo(2);
            System.setIn(
                    new ByteArrayInputStream(
                            TestServer.password("root").getBytes(StandardCharsets.UTF_8)));
            assertThat(
                            cli.execute(
                                    "user-add",
                                    "root",
                                    "--email",
                                    "root@example.com>",
                                    "--admin",
                                    "--password-stdin",
                                    "--data",
                                    data.toString()))
                    .isEqualTo(2);
        } finally {
            System.setIn(stdin);
            System.setErr(stderr);
        }
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains(
                        "warden: invalid email address: < is not allowed in an address",
                        "warden: invalid email address: > is not allowed in an address");
        try (TestServer invited =
                TestServer.start(data, Map.of("accounts.registration", "invite"))) {
            assertThat(invited.http().get("/-/user/org.couchdb.user:root").status()).isEqualTo(404);
            Http.Result notInvited =
                    invited.http()
                            .put(
                                    "/-/user/org.couchdb.user:ivy",
                                    null,
                                    Map.of(
                                            "name",
                                            "ivy",
                                            "password",
                                            TestServer.password("ivy"),
                                            "email",
                                            "ivy@example.com"));
            assertThat(notInvited.status()).isEqualTo(403);
            assertThat(notInvited.error()).contains("invite-only");
        }
    }
}
