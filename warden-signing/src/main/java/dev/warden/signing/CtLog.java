package dev.warden.signing;

import dev.warden.log.TransparencyLog;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;

/**
 * Warden's certificate transparency log: every precertificate the CA issues is appended to a log of
 * the log module (entry: RFC 6962 {@code PreCert} as signed, with its timestamp) before the SCT
 * that promises its inclusion is returned. The SCT is signed with the CT log's ECDSA P-256 key.
 */
public final class CtLog {

    private final TransparencyLog log;
    private final PrivateKey key;
    private final PublicKey publicKey;
    private final byte[] logId;

    private CtLog(TransparencyLog log, PrivateKey key, PublicKey publicKey) {
        this.log = log;
        this.key = key;
        this.publicKey = publicKey;
        this.logId = sha256(publicKey.getEncoded());
    }

    /** The CT log over {@code log}, with its key in {@code keyFile} (created the first time). */
    public static CtLog open(TransparencyLog log, Path keyFile) {
        KeyPair kp = ecKeyFile(keyFile);
        return new CtLog(log, kp.getPrivate(), kp.getPublic());
    }

    /**
     * An ECDSA P-256 key pair kept in one owner-only PEM file (private then public), created the
     * first time.
     */
    static KeyPair ecKeyFile(Path keyFile) {
        try {
            if (!Files.exists(keyFile)) {
                Files.createDirectories(keyFile.toAbsolutePath().getParent());
                KeyPair kp = CertificateAuthority.ec("secp256r1");
                CertificateAuthority.writeSecret(
                        keyFile,
                        CertificateAuthority.pem("PRIVATE KEY", kp.getPrivate().getEncoded())
                                + CertificateAuthority.pem(
                                        "PUBLIC KEY", kp.getPublic().getEncoded()));
            }
            String text = Files.readString(keyFile);
            int split = text.indexOf("-----BEGIN PUBLIC KEY-----");
            KeyFactory f = KeyFactory.getInstance("EC");
            PrivateKey k =
                    f.generatePrivate(
                            new PKCS8EncodedKeySpec(
                                    CertificateAuthority.pemBody(text.substring(0, split))));
            PublicKey p =
                    f.generatePublic(
                            new X509EncodedKeySpec(
                                    CertificateAuthority.pemBody(text.substring(split))));
            return new KeyPair(p, k);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("key file " + keyFile + ": " + e.getMessage(), e);
        }
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    public TransparencyLog log() {
        return log;
    }

    /**
     * Logs a precertificate and answers the TLS-encoded SignedCertificateTimestampList to embed.
     */
    byte[] sct(byte[] tbs, byte[] issuerSpki, Instant now) throws GeneralSecurityException {
        long timestamp = now.toEpochMilli();
        ByteArrayOutputStream signed = new ByteArrayOutputStream();
        signed.write(0); // v1
        signed.write(0); // certificate_timestamp
        signed.writeBytes(ByteBuffer.allocate(8).putLong(timestamp).array());
        signed.write(0);
        signed.write(1); // precert_entry
        signed.writeBytes(sha256(issuerSpki));
        signed.write(tbs.length >>> 16);
        signed.write(tbs.length >>> 8);
        signed.write(tbs.length);
        signed.writeBytes(tbs);
        signed.write(0);
        signed.write(0); // no extensions
        byte[] data = signed.toByteArray();
        log.appendAndWait(data);
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(key);
        s.update(data);
        byte[] sig = s.sign();
        ByteArrayOutputStream sct = new ByteArrayOutputStream();
        sct.write(0);
        sct.writeBytes(logId);
        sct.writeBytes(ByteBuffer.allocate(8).putLong(timestamp).array());
        sct.write(0);
        sct.write(0);
        sct.write(4); // sha256
        sct.write(3); // ecdsa
        sct.write(sig.length >>> 8);
        sct.write(sig.length);
        sct.writeBytes(sig);
        byte[] one = sct.toByteArray();
        return ByteBuffer.allocate(4 + one.length)
                .putShort((short) (one.length + 2))
                .putShort((short) one.length)
                .put(one)
                .array();
    }

    static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
