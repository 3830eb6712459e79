package dev.warden.provenance.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERUTF8String;
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
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A self-contained Sigstore instance for tests: a Fulcio-like CA (root and intermediate), a CT log
 * that embeds SCTs, and a Rekor-like log that answers each entry with a signed entry timestamp, an
 * inclusion proof and a signed checkpoint. {@link #trustedRoot()} is its {@code trusted_root.json};
 * {@link #provenance} makes the bundle {@code npm publish --provenance} would send, for any build.
 */
public final class TestSigstore {

    public static final String GITHUB_ISSUER_CLAIM = "https://token.actions.githubusercontent.com";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FULCIO = "1.3.6.1.4.1.57264.1.";

    private final String name;
    private final KeyPair root = ec();
    private final KeyPair intermediate = ec();
    private final KeyPair ctLog;
    private final KeyPair rekor;
    private final X509Certificate rootCert;
    private final X509Certificate intermediateCert;
    private final AtomicLong serial = new AtomicLong(1);

    /**
     * One CI build: where it came from and what ran it. Defaults are a GitHub Actions release from
     * octo-org/octo-pkg.
     */
    public record Build(
            String issuer,
            String repository,
            String commit,
            String ref,
            String workflowPath,
            String builderId,
            String runnerEnvironment,
            String runId) {
        public static Build github(String ownerRepo) {
            return new Build(
                    GITHUB_ISSUER_CLAIM,
                    ownerRepo,
                    "0123456789abcdef0123456789abcdef01234567",
                    "refs/heads/main",
                    ".github/workflows/release.yml",
                    "https://github.com/actions/runner/github-hosted",
                    "github-hosted",
                    "4242");
        }

        public Build withRepository(String r) {
            return new Build(
                    issuer, r, commit, ref, workflowPath, builderId, runnerEnvironment, runId);
        }

        public Build withWorkflow(String w) {
            return new Build(
                    issuer, repository, commit, ref, w, builderId, runnerEnvironment, runId);
        }

        public Build withRunner(String builder, String environment) {
            return new Build(
                    issuer, repository, commit, ref, workflowPath, builder, environment, runId);
        }

        public Build withIssuer(String i) {
            return new Build(
                    issuer == null ? null : i,
                    repository,
                    commit,
                    ref,
                    workflowPath,
                    builderId,
                    runnerEnvironment,
                    runId);
        }

        String repositoryUri() {
            return "https://github.com/" + repository;
        }

        String workflowUri() {
            return repositoryUri() + "/" + workflowPath + "@" + ref;
        }
    }

    public TestSigstore(String name) {
        this(name, ec(), ec());
    }

    /**
     * Another certificate authority whose certificates this instance's CT log and transparency log
     * record.
     */
    public TestSigstore withAnotherCa(String caName) {
        return new TestSigstore(caName, ctLog, rekor, name);
    }

    private TestSigstore(String name, KeyPair ctLog, KeyPair rekor) {
        this(name, ctLog, rekor, name);
    }

    private final String logName;

    private TestSigstore(String name, KeyPair ctLog, KeyPair rekor, String logName) {
        this.name = name;
        this.ctLog = ctLog;
        this.rekor = rekor;
        this.logName = logName;
        try {
            Instant now = Instant.now();
            rootCert =
                    caCert(
                            new X500Name("O=" + name + ",CN=" + name + "-root"),
                            root,
                            new X500Name("O=" + name + ",CN=" + name + "-root"),
                            root,
                            now,
                            1);
            intermediateCert =
                    caCert(
                            new X500Name("O=" + name + ",CN=" + name + "-root"),
                            root,
                            new X500Name("O=" + name + ",CN=" + name + "-intermediate"),
                            intermediate,
                            now,
                            0);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** This instance's {@code trusted_root.json}. */
    public String trustedRoot() {
        ObjectNode r = JSON.createObjectNode();
        r.put("mediaType", "application/vnd.dev.sigstore.trustedroot+json;version=0.1");
        String start = "2020-01-01T00:00:00Z";
        ObjectNode tlog = r.putArray("tlogs").addObject();
        tlog.put("baseUrl", "https://rekor." + logName + ".test").put("hashAlgorithm", "SHA2_256");
        tlog.putObject("publicKey")
                .put("rawBytes", b64(rekor.getPublic().getEncoded()))
                .put("keyDetails", "PKIX_ECDSA_P256_SHA_256")
                .putObject("validFor")
                .put("start", start);
        tlog.putObject("logId").put("keyId", b64(sha256(rekor.getPublic().getEncoded())));
        ObjectNode ca = r.putArray("certificateAuthorities").addObject();
        ca.putObject("subject").put("organization", name).put("commonName", name + "-intermediate");
        ca.put("uri", "https://fulcio." + name + ".test");
        ArrayNode chain = ca.putObject("certChain").putArray("certificates");
        chain.addObject().put("rawBytes", b64(der(intermediateCert)));
        chain.addObject().put("rawBytes", b64(der(rootCert)));
        ca.putObject("validFor").put("start", start);
        ObjectNode ct = r.putArray("ctlogs").addObject();
        ct.put("baseUrl", "https://ctfe." + logName + ".test").put("hashAlgorithm", "SHA2_256");
        ct.putObject("publicKey")
                .put("rawBytes", b64(ctLog.getPublic().getEncoded()))
                .put("keyDetails", "PKIX_ECDSA_P256_SHA_256")
                .putObject("validFor")
                .put("start", start);
        ct.putObject("logId").put("keyId", b64(sha256(ctLog.getPublic().getEncoded())));
        r.putArray("timestampAuthorities");
        return r.toString();
    }

    /**
     * The bundle {@code npm publish --provenance} sends for {@code name@version} built by {@code
     * build}: a SLSA v1 statement about the tarball's sha512, in a DSSE envelope signed with a
     * fresh Fulcio certificate for the build's workflow, logged as a Rekor {@code dsse} entry.
     */
    public ObjectNode provenance(String pkg, String version, byte[] tarball, Build build) {
        return bundle(statement(pkg, version, tarball, build), build);
    }

    /** The in-toto statement npm writes for a GitHub Actions build. */
    public static ObjectNode statement(String pkg, String version, byte[] tarball, Build build) {
        ObjectNode s = JSON.createObjectNode();
        s.put("_type", "https://in-toto.io/Statement/v1");
        ObjectNode subject = s.putArray("subject").addObject();
        subject.put("name", "pkg:npm/" + pkg.replaceFirst("^@", "%40") + "@" + version);
        subject.putObject("digest")
                .put("sha512", HexFormat.of().formatHex(digest("SHA-512", tarball)));
        s.put("predicateType", "https://slsa.dev/provenance/v1");
        ObjectNode p = s.putObject("predicate");
        ObjectNode def = p.putObject("buildDefinition");
        def.put(
                "buildType",
                "https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1");
        def.putObject("externalParameters")
                .putObject("workflow")
                .put("ref", build.ref())
                .put("repository", build.repositoryUri())
                .put("path", build.workflowPath());
        def.putArray("resolvedDependencies")
                .addObject()
                .put("uri", "git+" + build.repositoryUri() + "@" + build.ref())
                .putObject("digest")
                .put("gitCommit", build.commit());
        ObjectNode run = p.putObject("runDetails");
        run.putObject("builder").put("id", build.builderId());
        run.putObject("metadata")
                .put(
                        "invocationId",
                        build.repositoryUri() + "/actions/runs/" + build.runId() + "/attempts/1");
        return s;
    }

    /** Signs {@code statement} for {@code build} and logs it: a complete v0.3 bundle. */
    public ObjectNode bundle(ObjectNode statement, Build build) {
        try {
            KeyPair key = ec();
            Instant now = Instant.now();
            X509Certificate leaf = leaf(key, build, now);
            byte[] payload = JSON.writeValueAsBytes(statement);
            String type = "application/vnd.in-toto+json";
            byte[] sig = sign(key.getPrivate(), pae(type, payload));

            String pem =
                    "-----BEGIN CERTIFICATE-----\n"
                            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                    .encodeToString(der(leaf))
                            + "\n-----END CERTIFICATE-----\n";
            ObjectNode body = JSON.createObjectNode();
            body.put("apiVersion", "0.0.1").put("kind", "dsse");
            ObjectNode spec = body.putObject("spec");
            spec.putObject("envelopeHash")
                    .put("algorithm", "sha256")
                    .put("value", HexFormat.of().formatHex(sha256(payload)));
            spec.putObject("payloadHash")
                    .put("algorithm", "sha256")
                    .put("value", HexFormat.of().formatHex(sha256(payload)));
            spec.putArray("signatures")
                    .addObject()
                    .put("signature", b64(sig))
                    .put("verifier", b64(pem.getBytes(StandardCharsets.US_ASCII)));
            byte[] canonical = JSON.writeValueAsBytes(body);

            long index = 0;
            long integrated = now.getEpochSecond();
            byte[] logId = sha256(rekor.getPublic().getEncoded());
            String set =
                    "{\"body\":\""
                            + b64(canonical)
                            + "\",\"integratedTime\":"
                            + integrated
                            + ",\"logID\":\""
                            + HexFormat.of().formatHex(logId)
                            + "\",\"logIndex\":"
                            + index
                            + "}";
            byte[] leafHash = sha256(concat(new byte[] {0}, canonical));
            String origin = "rekor." + logName + ".test - 1";
            String text = origin + "\n1\n" + b64(leafHash) + "\n";
            byte[] cpSig = sign(rekor.getPrivate(), text.getBytes(StandardCharsets.UTF_8));
            String note =
                    text
                            + "\n\u2014 rekor."
                            + logName
                            + ".test "
                            + b64(concat(java.util.Arrays.copyOf(logId, 4), cpSig))
                            + "\n";

            ObjectNode b = JSON.createObjectNode();
            b.put("mediaType", "application/vnd.dev.sigstore.bundle.v0.3+json");
            ObjectNode vm = b.putObject("verificationMaterial");
            vm.putObject("certificate").put("rawBytes", b64(der(leaf)));
            ObjectNode entry = vm.putArray("tlogEntries").addObject();
            entry.put("logIndex", String.valueOf(index));
            entry.putObject("logId").put("keyId", b64(logId));
            entry.putObject("kindVersion").put("kind", "dsse").put("version", "0.0.1");
            entry.put("integratedTime", String.valueOf(integrated));
            entry.putObject("inclusionPromise")
                    .put(
                            "signedEntryTimestamp",
                            b64(sign(rekor.getPrivate(), set.getBytes(StandardCharsets.UTF_8))));
            ObjectNode proof = entry.putObject("inclusionProof");
            proof.put("logIndex", String.valueOf(index))
                    .put("rootHash", b64(leafHash))
                    .put("treeSize", "1");
            proof.putArray("hashes");
            proof.putObject("checkpoint").put("envelope", note);
            entry.put("canonicalizedBody", b64(canonical));
            vm.putObject("timestampVerificationData");
            ObjectNode env = b.putObject("dsseEnvelope");
            env.put("payload", b64(payload)).put("payloadType", type);
            env.putArray("signatures").addObject().put("sig", b64(sig)).put("keyid", "");
            return b;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private X509Certificate leaf(KeyPair key, Build build, Instant now) throws Exception {
        Map<String, String> ext = new LinkedHashMap<>();
        if (build.issuer() != null) {
            ext.put("8", build.issuer());
        }
        ext.put("9", build.workflowUri());
        ext.put("10", build.commit());
        ext.put("11", build.runnerEnvironment());
        if (build.repository() != null) {
            ext.put("12", build.repositoryUri());
        }
        ext.put("13", build.commit());
        ext.put("14", build.ref());
        ext.put("18", build.workflowUri());
        ext.put("19", build.commit());
        ext.put("20", "push");
        ext.put(
                "21",
                (build.repository() == null ? "https://github.com/unknown" : build.repositoryUri())
                        + "/actions/runs/"
                        + build.runId()
                        + "/attempts/1");
        BigInteger sn = BigInteger.valueOf(serial.incrementAndGet());
        Date from = Date.from(now.minusSeconds(60));
        Date to = Date.from(now.plusSeconds(600));
        X500Name issuer =
                X500Name.getInstance(intermediateCert.getSubjectX500Principal().getEncoded());
        // The precertificate: the certificate without its SCT list, which the CT log signs.
        X509v3CertificateBuilder pre = leafBuilder(issuer, sn, from, to, key, build, ext);
        X509CertificateHolder preHolder =
                pre.build(
                        new JcaContentSignerBuilder("SHA256withECDSA")
                                .build(intermediate.getPrivate()));
        byte[] tbs = preHolder.toASN1Structure().getTBSCertificate().getEncoded("DER");
        long ts = now.toEpochMilli();
        ByteArrayOutputStream signed = new ByteArrayOutputStream();
        signed.write(0);
        signed.write(0);
        signed.writeBytes(ByteBuffer.allocate(8).putLong(ts).array());
        signed.write(0);
        signed.write(1);
        signed.writeBytes(sha256(intermediate.getPublic().getEncoded()));
        signed.write(tbs.length >>> 16);
        signed.write(tbs.length >>> 8);
        signed.write(tbs.length);
        signed.writeBytes(tbs);
        signed.write(0);
        signed.write(0);
        byte[] sctSig = sign(ctLog.getPrivate(), signed.toByteArray());
        ByteArrayOutputStream sct = new ByteArrayOutputStream();
        sct.write(0);
        sct.writeBytes(sha256(ctLog.getPublic().getEncoded()));
        sct.writeBytes(ByteBuffer.allocate(8).putLong(ts).array());
        sct.write(0);
        sct.write(0);
        sct.write(4);
        sct.write(3);
        sct.write(sctSig.length >>> 8);
        sct.write(sctSig.length);
        sct.writeBytes(sctSig);
        byte[] one = sct.toByteArray();
        ByteBuffer list =
                ByteBuffer.allocate(4 + one.length)
                        .putShort((short) (one.length + 2))
                        .putShort((short) one.length)
                        .put(one);
        X509v3CertificateBuilder fin = leafBuilder(issuer, sn, from, to, key, build, ext);
        fin.addExtension(
                new ASN1ObjectIdentifier("1.3.6.1.4.1.11129.2.4.2"),
                false,
                new DEROctetString(list.array()));
        return new JcaX509CertificateConverter()
                .getCertificate(
                        fin.build(
                                new JcaContentSignerBuilder("SHA256withECDSA")
                                        .build(intermediate.getPrivate())));
    }

    private static X509v3CertificateBuilder leafBuilder(
            X500Name issuer,
            BigInteger sn,
            Date from,
            Date to,
            KeyPair key,
            Build build,
            Map<String, String> ext)
            throws Exception {
        X509v3CertificateBuilder b =
                new JcaX509v3CertificateBuilder(
                        issuer,
                        sn,
                        from,
                        to,
                        new X500Name(new org.bouncycastle.asn1.x500.RDN[0]),
                        key.getPublic());
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        b.addExtension(
                Extension.extendedKeyUsage,
                false,
                new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning));
        b.addExtension(
                Extension.subjectAlternativeName,
                true,
                new GeneralNames(
                        new GeneralName(
                                GeneralName.uniformResourceIdentifier, build.workflowUri())));
        for (Map.Entry<String, String> e : ext.entrySet()) {
            b.addExtension(
                    new ASN1ObjectIdentifier(FULCIO + e.getKey()),
                    false,
                    new DERUTF8String(e.getValue()));
        }
        return b;
    }

    private static X509Certificate caCert(
            X500Name issuer,
            KeyPair issuerKey,
            X500Name subject,
            KeyPair key,
            Instant now,
            int pathLen)
            throws Exception {
        X509v3CertificateBuilder b =
                new JcaX509v3CertificateBuilder(
                        issuer,
                        BigInteger.valueOf(now.toEpochMilli() + pathLen),
                        Date.from(now.minusSeconds(86_400L * 365)),
                        Date.from(now.plusSeconds(86_400L * 3650)),
                        subject,
                        key.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(pathLen));
        b.addExtension(
                Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        return new JcaX509CertificateConverter()
                .getCertificate(
                        b.build(
                                new JcaContentSignerBuilder("SHA256withECDSA")
                                        .build(issuerKey.getPrivate())));
    }

    /**
     * A v0.3 bundle from the certificate, a Rekor v1 answer (one dsse entry) and the DSSE
     * signature, as a client assembles it after logging ({@code warden publish --provenance} does
     * the same).
     */
    public static ObjectNode bundle(
            byte[] leafDer,
            com.fasterxml.jackson.databind.JsonNode rekorAnswer,
            byte[] payload,
            byte[] sig) {
        com.fasterxml.jackson.databind.JsonNode e = rekorAnswer.elements().next();
        ObjectNode b = JSON.createObjectNode();
        b.put("mediaType", "application/vnd.dev.sigstore.bundle.v0.3+json");
        ObjectNode vm = b.putObject("verificationMaterial");
        vm.putObject("certificate").put("rawBytes", b64(leafDer));
        ObjectNode t = vm.putArray("tlogEntries").addObject();
        t.put("logIndex", e.path("logIndex").asText());
        t.putObject("logId").put("keyId", b64(HexFormat.of().parseHex(e.path("logID").asText())));
        t.putObject("kindVersion").put("kind", "dsse").put("version", "0.0.1");
        t.put("integratedTime", e.path("integratedTime").asText());
        t.putObject("inclusionPromise")
                .put(
                        "signedEntryTimestamp",
                        e.path("verification").path("signedEntryTimestamp").asText());
        com.fasterxml.jackson.databind.JsonNode p = e.path("verification").path("inclusionProof");
        ObjectNode proof = t.putObject("inclusionProof");
        proof.put("logIndex", p.path("logIndex").asText());
        proof.put("rootHash", b64(HexFormat.of().parseHex(p.path("rootHash").asText())));
        proof.put("treeSize", p.path("treeSize").asText());
        ArrayNode hashes = proof.putArray("hashes");
        p.path("hashes").forEach(h -> hashes.add(b64(HexFormat.of().parseHex(h.asText()))));
        proof.putObject("checkpoint").put("envelope", p.path("checkpoint").asText());
        t.put("canonicalizedBody", e.path("body").asText());
        ObjectNode env = b.putObject("dsseEnvelope");
        env.put("payload", b64(payload)).put("payloadType", "application/vnd.in-toto+json");
        env.putArray("signatures").addObject().put("sig", b64(sig)).put("keyid", "");
        return b;
    }

    static byte[] pae(String type, byte[] payload) {
        byte[] t = type.getBytes(StandardCharsets.UTF_8);
        return concat(
                ("DSSEv1 " + t.length + " " + type + " " + payload.length + " ")
                        .getBytes(StandardCharsets.UTF_8),
                payload);
    }

    private static KeyPair ec() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sign(PrivateKey key, byte[] data) throws Exception {
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(key);
        s.update(data);
        return s.sign();
    }

    private static byte[] der(X509Certificate c) {
        try {
            return c.getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] sha256(byte[] b) {
        return digest("SHA-256", b);
    }

    static byte[] digest(String alg, byte[] b) {
        try {
            return MessageDigest.getInstance(alg).digest(b);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}
