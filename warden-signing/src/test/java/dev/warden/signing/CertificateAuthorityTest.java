package dev.warden.signing;

import static org.assertj.core.api.Assertions.assertThat;

import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The CA's files across versions: a CA made before intermediates rotated keeps its root and
 * intermediate.
 */
class CertificateAuthorityTest {

    @Test
    void a_ca_from_before_rotation_keeps_its_keys_and_can_rotate(@TempDir Path data)
            throws Exception {
        Instant t0 = Instant.parse("2026-11-01T00:00:00Z");
        Path keys = Files.createDirectories(data.resolve("keys/sigstore"));
        KeyPair rootKeys = CertificateAuthority.ec("secp384r1");
        KeyPair interKeys = CertificateAuthority.ec("secp384r1");
        X500Name rootName = new X500Name("O=old,CN=old root");
        X509Certificate root =
                CertificateAuthority.ca(
                        rootName,
                        rootKeys.getPublic(),
                        rootName,
                        rootKeys.getPrivate(),
                        t0,
                        Duration.ofDays(3650),
                        1);
        X509Certificate inter =
                CertificateAuthority.ca(
                        new X500Name("O=old,CN=old intermediate"),
                        interKeys.getPublic(),
                        rootName,
                        rootKeys.getPrivate(),
                        t0,
                        Duration.ofDays(1825),
                        0);
        Files.writeString(
                keys.resolve("ca-root.pem"),
                CertificateAuthority.pem("CERTIFICATE", root.getEncoded()));
        Files.writeString(
                keys.resolve("ca-root.key"),
                CertificateAuthority.pem("PRIVATE KEY", rootKeys.getPrivate().getEncoded()));
        Files.writeString(
                keys.resolve("ca-intermediate.pem"),
                CertificateAuthority.pem("CERTIFICATE", inter.getEncoded()));
        Files.writeString(
                keys.resolve("ca-intermediate.key"),
                CertificateAuthority.pem("PRIVATE KEY", interKeys.getPrivate().getEncoded()));

        Instant now = t0.plus(Duration.ofDays(20));
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        try (SigningStack stack = Pkcs11CaKeyStoreTest.open(data, CaKeyStore.files(keys), clock)) {
            assertThat(stack.ca().root()).isEqualTo(root);
            assertThat(stack.ca().intermediates())
                    .extracting(CertificateAuthority.Intermediate::certificate)
                    .containsExactly(inter);
            List<X509Certificate> chain = Pkcs11CaKeyStoreTest.issue(stack, now);
            chain.get(0).verify(interKeys.getPublic());
            assertThat(
                            stack.trustedRoot()
                                    .path("certificateAuthorities")
                                    .get(0)
                                    .path("validFor")
                                    .path("start")
                                    .asText())
                    .isEqualTo(root.getNotBefore().toInstant().toString());

            CertificateAuthority.Intermediate next =
                    CertificateAuthority.rotate(
                            keys,
                            CaKeyStore.files(keys),
                            CertificateAuthority.readKey(keys.resolve("ca-root.key")),
                            now.plus(Duration.ofMinutes(5)),
                            now);
            assertThat(next.alias()).isEqualTo("ca-intermediate-2");
            assertThat(stack.ca().reload()).isTrue();
            Pkcs11CaKeyStoreTest.issue(stack, now.plus(Duration.ofMinutes(6)))
                    .get(0)
                    .verify(next.certificate().getPublicKey());
            assertThat(stack.ca().reload()).as("nothing new").isFalse();
        }
    }
}
