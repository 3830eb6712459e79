package dev.warden.provenance.sigstore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;

import dev.sigstore.proto.rekor.v2.Entry;
import dev.sigstore.proto.rekor.v2.Signature;

import java.io.IOException;
import java.util.Arrays;
import java.util.Base64;

/**
 * Checks that a transparency-log entry's canonicalized body records exactly what the bundle holds:
 * the same signature, the same certificate or key, and the same artifact digest (or DSSE payload).
 * Rekor v1 kinds hashedrekord 0.0.1, dsse 0.0.1 and intoto 0.0.2; Rekor v2 hashedrekord 0.0.2 (for
 * DSSE, the digest of its PAE) and dsse 0.0.2.
 */
final class LogEntryBody {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What the bundle says was signed: the signature, the verifier's DER (certificate or key), and
     * the content.
     */
    record Signed(
            byte[] signature,
            byte[] verifierDer,
            boolean certificate,
            byte[] messageSha256,
            Dsse dsse) {}

    private LogEntryBody() {}

    static void check(String kind, String version, byte[] body, Signed s) {
        String expected =
                switch (kind + "/" + version) {
                    case "hashedrekord/0.0.1", "dsse/0.0.1", "intoto/0.0.2" ->
                            v1(kind, version, body, s);
                    case "hashedrekord/0.0.2", "dsse/0.0.2" -> v2(kind, version, body, s);
                    default -> "log entry kind " + kind + " " + version + " is not supported";
                };
        if (expected != null) {
            throw new VerificationFailure(expected);
        }
    }

    private static String v1(String kind, String version, byte[] body, Signed s) {
        JsonNode n;
        try {
            n = JSON.readTree(body);
        } catch (IOException e) {
            return "log entry body is not JSON";
        }
        if (!kind.equals(n.path("kind").asText())
                || !version.equals(n.path("apiVersion").asText())) {
            return "log entry body is "
                    + n.path("kind").asText()
                    + " "
                    + n.path("apiVersion").asText()
                    + ", the bundle says "
                    + kind
                    + " "
                    + version;
        }
        JsonNode spec = n.path("spec");
        switch (kind) {
            case "hashedrekord" -> {
                if (s.dsse() != null) {
                    return "log entry is a hashedrekord but the bundle holds a DSSE envelope";
                }
                if (!"sha256".equals(spec.path("data").path("hash").path("algorithm").asText())
                        || !Crypto.hex(s.messageSha256())
                                .equals(spec.path("data").path("hash").path("value").asText())) {
                    return "log entry records another artifact digest than the bundle's";
                }
                if (!Arrays.equals(
                        b64(spec.path("signature").path("content").asText()), s.signature())) {
                    return "log entry records another signature than the bundle's";
                }
                return sameVerifier(
                        spec.path("signature").path("publicKey").path("content").asText(), s);
            }
            case "dsse" -> {
                if (s.dsse() == null) {
                    return "log entry is a DSSE entry but the bundle holds a message signature";
                }
                if (!"sha256".equals(spec.path("payloadHash").path("algorithm").asText())
                        || !Crypto.hex(Crypto.sha256(s.dsse().payload()))
                                .equals(spec.path("payloadHash").path("value").asText())) {
                    return "log entry records another DSSE payload than the bundle's envelope";
                }
                JsonNode sigs = spec.path("signatures");
                if (!sigs.isArray() || sigs.size() != 1) {
                    return "log entry records "
                            + sigs.size()
                            + " DSSE signatures, the bundle's envelope has 1";
                }
                if (!Arrays.equals(b64(sigs.get(0).path("signature").asText()), s.signature())) {
                    return "log entry records another DSSE signature than the bundle's envelope";
                }
                return sameVerifier(sigs.get(0).path("verifier").asText(), s);
            }
            default -> {
                if (s.dsse() == null) {
                    return "log entry is an in-toto entry but the bundle holds a message signature";
                }
                JsonNode content = spec.path("content");
                if (!"sha256".equals(content.path("payloadHash").path("algorithm").asText())
                        || !Crypto.hex(Crypto.sha256(s.dsse().payload()))
                                .equals(content.path("payloadHash").path("value").asText())) {
                    return "log entry records another in-toto payload than the bundle's envelope";
                }
                JsonNode env = content.path("envelope");
                if (env.has("payloadType")
                        && !env.path("payloadType").asText().equals(s.dsse().payloadType())) {
                    return "log entry records another payload type than the bundle's envelope";
                }
                JsonNode sigs = env.path("signatures");
                if (!sigs.isArray() || sigs.size() != 1) {
                    return "log entry records "
                            + sigs.size()
                            + " in-toto signatures, the bundle's envelope has 1";
                }
                // intoto 0.0.2 stores the envelope's base64 signature base64-encoded again.
                byte[] sig =
                        b64(
                                new String(
                                        b64(sigs.get(0).path("sig").asText()),
                                        java.nio.charset.StandardCharsets.US_ASCII));
                if (!Arrays.equals(sig, s.signature())) {
                    return "log entry records another in-toto signature than the bundle's envelope";
                }
                return sameVerifier(sigs.get(0).path("publicKey").asText(), s);
            }
        }
    }

