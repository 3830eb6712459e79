package dev.warden.cli;

import dev.warden.signing.TufRepository;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code warden tuf}: the offline side of the TUF repository that distributes the instance's
 * trusted root. Root keys stay off the server; these commands run where they are.
 */
@Command(
        name = "tuf",
        mixinStandardHelpOptions = true,
        description = "TUF root keys and root versions (offline operations).",
        subcommands = {TufCommand.KeyGen.class, TufCommand.NewRoot.class})
final class TufCommand {

    @Command(
            name = "keygen",
            mixinStandardHelpOptions = true,
            description = "Make an Ed25519 TUF key file (keep it offline).")
    static final class KeyGen implements Callable<Integer> {
        @Option(names = "--out", required = true, description = "Key file to write.")
        Path out;

        @Override
        public Integer call() {
            TufRepository.Key k = TufRepository.Key.generate();
            k.save(out);
            System.out.println(k.keyId());
            return 0;
        }
    }

    @Command(
            name = "new-root",
            mixinStandardHelpOptions = true,
            description =
                    "Write the next root version: re-sign the same keys for a new expiry, or rotate"
                        + " to --root-keys. --sign must hold a threshold of the current root keys"
                        + " (and of the new ones when rotating).")
    static final class NewRoot implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Option(
                names = "--repository",
                required = true,
                description = "The repository directory (<data>/tuf).")
        Path repository;

        @Option(
                names = "--online-key",
                required = true,
                description = "The server's online key file (<data>/keys/tuf/online.json).")
        Path onlineKey;

        @Option(
                names = "--sign",
                required = true,
                split = ",",
                description = "Root key files that sign this version.")
        List<Path> sign;

        @Option(
                names = "--root-keys",
                split = ",",
                description = "The new root's key files (default: the signing keys).")
        List<Path> rootKeys;

        @Option(
                names = "--threshold",
                defaultValue = "2",
                description = "Signatures the new root requires (default ${DEFAULT-VALUE}).")
        int threshold;

        @Override
        public Integer call() {
            List<TufRepository.Key> signers = new ArrayList<>();
            sign.forEach(p -> signers.add(TufRepository.Key.load(p)));
            List<TufRepository.Key> keys = new ArrayList<>();
            (rootKeys == null ? sign : rootKeys).forEach(p -> keys.add(TufRepository.Key.load(p)));
            signers.addAll(keys.stream().filter(k -> k.seed() != null).toList());
            try {
                int v =
                        TufRepository.nextRoot(
                                repository,
                                signers,
                                keys,
                                threshold,
                                TufRepository.Key.load(onlineKey),
                                Main.clock.instant());
                spec.commandLine()
                        .getOut()
                        .println("wrote " + repository.resolve(v + ".root.json"));
                return 0;
            } catch (IllegalArgumentException | IllegalStateException e) {
                spec.commandLine().getErr().println("warden: " + e.getMessage());
                return 2;
            }
        }
    }
}
