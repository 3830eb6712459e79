package dev.warden.provenance.sigstore;

import org.bouncycastle.cms.SignerInformationVerifier;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampToken;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;

/**
 * RFC 3161 signed timestamps over a bundle's signature: the message imprint must be the digest of
 * the signature bytes, and the token must be signed by a timestamp authority of the trusted root
 * whose certificates and trust window cover the time it states.
 */
final class Timestamps {

    private Timestamps() {}

    /**
     * The verified time of one timestamp response, or a failure that says why it does not count.
     */
    static Instant verify(byte[] response, byte[] signature, TrustRoot root) {
        TimeStampToken token;
        try {
            token = new TimeStampResponse(response).getTimeStampToken();
        } catch (TSPException | IOException | RuntimeException e) {
            throw new VerificationFailure("RFC 3161 timestamp is not a DER TimeStampResponse");
        }
        if (token == null) {
            throw new VerificationFailure("RFC 3161 timestamp response holds no token");
        }
        var info = token.getTimeStampInfo();
        String algorithm =
                switch (info.getMessageImprintAlgOID().getId()) {
                    case "2.16.840.1.101.3.4.2.1" -> "SHA-256";
                    case "2.16.840.1.101.3.4.2.2" -> "SHA-384";
                    case "2.16.840.1.101.3.4.2.3" -> "SHA-512";
                    default ->
                            throw new VerificationFailure(
                                    "RFC 3161 timestamp uses an unsupported digest "
                                            + info.getMessageImprintAlgOID());
                };
        if (!Arrays.equals(info.getMessageImprintDigest(), Crypto.digest(algorithm, signature))) {
            throw new VerificationFailure(
                    "RFC 3161 timestamp is over another signature than the bundle's");
        }
        Instant time = info.getGenTime().toInstant();
        String problem =
                "RFC 3161 timestamp is not signed by a timestamp authority of the trusted root";
        for (TrustRoot.Authority tsa : root.timestampAuthorities()) {
            X509Certificate leaf = tsa.chain().get(0);
            try {
                SignerInformationVerifier v = new JcaSimpleSignerInfoVerifierBuilder().build(leaf);
                token.validate(v);
            } catch (TSPException | OperatorCreationException | RuntimeException e) {
                if (e.getMessage() != null
                        && e.getMessage().contains("not valid when time stamp created")) {
                    problem =
                            "RFC 3161 timestamp time "
                                    + time
                                    + " is outside its authority's certificate validity";
                }
                continue;
            }
            if (!tsa.validFor().contains(time)) {
                problem =
                        "RFC 3161 timestamp time "
                                + time
                                + " is outside the trusted root's window for "
                                + tsa.uri();
                continue;
            }
            boolean chainValid =
                    tsa.chain().stream()
                            .allMatch(
                                    c ->
                                            !time.isBefore(c.getNotBefore().toInstant())
                                                    && !time.isAfter(c.getNotAfter().toInstant()));
            if (!chainValid) {
                problem =
                        "RFC 3161 timestamp time "
                                + time
                                + " is outside its authority's certificate validity";
                continue;
            }
            return time;
        }
        throw new VerificationFailure(problem);
    }
}
