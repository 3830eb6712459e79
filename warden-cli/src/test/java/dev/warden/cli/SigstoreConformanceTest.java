package dev.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Every case of the Sigstore conformance suite's bundle-verification assets, run through {@code
 * warden sigstore verify-bundle} with the suite's CLI protocol: a case whose name ends in {@code
 * _fail} must be rejected, every other must verify.
 */
class SigstoreConformanceTest {

    static final String DEFAULT_IDENTITY =
            "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
    static final String DEFAULT_ISSUER = "https://token.actions.githubusercontent.com";

    /**
     * Why each negative case must be rejected: the reason the verifier gives names the defect the
     * case plants.
     */
    static final Map<String, String> REASONS =
            Map.ofEntries(
                    Map.entry(
                            "bundle-empty-certificate-chain_fail",
                            "bundle has an empty certificate chain"),
                    Map.entry(
                            "bundle-from-wrong-instance_fail",
                            "is from a transparency log the trusted root does not list"),
                    Map.entry(
                            "bundle-invalid-base64-signature_fail",
                            "bundle is not valid JSON of the Sigstore Bundle type: Illegal base64"),
                    Map.entry(
                            "bundle-malformed-json_fail",
                            "bundle is not valid JSON of the Sigstore Bundle type"),
                    Map.entry(
                            "bundle-unknown-version_fail",
                            "bundle media type"
                                + " 'application/vnd.dev.sigstore.bundle+json;version=99.9' is not"
                                + " a supported version"),
                    Map.entry(
                            "bundle-with-root-cert_fail",
                            "bundle's certificate chain contains a root certificate: roots come"
                                    + " from the trusted root only"),
                    Map.entry(
                            "checkpoint-bad-keyhint_fail",
                            "checkpoint has no signature from https://rekor.sigstore.dev"),
                    Map.entry(
                            "dsse-invalid-sig_fail",
                            "DSSE envelope signature does not verify with the certificate's key"),
                    Map.entry(
                            "dsse-mismatch-envelope_fail",
                            "log entry records another DSSE payload than the bundle's envelope"),
                    Map.entry(
                            "inclusion-proof-corrupted-hash_fail",
                            "inclusion proof does not lead to its root hash"),
                    Map.entry(
                            "incorrect-public-key_fail",
                            "log entry records another certificate than the bundle's"),
                    Map.entry(
                            "integrated-time-in-future_fail",
                            "is outside the signing certificate's validity"),
                    Map.entry(
                            "intoto-expired-certificate_fail",
                            "is outside the signing certificate's validity"),
                    Map.entry(
                            "intoto-missing-inclusion-proof_fail",
                            "has no inclusion proof with a checkpoint"),
                    Map.entry(
                            "intoto-set-outside-signing-cert-validity_fail",
                            "is outside the signing certificate's validity"),
                    Map.entry(
                            "intoto-tsa-timestamp-outside-cert-validity_fail",
                            "is outside the signing certificate's validity"),
                    Map.entry(
                            "invalid-checkpoint-signature_fail",
                            "checkpoint signature does not verify with the key of"
                                    + " https://rekor.sigstore.dev"),
                    Map.entry(
                            "invalid-ct-key_fail",
                            "signing certificate: SCT is from a CT log the trusted root does not"
                                    + " list"),
                    Map.entry(
                            "managed-key-no-key_fail",
                            "bundle is signed with a managed key, not a certificate: a key is"
                                    + " needed to verify it"),
                    Map.entry(
                            "managed-key-wrong-key_fail",
                            "signature does not verify over the artifact with the key"),
                    Map.entry(
                            "rekor2-checkpoint-missing-log-signature_fail",
                            "checkpoint is malformed: note has no signatures"),
                    Map.entry(
                            "rekor2-checkpoint-missing-origin_fail",
                            "checkpoint is malformed: checkpoint needs origin, size and root hash"
                                    + " lines"),
                    Map.entry(
                            "rekor2-checkpoint-missing-root-hash_fail",
                            "checkpoint is malformed: checkpoint needs origin, size and root hash"
                                    + " lines"),
                    Map.entry(
                            "rekor2-checkpoint-no-matching-signature_fail",
                            "checkpoint has no signature from"
                                    + " https://log2025-alpha1.rekor.sigstage.dev"),
                    Map.entry(
                            "rekor2-dsse-invalid-sig_fail",
                            "DSSE envelope signature does not verify with the certificate's key"),
                    Map.entry(
                            "rekor2-dsse-mismatch-sig_fail",
                            "log entry records another signature than the bundle's"),
                    Map.entry(
                            "rekor2-no-inclusion-proof_fail",
                            "has no inclusion proof with a checkpoint"),
                    Map.entry(
                            "rekor2-no-timestamp_fail",
                            "bundle has no verified time: no signed entry timestamp and no RFC 3161"
                                    + " timestamp"),
                    Map.entry(
                            "rekor2-timestamp-outside-trust-root-tsa-validity_fail",
                            "is outside the trusted root's window for"
                                    + " https://timestamp.sigstage.dev/api/v1/timestamp"),
                    Map.entry(
                            "rekor2-timestamp-outside-tsa-cert-validity_fail",
                            "is outside its authority's certificate validity"),
                    Map.entry(
                            "rekor2-timestamp-untrusted-tsa-with-embedded-cert_fail",
                            "RFC 3161 timestamp is not signed by a timestamp authority of the"
                                    + " trusted root"),
                    Map.entry(
                            "rekor2-timestamp-untrusted-tsa-without-embedded-cert_fail",
                            "RFC 3161 timestamp is not signed by a timestamp authority of the"
                                    + " trusted root"),
                    Map.entry(
                            "rekor2-timestamp-with-incorrect-time_fail",
                            "is outside the signing certificate's validity"),
                    Map.entry(
                            "signature-mismatch_fail",
                            "signature does not verify over the artifact with the certificate's"
                                    + " key"),
                    Map.entry(
                            "trust-root-tlog-missing-validity-start_fail",
                            "trusted root: transparency log"
                                + " https://log2025-alpha1.rekor.sigstage.dev has a validity window"
                                + " without a start"),
                    Map.entry(
                            "wrong-hashedrekord-artifact_fail",
                            "log entry records another artifact digest than the bundle's"),
                    Map.entry(
                            "wrong-hashedrekord-cert-and-sig_fail",
                            "log entry records another signature than the bundle's"),
                    Map.entry(
                            "wrong-material_fail",
                            "bundle's message digest is not the artifact's SHA-256 digest"));

