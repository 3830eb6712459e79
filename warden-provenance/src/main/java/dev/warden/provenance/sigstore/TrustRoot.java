package dev.warden.provenance.sigstore;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;

import dev.sigstore.proto.common.v1.X509Certificate;
import dev.sigstore.proto.trustroot.v1.CertificateAuthority;
import dev.sigstore.proto.trustroot.v1.TransparencyLogInstance;
import dev.sigstore.proto.trustroot.v1.TrustedRoot;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * An immutable, validated Sigstore trusted root ({@code trusted_root.json}, media types 0.1 and
 * 0.2): the certificate authorities that issue signing certificates, the transparency logs and CT
 * logs, and the timestamp authorities, each with the window in which it is trusted. A window must
 * have a start (a missing bound is a malformed root, not an unbounded one); its end is inclusive.
 */
public final class TrustRoot {

    static final Set<String> MEDIA_TYPES =
            Set.of(
                    "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
                    "application/vnd.dev.sigstore.trustedroot.v0.2+json");

    /**
     * A certificate authority or timestamp authority: its chain, leaf (or intermediate) first, root
     * last.
     */
    record Authority(
            String uri, List<java.security.cert.X509Certificate> chain, TimeRange validFor) {}

    /** A transparency log or CT log: its key, its ids, and when the key is trusted. */
    record Log(
            String baseUrl,
            String origin,
            PublicKey key,
            byte[] logId,
            byte[] checkpointKeyId,
            TimeRange validFor) {
        boolean hasLogId(byte[] id) {
            return Arrays.equals(logId, id);
        }
    }

    private final List<Authority> certificateAuthorities;
    private final List<Authority> timestampAuthorities;
    private final List<Log> tlogs;
    private final List<Log> ctlogs;

    private TrustRoot(
            List<Authority> cas, List<Authority> tsas, List<Log> tlogs, List<Log> ctlogs) {
        this.certificateAuthorities = List.copyOf(cas);
        this.timestampAuthorities = List.copyOf(tsas);
        this.tlogs = List.copyOf(tlogs);
        this.ctlogs = List.copyOf(ctlogs);
    }

    private static volatile TrustRoot publicGood;

