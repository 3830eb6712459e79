import dev.sigstore.KeylessVerifier;
import dev.sigstore.TrustedRootProvider;
import dev.sigstore.VerificationOptions;
import dev.sigstore.bundle.Bundle;
import dev.sigstore.strings.StringMatcher;
import dev.sigstore.tuf.RootProvider;
import dev.sigstore.tuf.SigstoreTufClient;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Verifies a bundle with sigstore-java as a consuming team would: with a trusted_root.json file, or
 * with the trusted root its TUF client fetches from a mirror, starting from a root it was given.
 * usage: java -cp 'lib/*' SigstoreJavaVerify.java <trusted_root.json> <bundle.json> <artifact>
 * <identity> <issuer> java -cp 'lib/*' SigstoreJavaVerify.java <tuf mirror URL> <root.json> <cache
 * dir> <bundle.json> <artifact> <identity> <issuer>
 */
public class SigstoreJavaVerify {
    public static void main(String[] args) throws Exception {
        TrustedRootProvider roots;
        String[] a;
        if (args[0].startsWith("http")) {
            roots =
                    TrustedRootProvider.from(
                            SigstoreTufClient.builder()
                                    .tufMirror(
                                            URI.create(args[0]),
                                            RootProvider.fromFile(Path.of(args[1])))
                                    .tufCacheLocation(Path.of(args[2])));
            a = Arrays.copyOfRange(args, 2, args.length);
        } else {
            roots = TrustedRootProvider.from(Path.of(args[0]));
            a = args;
        }
        KeylessVerifier verifier;
        try {
            verifier = KeylessVerifier.builder().trustedRootProvider(roots).build();
        } catch (Exception e) {
            report("no trusted root: ", e);
            System.exit(2);
            return;
        }
        Bundle bundle = Bundle.from(Path.of(a[1]), StandardCharsets.UTF_8);
        VerificationOptions options =
                VerificationOptions.builder()
                        .addCertificateMatchers(
                                VerificationOptions.CertificateMatcher.fulcio()
                                        .subjectAlternativeName(StringMatcher.string(a[3]))
                                        .issuer(StringMatcher.string(a[4]))
                                        .build())
                        .build();
        try {
            verifier.verify(Path.of(a[2]), bundle, options);
            System.out.println("verified");
        } catch (Exception e) {
            report("refused: ", e);
            System.exit(1);
        }
    }

    private static void report(String what, Exception e) {
        System.out.println(what + e);
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            System.out.println("  because: " + c);
        }
    }
}
