package dev.warden.cli;

import dev.warden.provenance.sigstore.BundleVerifier;
import dev.warden.provenance.sigstore.TrustRoot;
import dev.warden.provenance.sigstore.VerificationFailure;

import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.Callable;

/**
 * {@code warden sigstore}: Sigstore tools, speaking the Sigstore conformance suite's CLI protocol.
 */
@Command(
        name = "sigstore",
        mixinStandardHelpOptions = true,
        description = "Sigstore bundle tools.",
        subcommands = {SigstoreCommand.VerifyBundle.class})
final class SigstoreCommand {

    /** Exit code of a bundle that does not verify (a usage error is picocli's 2). */
    static final int REJECTED = 1;

    @Command(
            name = "verify-bundle",
            mixinStandardHelpOptions = true,
            description =
                    "Verify a Sigstore bundle offline against a trusted root. Exit 0: verified; 1:"
                            + " rejected, with the reason.")
    static final class VerifyBundle implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Option(names = "--bundle", required = true, description = "The bundle (.sigstore.json).")
        Path bundle;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Signer signer;

        @Option(
                names = "--trusted-root",
                description =
                        "trusted_root.json to trust instead of the embedded public-good root.")
        Path trustedRoot;

        @Parameters(
                index = "0",
                paramLabel = "FILE_OR_DIGEST",
                description = "The artifact, or sha256:HEX of it.")
        String artifact;

        static final class Signer {
            @ArgGroup(exclusive = false)
            Identity identity;

            @Option(names = "--key", description = "PEM public key of a managed-key bundle.")
            Path key;
        }

        static final class Identity {
            @Option(
                    names = "--certificate-identity",
                    required = true,
                    description = "Expected certificate SAN.")
            String identity;

            @Option(
                    names = "--certificate-oidc-issuer",
                    required = true,
                    description = "Expected OIDC issuer.")
            String issuer;
        }

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            try {
                TrustRoot root =
                        trustedRoot == null
                                ? TrustRoot.publicGood()
                                : TrustRoot.parse(Files.readAllBytes(trustedRoot));
                BundleVerifier.Policy policy =
                        signer.key != null
                                ? BundleVerifier.Key.pem(Files.readString(signer.key))
                                : new BundleVerifier.Identity(
                                        signer.identity.identity, signer.identity.issuer);
                BundleVerifier.Artifact a;
                if (artifact.startsWith("sha256:")) {
                    try {
                        a =
                                BundleVerifier.Artifact.digest(
                                        HexFormat.of().parseHex(artifact.substring(7)));
                    } catch (IllegalArgumentException e) {
                        throw new VerificationFailure(
                                "artifact digest is not sha256:<64 hex digits>");
                    }
                    if (a.sha256().length != 32) {
                        throw new VerificationFailure(
                                "artifact digest is not sha256:<64 hex digits>");
                    }
                } else {
                    a = BundleVerifier.Artifact.of(Files.readAllBytes(Path.of(artifact)));
                }
                new BundleVerifier(root, Main.clock).verify(Files.readAllBytes(bundle), a, policy);
                spec.commandLine().getOut().println("OK: " + bundle);
                return 0;
            } catch (VerificationFailure e) {
                err.println("warden: bundle rejected: " + e.getMessage());
                return REJECTED;
            } catch (IOException e) {
                err.println("warden: " + e);
                return REJECTED;
            }
        }
    }
}
