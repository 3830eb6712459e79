package dev.warden.provenance.sigstore;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;

/**
 * The small pieces under the bundle verifier: ECDSA as the JDK defines it, npm's repository and
 * package URL forms.
 */
class SigstorePartsTest {

    @Test
    void ecdsa_agrees_with_the_jdk_on_good_tampered_and_malformed_signatures() throws Exception {
        for (String curve : new String[] {"secp256r1", "secp384r1"}) {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec(curve));
            KeyPair key = g.generateKeyPair();
            KeyPair other = g.generateKeyPair();
            String alg = curve.equals("secp256r1") ? "SHA256withECDSA" : "SHA384withECDSA";
            for (int i = 0; i < 20; i++) {
                byte[] msg = ("message " + i).getBytes();
                Signature s = Signature.getInstance(alg);
                s.initSign(key.getPrivate());
                s.update(msg);
                byte[] sig = s.sign();
                assertThat(Crypto.verify(key.getPublic(), alg, msg, sig)).isTrue();
                assertThat(Crypto.verify(other.getPublic(), alg, msg, sig)).isFalse();
                assertThat(Crypto.verify(key.getPublic(), alg, ("other " + i).getBytes(), sig))
                        .isFalse();
                byte[] flipped = sig.clone();
                flipped[flipped.length - 1] ^= 1;
                assertThat(Crypto.verify(key.getPublic(), alg, msg, flipped)).isFalse();
                // not DER: trailing garbage, truncation, empty
                assertThat(
                                Crypto.verify(
                                        key.getPublic(),
                                        alg,
                                        msg,
                                        Arrays.copyOf(sig, sig.length + 1)))
                        .isFalse();
                assertThat(
                                Crypto.verify(
                                        key.getPublic(),
                                        alg,
                                        msg,
                                        Arrays.copyOf(sig, sig.length - 1)))
                        .isFalse();
                assertThat(Crypto.verify(key.getPublic(), alg, msg, new byte[0])).isFalse();
            }
        }
    }

    @Test
    void package_json_repository_forms_name_the_same_repository() {
        String source = "https://github.com/octo-org/octo-pkg";
        for (String same :
                new String[] {
                    "git+https://github.com/octo-org/octo-pkg.git",
                    "https://github.com/octo-org/octo-pkg",
                    "git://github.com/octo-org/octo-pkg.git",
                    "git@github.com:octo-org/octo-pkg.git",
                    "git+ssh://git@github.com/octo-org/octo-pkg.git",
                    "https://github.com/Octo-Org/octo-pkg/",
                    "https://github.com/octo-org/octo-pkg.git#main"
                }) {
            assertThat(NpmProvenance.sameRepository(same, source)).as(same).isTrue();
        }
        for (String other :
                new String[] {
                    "https://github.com/octo-org/octo-pkg-fork",
                    "https://gitlab.com/octo-org/octo-pkg",
                    "https://github.com/octo-org",
                    "https://github.com/evil/octo-pkg"
                }) {
            assertThat(NpmProvenance.sameRepository(other, source)).as(other).isFalse();
        }
    }

    @Test
    void package_urls_and_workflow_refs_are_npms() {
        assertThat(NpmProvenance.purl("@scope/name", "1.0.0"))
                .isEqualTo("pkg:npm/%40scope/name@1.0.0");
        assertThat(NpmProvenance.purl("name", "2.0.0-rc.1")).isEqualTo("pkg:npm/name@2.0.0-rc.1");
        assertThat(
                        NpmProvenance.stripRef(
                                "https://github.com/o/r/.github/workflows/release.yml@refs/tags/v1"))
                .isEqualTo("https://github.com/o/r/.github/workflows/release.yml");
        assertThat(NpmProvenance.stripRef("https://github.com/o/r/.github/workflows/release.yml"))
                .isEqualTo("https://github.com/o/r/.github/workflows/release.yml");
    }
}
