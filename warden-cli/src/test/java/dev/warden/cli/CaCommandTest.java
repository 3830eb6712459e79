package dev.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Base64;

/**
 * {@code warden ca rotate} against a server's data directory: what it refuses (changing nothing)
 * and what it makes. What the server then serves is warden-server's SigningApiTest.
 */
class CaCommandTest {

    record Run(int exit, String out, String err) {}

    static Run warden(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void rotateRefusesAWrongOrMissingRootKeyAndANegativeStartThenMakesTheNextIntermediate(
            @TempDir Path dir) throws Exception {
        try (TestServer server = TestServer.start()) {
            Path keys = server.data().resolve("keys/sigstore");
            byte[] state = Files.readAllBytes(keys.resolve("ca.json"));
            String data = server.data().toString();

            Path wrong = dir.resolve("wrong.key");
            Files.writeString(
                    wrong,
                    "-----BEGIN PRIVATE KEY-----\n"
                            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                    .encodeToString(
                                            KeyPairGenerator.getInstance("EC")
                                                    .generateKeyPair()
                                                    .getPrivate()
                                                    .getEncoded())
                            + "\n-----END PRIVATE KEY-----\n");
            Run notTheRoot = warden("ca", "rotate", "--data", data, "--root-key", wrong.toString());
            assertThat(notTheRoot.exit()).isEqualTo(2);
            assertThat(notTheRoot.err()).startsWith("warden: that key is not the root's");
            Run absent =
                    warden(
                            "ca",
                            "rotate",
                            "--data",
                            data,
                            "--root-key",
                            dir.resolve("absent.key").toString());
            assertThat(absent.exit()).isEqualTo(2);
            assertThat(absent.err()).startsWith("warden: cannot read " + dir.resolve("absent.key"));
            Run backwards =
                    warden(
                            "ca",
                            "rotate",
                            "--data",
                            data,
                            "--root-key",
                            keys.resolve("ca-root.key").toString(),
                            "--start-in",
                            "-PT1M");
            assertThat(backwards.exit()).isEqualTo(2);
            assertThat(backwards.err()).isEqualTo("warden: --start-in must not be negative\n");
            assertThat(keys.resolve("ca.json")).hasBinaryContent(state);

            Run rotated =
                    warden(
                            "ca",
                            "rotate",
                            "--data",
                            data,
                            "--root-key",
                            keys.resolve("ca-root.key").toString(),
                            "--start-in",
                            "PT1M");
            assertThat(rotated.exit()).as(rotated.err()).isZero();
            assertThat(rotated.out()).startsWith("ca-intermediate-2 (").contains(") issues from ");
            assertThat(Files.readString(keys.resolve("ca.json"))).contains("ca-intermediate-2");
        }
    }

    @Test
    void rotateWithoutACertificateAuthorityNamesWhatIsMissing(@TempDir Path dir) {
        Run none =
                warden(
                        "ca",
                        "rotate",
                        "--data",
                        dir.toString(),
                        "--root-key",
                        dir.resolve("ca-root.key").toString());
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err())
                .isEqualTo(
                        "warden: no certificate authority in "
                                + dir.toAbsolutePath().resolve("keys/sigstore")
                                + ": start the server with signing enabled first\n");
    }
}