    private static String v2(String kind, String version, byte[] body, Signed s) {
        Entry.Builder b = Entry.newBuilder();
        try {
            JsonFormat.parser().merge(new String(body, java.nio.charset.StandardCharsets.UTF_8), b);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            return "log entry body is not a Rekor v2 entry";
        }
        Entry e = b.build();
        if (!kind.equals(e.getKind()) || !version.equals(e.getApiVersion())) {
            return "log entry body is "
                    + e.getKind()
                    + " "
                    + e.getApiVersion()
                    + ", the bundle says "
                    + kind
                    + " "
                    + version;
        }
        if (kind.equals("hashedrekord")) {
            if (!e.getSpec().hasHashedRekordV002()) {
                return "log entry has no hashedrekord 0.0.2 spec";
            }
            var h = e.getSpec().getHashedRekordV002();
            byte[] digest = s.dsse() == null ? s.messageSha256() : Crypto.sha256(s.dsse().pae());
            if (!h.getData().getAlgorithm().name().equals("SHA2_256")
                    || !Arrays.equals(h.getData().getDigest().toByteArray(), digest)) {
                return s.dsse() == null
                        ? "log entry records another artifact digest than the bundle's"
                        : "log entry records another digest than the bundle envelope's PAE";
            }
            return sameSignature(h.getSignature(), s);
        }
        if (!e.getSpec().hasDsseV002()) {
            return "log entry has no dsse 0.0.2 spec";
        }
        var d = e.getSpec().getDsseV002();
        if (s.dsse() == null) {
            return "log entry is a DSSE entry but the bundle holds a message signature";
        }
        if (!Arrays.equals(
                d.getPayloadHash().getDigest().toByteArray(), Crypto.sha256(s.dsse().payload()))) {
            return "log entry records another DSSE payload than the bundle's envelope";
        }
        if (d.getSignaturesCount() != 1) {
            return "log entry records "
                    + d.getSignaturesCount()
                    + " DSSE signatures, the bundle's envelope has 1";
        }
        return sameSignature(d.getSignatures(0), s);
    }

    private static String sameSignature(Signature sig, Signed s) {
        if (!Arrays.equals(sig.getContent().toByteArray(), s.signature())) {
            return "log entry records another signature than the bundle's";
        }
        var v = sig.getVerifier();
        byte[] der =
                v.hasX509Certificate()
                        ? v.getX509Certificate().getRawBytes().toByteArray()
                        : v.getPublicKey().getRawBytes().toByteArray();
        if (v.hasX509Certificate() != s.certificate() || !Arrays.equals(der, s.verifierDer())) {
            return "log entry records another "
                    + (s.certificate() ? "certificate" : "key")
                    + " than the bundle's";
        }
        return null;
    }

    private static String sameVerifier(String b64Pem, Signed s) {
        byte[] der;
        try {
            der = Crypto.pemBody(b64(b64Pem));
        } catch (VerificationFailure e) {
            return e.getMessage();
        }
        if (!Arrays.equals(der, s.verifierDer())) {
            return "log entry records another "
                    + (s.certificate() ? "certificate" : "key")
                    + " than the bundle's";
        }
        return null;
    }

    private static byte[] b64(String s) {
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new VerificationFailure("log entry body has invalid base64");
        }
    }
}
