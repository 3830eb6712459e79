package dev.warden.signing;

import org.bouncycastle.operator.ContentSigner;

import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.function.Function;

/**
 * Where the CA's online (intermediate) keys live. {@link #files} keeps them as owner-only PKCS#8
 * files; {@link #pkcs11} keeps them in an HSM through the JDK's PKCS#11 provider, generated inside
 * the token and used there, so the private key never leaves it. A KMS implements the same three
 * steps.
 */
public interface CaKeyStore {

    /**
     * Makes a P-384 key pair named {@code alias}, has {@code certify} issue its certificate, and
     * keeps the key (with the certificate, where the store holds both).
     */
    X509Certificate create(String alias, Function<PublicKey, X509Certificate> certify);

    /**
     * A signer with {@code alias}'s key (ECDSA, SHA-384), or an {@link IllegalStateException}
     * naming what is missing.
     */
    ContentSigner signer(String alias);

    static CaKeyStore files(Path dir) {
        return new FileCaKeyStore(dir);
    }

    /**
     * @param config a SunPKCS11 configuration file (library, slot)
     * @param pin the token's user PIN
     */
    static CaKeyStore pkcs11(Path config, char[] pin) {
        return new Pkcs11CaKeyStore(config, pin);
    }
}
