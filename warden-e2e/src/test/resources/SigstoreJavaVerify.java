import dev.sigstore.KeylessVerifier;
import dev.sigstore.TrustedRootProvider;
import dev.sigstore.VerificationOptions;
import dev.sigstore.bundle.Bundle;
import dev.sigstore.strings.StringMatcher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Verifies a bundle with sigstore-java against a trusted_root.json, as a consuming team would.
 * usage: java -cp 'lib/*' SigstoreJavaVerify.java <trusted_root.json> <bundle.json> <artifact> <identity> <issuer>
 */
public class SigstoreJavaVerify {
    public static void main(String[] a) throws Exception {
        KeylessVerifier verifier = KeylessVerifier.builder().trustedRootProvider(TrustedRootProvider.from(Path.of(a[0]))).build();
        Bundle bundle = Bundle.from(Path.of(a[1]), StandardCharsets.UTF_8);
        VerificationOptions options = VerificationOptions.builder().addCertificateMatchers(VerificationOptions.CertificateMatcher.fulcio()
                .subjectAlternativeName(StringMatcher.string(a[3])).issuer(StringMatcher.string(a[4])).build()).build();
        try {
            verifier.verify(Path.of(a[2]), bundle, options);
            System.out.println("verified");
        } catch (Exception e) {
            System.out.println("refused: " + e);
            for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
                System.out.println("  because: " + c);
            }
            System.exit(1);
        }
    }
}
