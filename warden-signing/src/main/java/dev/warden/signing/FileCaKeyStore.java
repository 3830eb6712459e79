package dev.warden.signing;

import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.function.Function;

/** CA keys as owner-only PKCS#8 files, {@code <alias>.key}, in one directory. */
final class FileCaKeyStore implements CaKeyStore {

    private final Path dir;
    private final java.util.Map<String, PrivateKey> loaded =
            new java.util.concurrent.ConcurrentHashMap<>();

    FileCaKeyStore(Path dir) {
        this.dir = dir;
    }

    @Override
    public X509Certificate create(String alias, Function<PublicKey, X509Certificate> certify) {
        try {
            KeyPair keys = CertificateAuthority.ec("secp384r1");
            X509Certificate cert = certify.apply(keys.getPublic());
            CertificateAuthority.writeSecret(
                    file(alias),
                    CertificateAuthority.pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
            return cert;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public ContentSigner signer(String alias) {
        try {
            return new JcaContentSignerBuilder("SHA384withECDSA")
                    .build(loaded.computeIfAbsent(alias, this::load));
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("key " + file(alias) + ": " + e.getMessage(), e);
        }
    }

    private PrivateKey load(String alias) {
        Path f = file(alias);
        if (!Files.exists(f)) {
            throw new IllegalStateException("no key " + f);
        }
        try {
            return KeyFactory.getInstance("EC")
                    .generatePrivate(
                            new PKCS8EncodedKeySpec(
                                    CertificateAuthority.pemBody(Files.readString(f))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("key " + f + ": " + e.getMessage(), e);
        }
    }

    private Path file(String alias) {
        return dir.resolve(alias + ".key");
    }
}
