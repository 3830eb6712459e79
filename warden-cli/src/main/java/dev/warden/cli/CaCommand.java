package dev.warden.cli;

import dev.warden.server.Config;
import dev.warden.server.Stores;
import dev.warden.signing.CertificateAuthority;
import dev.warden.signing.SigningStack;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

/**
 * {@code warden ca}: the offline side of the signing stack's certificate authority. The root key
 * stays off the server; {@code rotate} runs where it is, against the server's data directory (or a
 * copy synchronised back) and the key store the server uses.
 */
@Command(
        name = "ca",
        mixinStandardHelpOptions = true,
        description = "The signing stack's certificate authority (offline operations).",
        subcommands = {CaCommand.Rotate.class})
final class CaCommand {

    @Command(
            name = "rotate",
            mixinStandardHelpOptions = true,
            description =
                    "Make a new intermediate (its key in the configured CA key store), certified by"
                        + " the root key, to take over issuing after --start-in. A running server"
                        + " publishes the new trusted root within 30 s, before the switch.")
    static final class Rotate implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin Main.ConfigOptions options = new Main.ConfigOptions();

        @Option(
                names = "--root-key",
                required = true,
                description = "The root's private key file (ca-root.key, kept offline).")
        Path rootKey;

        @Option(
                names = "--start-in",
                defaultValue = "PT5M",
                description =
                        "How long until the new intermediate issues (ISO-8601 duration, default"
                                + " ${DEFAULT-VALUE}); clients need the new trusted root first.")
        Duration startIn;

        @Override
        public Integer call() {
            Config config = options.load();
            Path data = Path.of(config.storage().data()).toAbsolutePath();
            Path dir = SigningStack.keyDir(data);
            try {
                if (!Files.exists(dir.resolve("ca.json"))) {
                    throw new IllegalArgumentException(
                            "no certificate authority in "
                                    + dir
                                    + ": start the server with signing enabled first");
                }
                if (startIn.isNegative()) {
                    throw new IllegalArgumentException("--start-in must not be negative");
                }
                Instant now = Main.clock.instant();
                CertificateAuthority.Intermediate i;
                // postgres driver: the CA's files are the database's; rotate under the nodes' lock
                // and store the new intermediate, so every node issues from it
                try (Stores stores = Stores.open(config);
                        Stores.KeyShare shared = stores.shareKeys()) {
                    i =
                            CertificateAuthority.rotate(
                                    dir,
                                    Stores.caKeys(config),
                                    CertificateAuthority.readKey(rootKey),
                                    now.plus(startIn),
                                    now);
                    shared.push();
                }
                spec.commandLine()
                        .getOut()
                        .println(
                                i.alias()
                                        + " ("
                                        + i.certificate().getSubjectX500Principal().getName()
                                        + ") issues from "
                                        + i.from());
                return 0;
            } catch (IllegalArgumentException | IllegalStateException e) {
                spec.commandLine().getErr().println("warden: " + e.getMessage());
                return 2;
            } catch (java.io.IOException e) {
                spec.commandLine().getErr().println("warden: " + e.getMessage());
                return 1;
            }
        }
    }
}
