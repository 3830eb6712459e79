package dev.warden.signing;

import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.function.Function;

/**
 * CA keys in a PKCS#11 token (an HSM, or SoftHSM), through the JDK's SunPKCS11 provider: keys are
 * generated in the token as non-extractable private objects, stored under their alias with their
 * certificate, and sign there.
 */
final class Pkcs11CaKeyStore implements CaKeyStore {

    private final Provider provider;
    private final KeyStore token;
    private final Path config;
    private final char[] pin;
    private final java.util.Map<String, PrivateKey> loaded =
            new java.util.concurrent.ConcurrentHashMap<>();

    Pkcs11CaKeyStore(Path config, char[] pin) {
        this.config = config;
        this.pin = pin.clone();
        Provider base = Security.getProvider("SunPKCS11");
        if (base == null) {
            throw new IllegalStateException("this JDK has no SunPKCS11 provider");
        }
        try {
            this.provider = base.configure(config.toString());
            this.token = KeyStore.getInstance("PKCS11", provider);
            token.load(null, pin);
        } catch (IOException
                | GeneralSecurityException
                | java.security.ProviderException
                | IllegalArgumentException e) {
            throw new IllegalStateException("PKCS#11 token (" + config + "): " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized X509Certificate create(
            String alias, Function<PublicKey, X509Certificate> certify) {
        try {
            if (token.containsAlias(alias)) {
                throw new IllegalStateException("the token already holds a key named " + alias);
            }
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC", provider);
            g.initialize(new ECGenParameterSpec("secp384r1"));
            KeyPair keys = g.generateKeyPair();
            X509Certificate cert = certify.apply(keys.getPublic());
            token.setKeyEntry(alias, keys.getPrivate(), null, new Certificate[] {cert});
            return cert;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PKCS#11 token (" + config + "): " + e.getMessage(), e);
        }
    }

    @Override
    public ContentSigner signer(String alias) {
        try {
            return new JcaContentSignerBuilder("SHA384withECDSA")
                    .setProvider(provider)
                    .build(loaded.computeIfAbsent(alias, this::load));
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("PKCS#11 token (" + config + "): " + e.getMessage(), e);
        }
    }

    private synchronized PrivateKey load(String alias) {
        try {
            Key k = token.getKey(alias, null);
            if (k == null) {
                // another process (warden ca rotate) may have added it since the token was listed
                token.load(null, pin);
                k = token.getKey(alias, null);
            }
            if (!(k instanceof PrivateKey pk)) {
                throw new IllegalStateException(
                        "the PKCS#11 token (" + config + ") holds no private key named " + alias);
            }
            return pk;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("PKCS#11 token (" + config + "): " + e.getMessage(), e);
        }
    }
}
