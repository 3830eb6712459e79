package dev.warden.signing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.log.KeyFiles;

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
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * The instance's Fulcio: a root certificate whose key lives offline and online intermediates that
 * issue 10-minute code-signing certificates. Each certificate is first issued as a precertificate
 * that Warden's CT log records and answers with an SCT, which is then embedded (RFC 6962 §3.3), as
 * Fulcio does.
 *
 * <p>The key directory holds {@code ca-root.pem}, each intermediate's certificate ({@code
 * <alias>.pem}) and {@code ca.json}, which lists the intermediates with the time each starts
 * issuing. Intermediate keys are in a {@link CaKeyStore} (files beside them, or an HSM). When the
 * CA is created the root key is written once, to {@code ca-root.key}, to be moved off the server:
 * it is needed only by {@link #rotate}, which adds an intermediate that takes over at a set time,
 * so that the server and clients have the new trusted root before its first certificate.
 */
public final class CertificateAuthority {

    public static final Duration LEAF_LIFETIME = Duration.ofMinutes(10);
    static final String SCT_LIST = "1.3.6.1.4.1.11129.2.4.2";
    static final String STATE = "ca.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * An intermediate: its key's alias in the key store, its certificate, and when it starts
     * issuing.
     */
    public record Intermediate(String alias, X509Certificate certificate, Instant from) {}

    private record State(byte[] file, X509Certificate root, List<Intermediate> intermediates) {}

    private final Path dir;
    private final CaKeyStore store;
    private final CtLog ct;
    private final SecureRandom random = new SecureRandom();
    private volatile State state;

    private CertificateAuthority(Path dir, CaKeyStore store, CtLog ct, State state) {
        this.dir = dir;
        this.store = store;
        this.ct = ct;
        this.state = state;
    }

    /**
     * Opens the CA in {@code dir}, creating a root and a first intermediate for {@code name} the
     * first time.
     */
    public static CertificateAuthority open(
            Path dir, String name, CtLog ct, CaKeyStore store, Instant now) {
        try {
            if (!Files.exists(dir.resolve(STATE))
                    && Files.exists(dir.resolve("ca-root.pem"))
                    && Files.exists(dir.resolve("ca-intermediate.pem"))) {
                // a CA made before intermediates rotated: its one intermediate, by the names it
                // has, from the root's start
                ObjectNode state = JSON.createObjectNode();
                state.putArray("intermediates")
                        .addObject()
                        .put("alias", "ca-intermediate")
                        .put(
                                "from",
                                certificate(Files.readAllBytes(dir.resolve("ca-root.pem")))
                                        .getNotBefore()
                                        .toInstant()
                                        .toString());
                KeyFiles.write(
                        dir.resolve(STATE),
                        JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(state),
                        false);
            }
            if (!Files.exists(dir.resolve(STATE))) {
                Files.createDirectories(dir);
                KeyPair rootKeys = ec("secp384r1");
                X500Name rootName = new X500Name("O=" + name + ",CN=" + name + " root");
                X509Certificate r =
                        ca(
                                rootName,
                                rootKeys.getPublic(),
                                rootName,
                                rootKeys.getPrivate(),
                                now,
                                Duration.ofDays(3650),
                                1);
                writeSecret(
                        dir.resolve("ca-root.key"),
                        pem("PRIVATE KEY", rootKeys.getPrivate().getEncoded()));
                write(dir.resolve("ca-root.pem"), pem("CERTIFICATE", r.getEncoded()));
                addIntermediate(
                        dir, store, r, rootKeys.getPrivate(), r.getNotBefore().toInstant(), now);
            }
            return new CertificateAuthority(dir, store, ct, load(dir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(
                    "certificate authority in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Adds an intermediate to the CA in {@code dir}, its key made in {@code store} and certified by
     * the root key {@code rootKey}, to start issuing at {@code from} (which must be after the
     * current intermediate's start). Running servers pick it up from {@code ca.json} when they next
     * refresh.
     */
    public static Intermediate rotate(
            Path dir, CaKeyStore store, PrivateKey rootKey, Instant from, Instant now) {
        try {
            State s = load(dir);
            Instant last = s.intermediates().get(s.intermediates().size() - 1).from();
            if (!from.isAfter(last)) {
                throw new IllegalArgumentException(
                        "the new intermediate must start after the current one's start ("
                                + last
                                + ")");
            }
            Signature probe = Signature.getInstance("SHA384withECDSA");
            probe.initSign(rootKey);
            probe.update(STATE.getBytes(StandardCharsets.US_ASCII));
            if (!Keys.verify(
                    s.root().getPublicKey(),
                    STATE.getBytes(StandardCharsets.US_ASCII),
                    probe.sign())) {
                throw new IllegalArgumentException(
                        "that key is not the root's: its certificate is "
                                + dir.resolve("ca-root.pem"));
            }
            return addIntermediate(dir, store, s.root(), rootKey, from, now);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalArgumentException("the root key cannot sign: " + e.getMessage(), e);
        }
    }

    private static Intermediate addIntermediate(
            Path dir,
            CaKeyStore store,
            X509Certificate root,
            PrivateKey rootKey,
            Instant from,
            Instant now)
            throws IOException, GeneralSecurityException, OperatorCreationException {
        ObjectNode state =
                Files.exists(dir.resolve(STATE))
                        ? (ObjectNode) JSON.readTree(dir.resolve(STATE).toFile())
                        : JSON.createObjectNode();
        ArrayNode list =
                state.has("intermediates")
                        ? (ArrayNode) state.get("intermediates")
                        : state.putArray("intermediates");
        String alias = "ca-intermediate-" + (list.size() + 1);
        X500Name rootName = X500Name.getInstance(root.getSubjectX500Principal().getEncoded());
        String org = root.getSubjectX500Principal().getName().replaceFirst(".*O=([^,]*).*", "$1");
        X500Name name =
                new X500Name("O=" + org + ",CN=" + org + " intermediate " + (list.size() + 1));
        X509Certificate cert =
                store.create(
                        alias,
                        key -> {
                            try {
                                return ca(
                                        name,
                                        key,
                                        rootName,
                                        rootKey,
                                        now,
                                        Duration.ofDays(1825),
                                        0);
                            } catch (GeneralSecurityException
                                    | OperatorCreationException
                                    | IOException e) {
                                throw new IllegalStateException(
                                        "certifying " + alias + ": " + e.getMessage(), e);
                            }
                        });
        write(dir.resolve(alias + ".pem"), pem("CERTIFICATE", cert.getEncoded()));
        list.addObject().put("alias", alias).put("from", from.toString());
        KeyFiles.write(
                dir.resolve(STATE),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(state),
                false);
        return new Intermediate(alias, cert, from);
    }

    private static State load(Path dir) throws IOException, GeneralSecurityException {
        byte[] file = Files.readAllBytes(dir.resolve(STATE));
        X509Certificate root = certificate(Files.readAllBytes(dir.resolve("ca-root.pem")));
        List<Intermediate> list = new ArrayList<>();
        for (JsonNode n : JSON.readTree(file).path("intermediates")) {
            String alias = n.path("alias").asText();
            list.add(
                    new Intermediate(
                            alias,
                            certificate(Files.readAllBytes(dir.resolve(alias + ".pem"))),
                            Instant.parse(n.path("from").asText())));
        }
        if (list.isEmpty()) {
            throw new IllegalStateException(dir.resolve(STATE) + " lists no intermediate");
        }
        return new State(file, root, List.copyOf(list));
    }

    /** Re-reads {@code ca.json}; true when the intermediates changed. */
    public boolean reload() {
        try {
            byte[] file = Files.readAllBytes(dir.resolve(STATE));
            if (java.util.Arrays.equals(file, state.file())) {
                return false;
            }
            State s = load(dir);
            for (Intermediate i : s.intermediates()) {
                store.signer(i.alias()); // a missing key fails here, not at the first certificate
            }
            state = s;
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "certificate authority in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Reads a root key file (PKCS#8 PEM), as {@code ca-root.key} was written. */
    public static PrivateKey readKey(Path file) {
        try {
            return KeyFactory.getInstance("EC")
                    .generatePrivate(new PKCS8EncodedKeySpec(pemBody(Files.readString(file))));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException(file + " is not an EC private key (PKCS#8 PEM)", e);
        }
    }

    public X509Certificate root() {
        return state.root();
    }

    /** Every intermediate, oldest first, each issuing from its start until the next one's. */
    public List<Intermediate> intermediates() {
        return state.intermediates();
    }

    /** The intermediate that issues at {@code now}. */
    public Intermediate current(Instant now) {
        return current(state, now);
    }

    private static Intermediate current(State state, Instant now) {
        Intermediate current = null;
        for (Intermediate i : state.intermediates()) {
            if (!i.from().isAfter(now)) {
                current = i;
            }
        }
        return current != null ? current : state.intermediates().get(0);
    }

    public CtLog ct() {
        return ct;
    }

    /**
     * Issues a code-signing certificate for {@code key}, valid from {@code now} for 10 minutes, by
     * the intermediate current at {@code now}.
     *
     * @param san the subject alternative name (a URI, or an email address when it contains '@' and
     *     no scheme)
     * @param extensions Fulcio extensions by OID, DER UTF8String values
     * @param legacy Fulcio's older extensions (1.3.6.1.4.1.57264.1.1 to .6), raw string values
     * @return the chain: the certificate, its intermediate, the root
     */
    public List<X509Certificate> issue(
            PublicKey key,
            String san,
            Map<String, String> extensions,
            Map<String, String> legacy,
            Instant now) {
        State s = state;
        Intermediate by = current(s, now);
        try {
            BigInteger serial = new BigInteger(159, random);
            Date from = Date.from(now);
            Date to = Date.from(now.plus(LEAF_LIFETIME));
            X509Certificate intermediate = by.certificate();
            X500Name issuer =
                    X500Name.getInstance(intermediate.getSubjectX500Principal().getEncoded());
            X509CertificateHolder pre =
                    leaf(intermediate, issuer, serial, from, to, key, san, extensions, legacy)
                            .build(store.signer(by.alias()));
            byte[] tbs = pre.toASN1Structure().getTBSCertificate().getEncoded("DER");
            byte[] sctList = ct.sct(tbs, intermediate.getPublicKey().getEncoded(), now);
            X509v3CertificateBuilder fin =
                    leaf(intermediate, issuer, serial, from, to, key, san, extensions, legacy);
            fin.addExtension(
                    new ASN1ObjectIdentifier(SCT_LIST), false, new DEROctetString(sctList));
            return List.of(
                    new JcaX509CertificateConverter()
                            .getCertificate(fin.build(store.signer(by.alias()))),
                    intermediate,
                    s.root());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("issuing a certificate: " + e.getMessage(), e);
        }
    }

    private static X509v3CertificateBuilder leaf(
            X509Certificate intermediate,
            X500Name issuer,
            BigInteger serial,
            Date from,
            Date to,
            PublicKey key,
            String san,
            Map<String, String> extensions,
            Map<String, String> legacy)
            throws IOException, GeneralSecurityException {
        X509v3CertificateBuilder b =
                new JcaX509v3CertificateBuilder(
                        issuer, serial, from, to, new X500Name(new RDN[0]), key);
        JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        b.addExtension(
                Extension.extendedKeyUsage,
                false,
                new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning));
        b.addExtension(
                Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(key));
        b.addExtension(
                Extension.authorityKeyIdentifier,
                false,
                utils.createAuthorityKeyIdentifier(intermediate.getPublicKey()));
        boolean email = san.contains("@") && !san.contains("://");
        b.addExtension(
                Extension.subjectAlternativeName,
                true,
                new GeneralNames(
                        new GeneralName(
                                email
                                        ? GeneralName.rfc822Name
                                        : GeneralName.uniformResourceIdentifier,
                                san)));
        for (Map.Entry<String, String> e : legacy.entrySet()) {
            b.addExtension(
                    new ASN1ObjectIdentifier(e.getKey()),
                    false,
                    e.getValue().getBytes(StandardCharsets.UTF_8));
        }
        for (Map.Entry<String, String> e : extensions.entrySet()) {
            b.addExtension(
                    new ASN1ObjectIdentifier(e.getKey()), false, new DERUTF8String(e.getValue()));
        }
        return b;
    }

    static X509Certificate ca(
            X500Name subject,
            PublicKey key,
            X500Name issuer,
            PrivateKey issuerKey,
            Instant now,
            Duration life,
            int pathLen)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        X509v3CertificateBuilder b =
                new JcaX509v3CertificateBuilder(
                        issuer,
                        new BigInteger(159, new SecureRandom()),
                        Date.from(now.minus(Duration.ofMinutes(5))),
                        Date.from(now.plus(life)),
                        subject,
                        key);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(pathLen));
        b.addExtension(
                Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        b.addExtension(
                Extension.subjectKeyIdentifier,
                false,
                new JcaX509ExtensionUtils().createSubjectKeyIdentifier(key));
        if (pathLen == 0) {
            b.addExtension(
                    Extension.extendedKeyUsage,
                    false,
                    new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning));
        }
        return new JcaX509CertificateConverter()
                .getCertificate(
                        b.build(new JcaContentSignerBuilder("SHA384withECDSA").build(issuerKey)));
    }

    static KeyPair ec(String curve) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(curve));
        return g.generateKeyPair();
    }

    static X509Certificate certificate(byte[] pemOrDer) throws GeneralSecurityException {
        return (X509Certificate)
                CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(pemOrDer));
    }

    public static String pem(String type, byte[] der) {
        return "-----BEGIN "
                + type
                + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END "
                + type
                + "-----\n";
    }

    static byte[] pemBody(String pem) {
        return Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
    }

    static void writeSecret(Path file, String text) throws IOException {
        KeyFiles.write(file, text.getBytes(StandardCharsets.UTF_8), true);
    }

    private static void write(Path file, String text) throws IOException {
        KeyFiles.write(file, text.getBytes(StandardCharsets.UTF_8), false);
    }
}
