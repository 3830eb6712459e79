package dev.warden.signing;

import dev.warden.common.Problem;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampResponseGenerator;
import org.bouncycastle.tsp.TimeStampTokenGenerator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * The instance's RFC 3161 timestamp authority, at Sigstore's timestamp-authority path ({@code POST
 * /api/v1/timestamp}, {@code application/timestamp-query} in, {@code application/timestamp-reply}
 * out): it gives signatures a trusted time where the log gives none (Rekor v2 entries). Its signing
 * certificate (ECDSA P-256, extended key usage timeStamping only, critical) is issued at first
 * start by a root of its own, whose key ({@code tsa-root.key}) belongs offline like the CA's.
 */
public final class TimestampAuthority {

    /** The TSA policy Sigstore's timestamp authorities use. */
    static final String POLICY = "1.3.6.1.4.1.57264.2";

    private static final Set<ASN1ObjectIdentifier> DIGESTS =
            Set.of(
                    NISTObjectIdentifiers.id_sha256,
                    NISTObjectIdentifiers.id_sha384,
                    NISTObjectIdentifiers.id_sha512);

    private final List<X509Certificate> chain;
    private final TimeStampResponseGenerator generator;
    private final SecureRandom random = new SecureRandom();

    private TimestampAuthority(List<X509Certificate> chain, TimeStampResponseGenerator generator) {
        this.chain = chain;
        this.generator = generator;
    }

    /**
     * Opens the TSA in {@code dir}, creating its root, key and certificate for {@code name} the
     * first time.
     */
    public static TimestampAuthority open(Path dir, String name, Instant now) {
        Path chainFile = dir.resolve("tsa-chain.pem");
        try {
            KeyPair key = CtLog.ecKeyFile(dir.resolve("tsa.key"));
            if (!Files.exists(chainFile)) {
                KeyPair root = CertificateAuthority.ec("secp384r1");
                X500Name rootName = new X500Name("O=" + name + ",CN=" + name + " timestamp root");
                X509Certificate r =
                        CertificateAuthority.ca(
                                rootName,
                                root.getPublic(),
                                rootName,
                                root.getPrivate(),
                                now,
                                Duration.ofDays(3650),
                                1);
                X509v3CertificateBuilder b =
                        new JcaX509v3CertificateBuilder(
                                rootName,
                                new BigInteger(159, new SecureRandom()),
                                Date.from(now.minus(Duration.ofMinutes(5))),
                                Date.from(now.plus(Duration.ofDays(1825))),
                                new X500Name("O=" + name + ",CN=" + name + " timestamp authority"),
                                key.getPublic());
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                b.addExtension(
                        Extension.extendedKeyUsage,
                        true,
                        new ExtendedKeyUsage(KeyPurposeId.id_kp_timeStamping));
                b.addExtension(
                        Extension.subjectKeyIdentifier,
                        false,
                        new JcaX509ExtensionUtils().createSubjectKeyIdentifier(key.getPublic()));
                b.addExtension(
                        Extension.authorityKeyIdentifier,
                        false,
                        new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(r));
                X509Certificate leaf =
                        new JcaX509CertificateConverter()
                                .getCertificate(
                                        b.build(
                                                new JcaContentSignerBuilder("SHA384withECDSA")
                                                        .build(root.getPrivate())));
                CertificateAuthority.writeSecret(
                        dir.resolve("tsa-root.key"),
                        CertificateAuthority.pem("PRIVATE KEY", root.getPrivate().getEncoded()));
                dev.warden.log.KeyFiles.write(
                        chainFile,
                        (CertificateAuthority.pem("CERTIFICATE", leaf.getEncoded())
                                        + CertificateAuthority.pem("CERTIFICATE", r.getEncoded()))
                                .getBytes(StandardCharsets.US_ASCII),
                        false);
            }
            List<X509Certificate> chain = new ArrayList<>();
            String pem = Files.readString(chainFile);
            for (String part : pem.split("(?=-----BEGIN CERTIFICATE-----)")) {
                chain.add(
                        CertificateAuthority.certificate(part.getBytes(StandardCharsets.US_ASCII)));
            }
            TimeStampTokenGenerator tokens =
                    new TimeStampTokenGenerator(
                            new JcaSimpleSignerInfoGeneratorBuilder()
                                    .build("SHA256withECDSA", key.getPrivate(), chain.get(0)),
                            new JcaDigestCalculatorProviderBuilder()
                                    .build()
                                    .get(new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256)),
                            new ASN1ObjectIdentifier(POLICY));
            tokens.addCertificates(new JcaCertStore(List.of(chain.get(0))));
            return new TimestampAuthority(
                    List.copyOf(chain), new TimeStampResponseGenerator(tokens, DIGESTS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | OperatorCreationException | TSPException e) {
            throw new IllegalStateException(
                    "timestamp authority in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The signing certificate, then the TSA's root. */
    public List<X509Certificate> chain() {
        return chain;
    }

    /**
     * Answers a DER {@code TimeStampReq} with a granted {@code TimeStampResp} for {@code now}. A
     * request that does not parse, asks for another policy, or uses a digest other than SHA-256,
     * SHA-384 or SHA-512 (or one of the wrong length) is a 400, as Sigstore's timestamp authority
     * answers it.
     */
    public synchronized byte[] timestamp(byte[] request, Instant now) {
        TimeStampRequest req;
        try {
            req = new TimeStampRequest(request);
            req.getMessageImprintAlgOID();
        } catch (IOException
                | RuntimeException
                        e) { // the ASN.1 parser throws several unchecked kinds for malformed input
            throw Problem.badRequest("not a DER RFC 3161 TimeStampReq");
        }
        if (!DIGESTS.contains(req.getMessageImprintAlgOID())) {
            throw Problem.badRequest(
                    "the message imprint's digest "
                            + req.getMessageImprintAlgOID()
                            + " is not SHA-256, SHA-384 or SHA-512");
        }
        if (req.getReqPolicy() != null && !POLICY.equals(req.getReqPolicy().getId())) {
            throw Problem.badRequest(
                    "this authority stamps under policy "
                            + POLICY
                            + ", not "
                            + req.getReqPolicy().getId());
        }
        try {
            req.validate(DIGESTS, null, null);
            TimeStampResponse resp =
                    generator.generateGrantedResponse(
                            req, new BigInteger(127, random), Date.from(now));
            return resp.getEncoded();
        } catch (TSPException e) {
            throw Problem.badRequest("the timestamp request is refused: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
