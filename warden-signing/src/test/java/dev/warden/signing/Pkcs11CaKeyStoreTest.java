package dev.warden.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.log.sqlite.SqliteLogStore;
import dev.warden.provenance.IdTokens;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * The CA with its intermediate keys in a PKCS#11 token: SoftHSM, through the JDK's SunPKCS11
 * provider, as an HSM would be used. The keys are made in the token, never written to disk, not
 * extractable, and sign certificates there; a rotation adds a second key to the token; a restarted
 * stack finds them again.
 */
class Pkcs11CaKeyStoreTest {

    static final Path LIBRARY = Path.of("/usr/lib/softhsm/libsofthsm2.so");
    static final String PIN = "4321";
    static Path config;

    @BeforeAll
    static void token(@TempDir Path dir) throws Exception {
        assertThat(LIBRARY).as("SoftHSM (Debian's softhsm2, which .ci/run installs)").exists();
        Path conf = Path.of(System.getenv("SOFTHSM2_CONF"));
        Path tokens = Files.createDirectories(dir.resolve("tokens"));
        Files.createDirectories(conf.getParent());
        Files.writeString(
                conf,
                "directories.tokendir = "
                        + tokens
                        + "\nobjectstore.backend = file\nlog.level = ERROR\n");
        Process init =
                new ProcessBuilder(
                                "softhsm2-util",
                                "--init-token",
                                "--free",
                                "--label",
                                "warden-ca",
                                "--pin",
                                PIN,
                                "--so-pin",
                                "87654321")
                        .redirectErrorStream(true)
                        .start();
        String out = new String(init.getInputStream().readAllBytes());
        assertThat(init.waitFor()).as(out).isZero();
        config =
                Files.writeString(
                        dir.resolve("pkcs11.cfg"),
                        "name = warden-ca\nlibrary = " + LIBRARY + "\nslotListIndex = 0\n");
    }

    static SigningStack open(Path data, CaKeyStore store, Clock clock) {
        SigningStack.LogStores logs =
                new SigningStack.LogStores(
                        SqliteLogStore.open(data.resolve("ct.db")),
                        SqliteLogStore.open(data.resolve("rekor.db")));
        return SigningStack.open(
                data,
                "http://127.0.0.1:4873",
                logs,
                store,
                new IdTokens(List.of(), clock),
                new ObjectMapper(),
                clock);
    }

    static List<X509Certificate> issue(SigningStack stack, Instant at) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return stack.ca()
                .issue(
                        g.generateKeyPair().getPublic(),
                        "https://github.com/octo/pkg/.github/workflows/r.yml@refs/heads/main",
                        Map.of(Fulcio.OID + "8", "https://token.actions.githubusercontent.com"),
                        Map.of(),
                        at);
    }

    @Test
    void the_intermediate_key_lives_and_signs_in_the_token(@TempDir Path data) throws Exception {
        Instant t0 = Instant.parse("2026-11-22T10:00:00Z");
        Path keys = data.resolve("keys/sigstore");
        try (SigningStack stack =
                open(
                        data,
                        CaKeyStore.pkcs11(config, PIN.toCharArray()),
                        Clock.fixed(t0, ZoneOffset.UTC))) {
            List<X509Certificate> chain = issue(stack, t0);
            chain.get(0).verify(chain.get(1).getPublicKey());
            chain.get(1).verify(chain.get(2).getPublicKey());
            assertThat(chain.get(1).getSubjectX500Principal().getName()).contains("intermediate 1");
            assertThat(Files.exists(keys.resolve("ca-intermediate-1.key")))
                    .as("no intermediate key on disk")
                    .isFalse();
            assertThat(keys.resolve("ca-root.key"))
                    .as("the root key, to be moved offline")
                    .exists();

            // the token holds it with its certificate, as a key that cannot be read out
            KeyStore token =
                    KeyStore.getInstance(
                            "PKCS11",
                            Security.getProvider("SunPKCS11").configure(config.toString()));
            token.load(null, PIN.toCharArray());
            Key inToken = token.getKey("ca-intermediate-1", null);
            assertThat(inToken).isNotNull();
            assertThat(inToken.getEncoded()).as("not extractable").isNull();
            assertThat(token.getCertificate("ca-intermediate-1")).isEqualTo(chain.get(1));

            // rotation: the offline root certifies a second key made in the token
            CertificateAuthority.Intermediate second =
                    CertificateAuthority.rotate(
                            keys,
                            CaKeyStore.pkcs11(config, PIN.toCharArray()),
                            CertificateAuthority.readKey(keys.resolve("ca-root.key")),
                            t0.plus(Duration.ofMinutes(5)),
                            t0);
            assertThat(Files.exists(keys.resolve(second.alias() + ".key"))).isFalse();
            assertThat(stack.ca().reload()).isTrue();
            assertThat(issue(stack, t0.plus(Duration.ofMinutes(1))).get(1))
                    .as("before its start")
                    .isEqualTo(chain.get(1));
            List<X509Certificate> later = issue(stack, t0.plus(Duration.ofMinutes(6)));
            assertThat(later.get(1)).isEqualTo(second.certificate());
            later.get(0).verify(second.certificate().getPublicKey());
            assertThat(stack.trustedRoot().path("certificateAuthorities")).hasSize(2);
        }

        // a restarted stack finds both keys in the token
        Instant t1 = t0.plus(Duration.ofHours(1));
        try (SigningStack again =
                open(
                        data,
                        CaKeyStore.pkcs11(config, PIN.toCharArray()),
                        Clock.fixed(t1, ZoneOffset.UTC))) {
            List<X509Certificate> chain = issue(again, t1);
            PublicKey intermediate = again.ca().intermediates().get(1).certificate().getPublicKey();
            chain.get(0).verify(intermediate);
            assertThat(again.ca().intermediates()).hasSize(2);
        }
    }

    @Test
    void a_wrong_pin_or_a_missing_key_is_a_clear_error(@TempDir Path data) {
        assertThatThrownBy(() -> CaKeyStore.pkcs11(config, "0000".toCharArray()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("PKCS#11 token (" + config + ")");
        assertThatThrownBy(() -> CaKeyStore.pkcs11(config, PIN.toCharArray()).signer("no-such-key"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("holds no private key named no-such-key");
        assertThatThrownBy(() -> CaKeyStore.pkcs11(data.resolve("missing.cfg"), PIN.toCharArray()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("missing.cfg");
    }
}