    /** The Sigstore public-good instance's trusted root, as npm ships it. */
    public static TrustRoot publicGood() {
        TrustRoot r = publicGood;
        if (r == null) {
            try (InputStream in =
                    TrustRoot.class.getResourceAsStream("public-good-trusted_root.json")) {
                r = parse(in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            publicGood = r;
        }
        return r;
    }

    /** Parses and validates a {@code trusted_root.json}. */
    public static TrustRoot parse(byte[] json) {
        TrustedRoot.Builder b = TrustedRoot.newBuilder();
        try {
            JsonFormat.parser()
                    .ignoringUnknownFields()
                    .merge(new String(json, StandardCharsets.UTF_8), b);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw new VerificationFailure(
                    "trusted root is not valid JSON of the TrustedRoot type: " + e.getMessage());
        }
        TrustedRoot root = b.build();
        if (!MEDIA_TYPES.contains(root.getMediaType())) {
            throw new VerificationFailure(
                    "trusted root has media type '"
                            + root.getMediaType()
                            + "', expected one of "
                            + MEDIA_TYPES);
        }
        List<Authority> cas = new ArrayList<>();
        for (CertificateAuthority ca : root.getCertificateAuthoritiesList()) {
            cas.add(authority(ca, "certificate authority " + ca.getUri()));
        }
        List<Authority> tsas = new ArrayList<>();
        for (CertificateAuthority tsa : root.getTimestampAuthoritiesList()) {
            tsas.add(authority(tsa, "timestamp authority " + tsa.getUri()));
        }
        List<Log> tlogs = new ArrayList<>();
        for (TransparencyLogInstance t : root.getTlogsList()) {
            tlogs.add(log(t, "transparency log " + t.getBaseUrl()));
        }
        List<Log> ctlogs = new ArrayList<>();
        for (TransparencyLogInstance t : root.getCtlogsList()) {
            ctlogs.add(log(t, "CT log " + t.getBaseUrl()));
        }
        return new TrustRoot(cas, tsas, tlogs, ctlogs);
    }

    /**
     * This root and another's authorities and logs together (the public-good root and an instance's
     * own).
     */
    public TrustRoot and(TrustRoot other) {
        return new TrustRoot(
                concat(certificateAuthorities, other.certificateAuthorities),
                concat(timestampAuthorities, other.timestampAuthorities),
                concat(tlogs, other.tlogs),
                concat(ctlogs, other.ctlogs));
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static Authority authority(CertificateAuthority ca, String what) {
        List<java.security.cert.X509Certificate> chain = new ArrayList<>();
        for (X509Certificate c : ca.getCertChain().getCertificatesList()) {
            chain.add(
                    Crypto.certificate(
                            c.getRawBytes().toByteArray(),
                            "trusted root: a certificate of " + what));
        }
        if (chain.isEmpty()) {
            throw new VerificationFailure("trusted root: " + what + " has no certificates");
        }
        if (!ca.hasValidFor()) {
            throw new VerificationFailure("trusted root: " + what + " has no validity window");
        }
        return new Authority(ca.getUri(), chain, TimeRange.of(ca.getValidFor(), what));
    }

    private static Log log(TransparencyLogInstance t, String what) {
        if (!t.hasPublicKey() || t.getPublicKey().getRawBytes().isEmpty()) {
            throw new VerificationFailure("trusted root: " + what + " has no public key");
        }
        if (!t.getPublicKey().hasValidFor()) {
            throw new VerificationFailure(
                    "trusted root: " + what + " has a key without a validity window");
        }
        byte[] spki = t.getPublicKey().getRawBytes().toByteArray();
        if (t.getPublicKey().getKeyDetails().name().startsWith("PKCS1_RSA")) {
            spki = Crypto.pkcs1ToSpki(spki, "trusted root: the key of " + what);
        }
        PublicKey key = Crypto.publicKey(spki, "trusted root: the key of " + what);
        byte[] logId =
                t.getLogId().getKeyId().isEmpty()
                        ? Crypto.sha256(spki)
                        : t.getLogId().getKeyId().toByteArray();
        String origin =
                t.getBaseUrl()
                        .replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "")
                        .replaceAll("/+$", "");
        byte[] checkpointKeyId =
                t.getCheckpointKeyId().getKeyId().isEmpty()
                        ? checkpointKeyId(origin, key, spki)
                        : t.getCheckpointKeyId().getKeyId().toByteArray();
        return new Log(
                t.getBaseUrl(),
                origin,
                key,
                logId,
                Arrays.copyOf(checkpointKeyId, 4),
                TimeRange.of(t.getPublicKey().getValidFor(), what));
    }

    /**
     * The signed-note key ID of a log's checkpoint signatures (C2SP signed-note, as Sigstore's
     * trusted root defines it).
     */
    private static byte[] checkpointKeyId(String origin, PublicKey key, byte[] spki) {
        if (key instanceof ECPublicKey) {
            return Crypto.sha256(spki);
        }
        byte[] name = (origin + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail;
        byte type;
        if (key.getAlgorithm().equals("RSA")) {
            type = (byte) 0xff;
            byte[] label = "PKIX-RSA-PKCS#1v1.5".getBytes(StandardCharsets.US_ASCII);
            tail = new byte[label.length + spki.length];
            System.arraycopy(label, 0, tail, 0, label.length);
            System.arraycopy(spki, 0, tail, label.length, spki.length);
        } else {
            type = 0x01;
            tail = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
        }
        byte[] m = new byte[name.length + 1 + tail.length];
        System.arraycopy(name, 0, m, 0, name.length);
        m[name.length] = type;
        System.arraycopy(tail, 0, m, name.length + 1, tail.length);
        return Crypto.sha256(m);
    }

    List<Authority> certificateAuthorities() {
        return certificateAuthorities;
    }

    List<Authority> timestampAuthorities() {
        return timestampAuthorities;
    }

    List<Log> tlogs() {
        return tlogs;
    }

    List<Log> ctlogs() {
        return ctlogs;
    }
}
