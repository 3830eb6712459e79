package dev.warden.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.testing.Http;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * With an SMTP server configured, mail goes there (here a minimal SMTP sink that records each
 * message).
 */
class SmtpMailTest {

    /** Speaks just enough SMTP (RFC 5321) to accept messages; each DATA section is recorded. */
    static final class Sink implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0);
        final List<String> messages = new CopyOnWriteArrayList<>();
        final Thread thread;

        Sink() throws Exception {
            thread = new Thread(this::serve, "smtp-sink");
            thread.setDaemon(true);
            thread.start();
        }

        private void serve() {
            while (!socket.isClosed()) {
                try (Socket s = socket.accept()) {
                    BufferedReader in =
                            new BufferedReader(
                                    new InputStreamReader(
                                            s.getInputStream(), StandardCharsets.US_ASCII));
                    OutputStream out = s.getOutputStream();
                    write(out, "220 sink ready");
                    String line;
                    while ((line = in.readLine()) != null) {
                        String cmd = line.toUpperCase(java.util.Locale.ROOT);
                        if (cmd.startsWith("EHLO") || cmd.startsWith("HELO")) {
                            write(out, "250 sink");
                        } else if (cmd.startsWith("DATA")) {
                            write(out, "354 go on");
                            StringBuilder msg = new StringBuilder();
                            while ((line = in.readLine()) != null && !line.equals(".")) {
                                msg.append(line).append('\n');
                            }
                            messages.add(msg.toString());
                            write(out, "250 queued");
                        } else if (cmd.startsWith("QUIT")) {
                            write(out, "221 bye");
                            break;
                        } else {
                            write(out, "250 ok");
                        }
                    }
                } catch (Exception e) {
                    // closed
                }
            }
        }

        private static void write(OutputStream out, String line) throws java.io.IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }

    @Test
    void verificationMailGoesToTheSmtpServer() throws Exception {
        try (Sink sink = new Sink();
                TestServer server =
                        TestServer.start(
                                Map.of(
                                        "mail.smtp_host",
                                        "127.0.0.1",
                                        "mail.smtp_port",
                                        Integer.toString(sink.socket.getLocalPort()),
                                        "mail.smtp_starttls",
                                        "false"))) {
            server.token("mailme");
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (sink.messages.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(sink.messages).hasSize(1);
            assertThat(sink.messages.get(0))
                    .contains("To: mailme@example.com")
                    .contains("Subject: Warden: verify your email address");
            assertThat(server.data().resolve("outbox")).doesNotExist();
        }
    }

    @Test
    void anAddressStoredBeforeTheCheckIsNeverHandedToTheSmtpServer(@TempDir Path data)
            throws Exception {
        TestServer.storeUserUnchecked(data, "legacy", "<script>@x");
        try (Sink sink = new Sink();
                dev.warden.server.testing.LogCapture log =
                        dev.warden.server.testing.LogCapture.of(dev.warden.accounts.Mailer.class);
                TestServer server =
                        TestServer.start(
                                data,
                                Map.of(
                                        "mail.smtp_host",
                                        "127.0.0.1",
                                        "mail.smtp_port",
                                        Integer.toString(sink.socket.getLocalPort()),
                                        "mail.smtp_starttls",
                                        "false"))) {
            // npm profile set password: the change is made, the notice is not sent
            String token = server.token("legacy");
            Http.Result changed =
                    server.http()
                            .send(
                                    "POST",
                                    "/-/npm/v1/user",
                                    token,
                                    ("{\"password\": {\"old\": \""
                                                    + TestServer.password("legacy")
                                                    + "\", \"new\": \"an0ther-l0ng-passphrase\"}}")
                                            .getBytes(StandardCharsets.UTF_8),
                                    Map.of("Content-Type", "application/json"));
            assertThat(changed.status()).as(changed.body()).isEqualTo(200);
            assertThat(log.events())
                    .contains(
                            "WARN no mail sent to account legacy: its stored email address is"
                                    + " refused (invalid email address: < is not allowed in an"
                                    + " address)");
            // a mail to a real address still goes out meanwhile
            server.token("other");
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (sink.messages.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(sink.messages).hasSize(1);
            assertThat(sink.messages.get(0)).contains("To: other@example.com");
            assertThat(String.join("\n", sink.messages)).doesNotContain("script");
            assertThat(String.join("\n", log.events())).doesNotContain("<script>");
        }
    }
}