    static Path cases() throws URISyntaxException {
        return Path.of(SigstoreConformanceTest.class.getResource("/sigstore/conformance").toURI());
    }

    record Outcome(int exit, String out, String err) {}

    static Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Outcome(exit, out.toString(), err.toString());
    }

    /** The suite's protocol for one case folder. */
    static List<String> arguments(Path dir) throws IOException {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "sigstore",
                                "verify-bundle",
                                "--bundle",
                                dir.resolve("bundle.sigstore.json").toString()));
        if (Files.exists(dir.resolve("key.pub"))) {
            args.addAll(List.of("--key", dir.resolve("key.pub").toString()));
        } else {
            args.addAll(
                    List.of(
                            "--certificate-identity",
                            read(dir, "identity", DEFAULT_IDENTITY),
                            "--certificate-oidc-issuer",
                            read(dir, "issuer", DEFAULT_ISSUER)));
        }
        if (Files.exists(dir.resolve("trusted_root.json"))) {
            args.addAll(List.of("--trusted-root", dir.resolve("trusted_root.json").toString()));
        }
        Path artifact =
                Files.exists(dir.resolve("artifact"))
                        ? dir.resolve("artifact")
                        : dir.getParent().resolve("a.txt");
        args.add(artifact.toString());
        return args;
    }

    private static String read(Path dir, String file, String fallback) throws IOException {
        Path p = dir.resolve(file);
        return Files.exists(p) ? Files.readString(p).strip() : fallback;
    }

    @Test
    void the_suite_is_all_there() throws Exception {
        try (Stream<Path> s = Files.list(cases())) {
            List<String> names =
                    s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).toList();
            assertThat(names).hasSize(55);
            assertThat(REASONS.keySet())
                    .containsExactlyInAnyOrderElementsOf(
                            names.stream().filter(n -> n.endsWith("_fail")).toList());
        }
    }

    @TestFactory
    Stream<DynamicTest> every_case_gets_its_expected_outcome() throws Exception {
        List<Path> dirs;
        try (Stream<Path> s = Files.list(cases())) {
            dirs = s.filter(Files::isDirectory).sorted().toList();
        }
        return dirs.stream()
                .map(
                        dir ->
                                DynamicTest.dynamicTest(
                                        dir.getFileName().toString(),
                                        () -> {
                                            boolean mustFail =
                                                    dir.getFileName().toString().endsWith("_fail");
                                            Outcome o = run(arguments(dir).toArray(String[]::new));
                                            if (mustFail) {
                                                assertThat(o.exit())
                                                        .as("exit of a case that must be rejected")
                                                        .isEqualTo(SigstoreCommand.REJECTED);
                                                assertThat(o.err())
                                                        .startsWith("warden: bundle rejected: ")
                                                        .contains(
                                                                REASONS.get(
                                                                        dir.getFileName()
                                                                                .toString()));
                                            } else {
                                                assertThat(o.exit())
                                                        .as(
                                                                "exit of a case that must verify;"
                                                                        + " stderr: %s",
                                                                o.err())
                                                        .isZero();
                                            }
                                        }));
    }

    @Test
    void a_digest_can_stand_for_the_artifact() throws Exception {
        Path dir = cases().resolve("happy-path-v0.3");
        String sha =
                java.util.HexFormat.of()
                        .formatHex(
                                java.security.MessageDigest.getInstance("SHA-256")
                                        .digest(Files.readAllBytes(cases().resolve("a.txt"))));
        List<String> args = arguments(dir);
        args.set(args.size() - 1, "sha256:" + sha);
        assertThat(run(args.toArray(String[]::new)).exit()).isZero();
        args.set(args.size() - 1, "sha256:" + "00".repeat(32));
        Outcome wrong = run(args.toArray(String[]::new));
        assertThat(wrong.exit()).isEqualTo(SigstoreCommand.REJECTED);
        assertThat(wrong.err()).contains("artifact");
    }
}
