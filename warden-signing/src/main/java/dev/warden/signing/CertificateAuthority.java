package dev.warden.signing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The instance's Fulcio: a root certificate whose key is meant to live offline and an online
 * intermediate that issues 10-minute code-signing certificates. Each certificate is first issued
 * as a precertificate that Warden's CT log records and answers with an SCT, which is then embedded
 * (RFC 6962 §3.3), as Fulcio does.
 *
 * <p>Keys are files (PKCS#8, owner-only) under the key directory: {@code ca-root.key} is written
 * once, when the CA is created, so that it can be moved off the server; only the intermediate's key
 * is needed to issue. An HSM or KMS holds the intermediate key behind the same {@code sign} step.
 */
public final class CertificateAuthority {

    public static final Duration LEAF_LIFETIME = Duration.ofMinutes(10);
    static final String SCT_LIST = "1.3.6.1.4.1.11129.2.4.2";

    private final X509Certificate root;
    private final X509Certificate intermediate;
    private final PrivateKey intermediateKey;
    private final CtLog ct;
    private final SecureRandom random = new SecureRandom();

    private CertificateAuthority(X509Certificate root, X509Certificate intermediate, PrivateKey intermediateKey, CtLog ct) {
        this.root = root;
        this.intermediate = intermediate;
        this.intermediateKey = intermediateKey;
        this.ct = ct;
    }

    /** Opens the CA in {@code dir}, creating a root and an intermediate for {@code name} the first time. */
    public static CertificateAuthority open(Path dir, String name, CtLog ct, Instant now) {
        try {
            Path rootPem = dir.resolve("ca-root.pem");
            Path interPem = dir.resolve("ca-intermediate.pem");
            Path interKey = dir.resolve("ca-intermediate.key");
            if (!Files.exists(interPem)) {
                Files.createDirectories(dir);
                KeyPair rootKeys = ec("secp384r1");
                KeyPair interKeys = ec("secp384r1");
                X500Name rootName = new X500Name("O=" + name + ",CN=" + name + " root");
                X500Name interName = new X500Name("O=" + name + ",CN=" + name + " intermediate");
                X509Certificate r = ca(rootName, rootKeys.getPublic(), rootName, rootKeys.getPrivate(), now, Duration.ofDays(3650), 1);
                X509Certificate i = ca(interName, interKeys.getPublic(), rootName, rootKeys.getPrivate(), now, Duration.ofDays(1825), 0);
                writeSecret(dir.resolve("ca-root.key"), pem("PRIVATE KEY", rootKeys.getPrivate().getEncoded()));
                writeSecret(interKey, pem("PRIVATE KEY", interKeys.getPrivate().getEncoded()));
                write(rootPem, pem("CERTIFICATE", r.getEncoded()));
                write(interPem, pem("CERTIFICATE", i.getEncoded()));
            }
            X509Certificate r = certificate(Files.readAllBytes(rootPem));
            X509Certificate i = certificate(Files.readAllBytes(interPem));
            PrivateKey k = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pemBody(Files.readString(interKey))));
            return new CertificateAuthority(r, i, k, ct);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("certificate authority in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The chain clients are given: intermediate, then root. */
    public List<X509Certificate> chain() {
        return List.of(intermediate, root);
    }

    public CtLog ct() {
        return ct;
    }

    /**
     * Issues a code-signing certificate for {@code key}, valid from {@code now} for 10 minutes.
     *
     * @param san the subject alternative name (a URI, or an email address when it contains '@' and no scheme)
     * @param extensions Fulcio extensions by OID, DER UTF8String values
     * @param legacy Fulcio's older extensions (1.3.6.1.4.1.57264.1.1 to .6), raw string values
     */
    public X509Certificate issue(PublicKey key, String san, Map<String, String> extensions, Map<String, String> legacy, Instant now) {
        try {
            BigInteger serial = new BigInteger(159, random);
            Date from = Date.from(now);
            Date to = Date.from(now.plus(LEAF_LIFETIME));
            X500Name issuer = X500Name.getInstance(intermediate.getSubjectX500Principal().getEncoded());
            X509CertificateHolder pre = leaf(issuer, serial, from, to, key, san, extensions, legacy).build(signer());
            byte[] tbs = pre.toASN1Structure().getTBSCertificate().getEncoded("DER");
            byte[] sctList = ct.sct(tbs, intermediate.getPublicKey().getEncoded(), now);
            X509v3CertificateBuilder fin = leaf(issuer, serial, from, to, key, san, extensions, legacy);
            fin.addExtension(new ASN1ObjectIdentifier(SCT_LIST), false, new DEROctetString(sctList));
            return new JcaX509CertificateConverter().getCertificate(fin.build(signer()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("issuing a certificate: " + e.getMessage(), e);
        }
    }

    private org.bouncycastle.operator.ContentSigner signer() throws OperatorCreationException {
        return new JcaContentSignerBuilder("SHA384withECDSA").build(intermediateKey);
    }

    private X509v3CertificateBuilder leaf(X500Name issuer, BigInteger serial, Date from, Date to, PublicKey key, String san,
            Map<String, String> extensions, Map<String, String> legacy) throws IOException, GeneralSecurityException {
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, serial, from, to, new X500Name(new RDN[0]), key);
        JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning));
        b.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(key));
        b.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(intermediate.getPublicKey()));
        boolean email = san.contains("@") && !san.contains("://");
        b.addExtension(Extension.subjectAlternativeName, true,
                new GeneralNames(new GeneralName(email ? GeneralName.rfc822Name : GeneralName.uniformResourceIdentifier, san)));
        for (Map.Entry<String, String> e : legacy.entrySet()) {
            b.addExtension(new ASN1ObjectIdentifier(e.getKey()), false, e.getValue().getBytes(StandardCharsets.UTF_8));
        }
        for (Map.Entry<String, String> e : extensions.entrySet()) {
            b.addExtension(new ASN1ObjectIdentifier(e.getKey()), false, new DERUTF8String(e.getValue()));
        }
        return b;
    }

    private static X509Certificate ca(X500Name subject, PublicKey key, X500Name issuer, PrivateKey issuerKey, Instant now, Duration life,
            int pathLen) throws GeneralSecurityException, OperatorCreationException, IOException {
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, new BigInteger(159, new SecureRandom()),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(life)), subject, key);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(pathLen));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        b.addExtension(Extension.subjectKeyIdentifier, false, new JcaX509ExtensionUtils().createSubjectKeyIdentifier(key));
        if (pathLen == 0) {
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning));
        }
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA384withECDSA").build(issuerKey)));
    }

    static KeyPair ec(String curve) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(curve));
        return g.generateKeyPair();
    }

    static X509Certificate certificate(byte[] pemOrDer) throws GeneralSecurityException {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pemOrDer));
    }

    public static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    static byte[] pemBody(String pem) {
        return Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
    }

    static void writeSecret(Path file, String text) throws IOException {
        dev.warden.log.KeyFiles.write(file, text.getBytes(StandardCharsets.UTF_8), true);
    }

    private static void write(Path file, String text) throws IOException {
        dev.warden.log.KeyFiles.write(file, text.getBytes(StandardCharsets.UTF_8), false);
    }
}
