package dev.warden.provenance.sigstore;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.time.Instant;

/**
 * Embedded signed certificate timestamps (RFC 6962 §3.3): the SCT list extension of a signing
 * certificate, each SCT checked against the trusted root's CT logs over the precertificate (the
 * TBSCertificate without the SCT extension, bound to the issuer's key hash).
 */
final class Scts {

    static final String SCT_LIST = "1.3.6.1.4.1.11129.2.4.2";

    private Scts() {}

    /**
     * Throws unless at least one embedded SCT is signed by a trusted CT log whose key was valid
     * then.
     */
    static void verify(X509Certificate leaf, X509Certificate issuer, TrustRoot root) {
        byte[] ext = leaf.getExtensionValue(SCT_LIST);
        if (ext == null) {
            throw new VerificationFailure("signing certificate has no embedded SCT");
        }
        ByteBuffer list;
        byte[] tbs;
        try {
            list =
                    ByteBuffer.wrap(
                            ASN1OctetString.getInstance(
                                            ASN1OctetString.getInstance(ext).getOctets())
                                    .getOctets());
            tbs = precertificate(leaf);
        } catch (RuntimeException
                | IOException
                | java.security.cert.CertificateEncodingException e) {
            throw new VerificationFailure("signing certificate: SCT list is malformed");
        }
        byte[] issuerKeyHash = Crypto.sha256(issuer.getPublicKey().getEncoded());
        String lastProblem = "no SCT is from a trusted CT log";
        try {
            int total = u16(list);
            if (total != list.remaining()) {
                throw new VerificationFailure("signing certificate: SCT list length is wrong");
            }
            while (list.hasRemaining()) {
                int len = u16(list);
                ByteBuffer sct = list.slice(list.position(), len);
                list.position(list.position() + len);
                String problem = check(sct, tbs, issuerKeyHash, root);
                if (problem == null) {
                    return;
                }
                lastProblem = problem;
            }
        } catch (RuntimeException e) {
            if (e instanceof VerificationFailure f) {
                throw f;
            }
            throw new VerificationFailure("signing certificate: SCT list is malformed");
        }
        throw new VerificationFailure("signing certificate: " + lastProblem);
    }

    private static String check(ByteBuffer sct, byte[] tbs, byte[] issuerKeyHash, TrustRoot root) {
        int version = sct.get() & 0xff;
        if (version != 0) {
            return "SCT version " + version + " is not v1";
        }
        byte[] logId = new byte[32];
        sct.get(logId);
        long timestamp = sct.getLong();
        int extLen = u16(sct);
        byte[] extensions = new byte[extLen];
        sct.get(extensions);
        int hash = sct.get() & 0xff;
        int signature = sct.get() & 0xff;
        byte[] sig = new byte[u16(sct)];
        sct.get(sig);
        TrustRoot.Log log =
                root.ctlogs().stream().filter(l -> l.hasLogId(logId)).findFirst().orElse(null);
        if (log == null) {
            return "SCT is from a CT log the trusted root does not list";
        }
        if (!log.validFor().contains(Instant.ofEpochMilli(timestamp))) {
            return "SCT time is outside the CT log key's validity";
        }
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        m.write(0); // v1
        m.write(0); // certificate_timestamp
        m.writeBytes(ByteBuffer.allocate(8).putLong(timestamp).array());
        m.write(0);
        m.write(1); // precert_entry
        m.writeBytes(issuerKeyHash);
        m.write(tbs.length >>> 16);
        m.write(tbs.length >>> 8);
        m.write(tbs.length);
        m.writeBytes(tbs);
        m.write(extLen >>> 8);
        m.write(extLen);
        m.writeBytes(extensions);
        String digest =
                switch (hash) {
                    case 4 -> "SHA256";
                    case 5 -> "SHA384";
                    case 6 -> "SHA512";
                    default -> null;
                };
        String scheme =
                switch (signature) {
                    case 1 -> "RSA";
                    case 3 -> "ECDSA";
                    default -> null;
                };
        if (digest == null || scheme == null) {
            return "SCT uses an unsupported signature algorithm (" + hash + ", " + signature + ")";
        }
        return Crypto.verify(log.key(), digest + "with" + scheme, m.toByteArray(), sig)
                ? null
                : "SCT signature does not verify with the CT log's key";
    }

    /** The leaf's TBSCertificate with the SCT list extension removed, DER-encoded. */
    private static byte[] precertificate(X509Certificate leaf)
            throws IOException, java.security.cert.CertificateEncodingException {
        ASN1Sequence tbs = ASN1Sequence.getInstance(leaf.getTBSCertificate());
        ASN1EncodableVector out = new ASN1EncodableVector();
        for (ASN1Encodable e : tbs) {
            if (e instanceof ASN1TaggedObject t && t.getTagNo() == 3) {
                Extensions exts = Extensions.getInstance(t.getExplicitBaseObject());
                ASN1EncodableVector kept = new ASN1EncodableVector();
                for (var oid : exts.getExtensionOIDs()) {
                    if (!oid.getId().equals(SCT_LIST)) {
                        Extension x = exts.getExtension(oid);
                        kept.add(x);
                    }
                }
                out.add(new DERTaggedObject(true, 3, new DERSequence(kept)));
            } else {
                out.add(e);
            }
        }
        return new DERSequence(out).getEncoded(ASN1Encoding.DER);
    }

    private static int u16(ByteBuffer b) {
        return b.getShort() & 0xffff;
    }
}
