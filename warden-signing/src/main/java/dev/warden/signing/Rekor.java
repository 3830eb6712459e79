package dev.warden.signing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.common.Problem;
import dev.warden.log.Merkle;
import dev.warden.log.TransparencyLog;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Rekor's v1 write API over a log of the log module: {@code POST /api/v1/log/entries} for the
 * {@code hashedrekord} and {@code dsse} kinds as sigstore-js writes them. A proposed entry is
 * checked (its signature must verify with the certificate or key it names) and canonicalized into
 * the entry body Rekor would log; the body is appended (durably) and the answer carries the
 * integrated time, a signed entry timestamp, an inclusion proof and the signed checkpoint.
 *
 * <p>The log module signs its checkpoints with its Ed25519 note key; Rekor's clients expect an
 * ECDSA log key, so each checkpoint handed out also carries a signature line by the Rekor key
 * (ECDSA P-256, key ID the first 4 bytes of the SHA-256 of its SubjectPublicKeyInfo, as Rekor v1
 * writes it), and signed entry timestamps are made with that key. The trusted root lists it.
 */
public final class Rekor {

    private static final HexFormat HEX = HexFormat.of();

    private final TransparencyLog log;
    private final java.security.KeyPair key;
    private final ObjectMapper json;
    private final Clock clock;
    private final byte[] spki;
    private final byte[] logId;

    private final String host;

    /**
     * @param host the host name of the log's base URL: clients look for its checkpoint signature
     *     under that name
     */
    public Rekor(
            TransparencyLog log,
            java.security.KeyPair key,
            String host,
            ObjectMapper json,
            Clock clock) {
        this.log = log;
        this.host = host;
        this.key = key;
        this.json = json;
        this.clock = clock;
        this.spki = key.getPublic().getEncoded();
        this.logId = CtLog.sha256(spki);
    }

    private byte[] sign(byte[] data) {
        try {
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(key.getPrivate());
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The log's checkpoint with the Rekor key's signature line added. */
    private String checkpoint(TransparencyLog.Snapshot snap) {
        dev.warden.log.Note note = dev.warden.log.Note.parse(snap.checkpoint());
        int keyId = java.nio.ByteBuffer.wrap(logId, 0, 4).getInt();
        byte[] sig = sign(note.text().getBytes(StandardCharsets.UTF_8));
        return note.with(new dev.warden.log.Note.Signature(host, keyId, sig)).format();
    }

    public byte[] publicKeySpki() {
        return spki.clone();
    }

    public TransparencyLog log() {
        return log;
    }

    /** Checks, canonicalizes and logs a proposed entry; answers Rekor's {@code {uuid: entry}}. */
    public ObjectNode createEntry(JsonNode proposed) {
        String kind = proposed.path("kind").asText();
        String version = proposed.path("apiVersion").asText();
        ObjectNode body =
                switch (kind + "/" + version) {
                    case "hashedrekord/0.0.1" -> hashedrekord(proposed.path("spec"));
                    case "dsse/0.0.1" -> dsse(proposed.path("spec").path("proposedContent"));
                    default ->
                            throw Problem.badRequest(
                                    "entry kind "
                                            + kind
                                            + " "
                                            + version
                                            + " is not supported: use hashedrekord 0.0.1 or dsse"
                                            + " 0.0.1");
                };
        byte[] canonical = TufRepository.canonical(body);
        byte[] leaf = Merkle.leafHash(canonical);
        long integrated = clock.instant().getEpochSecond();
        Appended appended = append(canonical);
        long index = appended.index();
        TransparencyLog.Snapshot snap = appended.snapshot();
        long size = snap.size();
        List<byte[]> proof = log.inclusionProof(index, size);
        String set =
                "{\"body\":\""
                        + Base64.getEncoder().encodeToString(canonical)
                        + "\",\"integratedTime\":"
                        + integrated
                        + ",\"logID\":\""
                        + HEX.formatHex(logId)
                        + "\",\"logIndex\":"
                        + index
                        + "}";
        ObjectNode out = json.createObjectNode();
        ObjectNode entry = out.putObject(HEX.formatHex(leaf));
        entry.put("body", Base64.getEncoder().encodeToString(canonical));
        entry.put("integratedTime", integrated);
        entry.put("logID", HEX.formatHex(logId));
        entry.put("logIndex", index);
        ObjectNode verification = entry.putObject("verification");
        verification.put(
                "signedEntryTimestamp",
                Base64.getEncoder().encodeToString(sign(set.getBytes(StandardCharsets.UTF_8))));
        ObjectNode inclusion = verification.putObject("inclusionProof");
        inclusion.put("checkpoint", checkpoint(snap));
        proof.forEach(h -> inclusion.withArray("hashes").add(HEX.formatHex(h)));
        inclusion.withArray("hashes");
        inclusion.put("logIndex", index);
        inclusion.put("rootHash", HEX.formatHex(snap.root()));
        inclusion.put("treeSize", size);
        return out;
    }

    /**
     * Rekor v2's write API ({@code POST /api/v2/log/entries}, a {@code CreateEntryRequest} in
     * protobuf JSON): a {@code hashedrekord} 0.0.2 request is checked and logged as an {@code
     * Entry}, and the answer is the {@code TransparencyLogEntry} (inclusion proof and checkpoint;
     * Rekor v2 has no integrated time or signed entry timestamp: time comes from a timestamp
     * authority).
     */
    public String createEntryV2(String requestJson) {
        var request = dev.sigstore.proto.rekor.v2.CreateEntryRequest.newBuilder();
        try {
            com.google.protobuf.util.JsonFormat.parser().merge(requestJson, request);
        } catch (com.google.protobuf.InvalidProtocolBufferException | RuntimeException e) {
            throw Problem.badRequest("not a Rekor v2 CreateEntryRequest: " + e.getMessage());
        }
        if (!request.hasHashedRekordRequestV002()) {
            throw Problem.badRequest(
                    "only hashedRekordRequestV002 entries are taken (a DSSE envelope is logged as"
                            + " hashedrekord over its PAE)");
        }
        var h = request.getHashedRekordRequestV002();
        byte[] digest = h.getDigest().toByteArray();
        if (digest.length != 32) {
            throw Problem.badRequest("digest must be 32 bytes of SHA-256");
        }
        var verifier = h.getSignature().getVerifier();
        PublicKey key;
        try {
            key =
                    verifier.hasX509Certificate()
                            ? CertificateAuthority.certificate(
                                            verifier.getX509Certificate()
                                                    .getRawBytes()
                                                    .toByteArray())
                                    .getPublicKey()
                            : Keys.fromDer(
                                    verifier.getPublicKey().getRawBytes().toByteArray(),
                                    "verifier.publicKey");
        } catch (GeneralSecurityException | RuntimeException e) {
            throw Problem.badRequest("verifier is not a DER certificate or an EC public key");
        }
        if (!prehashed(key, digest, h.getSignature().getContent().toByteArray())) {
            throw Problem.badRequest(
                    "the signature does not verify with the given certificate or key");
        }
        var entry =
                dev.sigstore.proto.rekor.v2.Entry.newBuilder()
                        .setKind("hashedrekord")
                        .setApiVersion("0.0.2")
                        .setSpec(
                                dev.sigstore.proto.rekor.v2.Spec.newBuilder()
                                        .setHashedRekordV002(
                                                dev.sigstore.proto.rekor.v2.HashedRekordLogEntryV002
                                                        .newBuilder()
                                                        .setData(
                                                                dev.sigstore.proto.common.v1
                                                                        .HashOutput.newBuilder()
                                                                        .setAlgorithm(
                                                                                dev.sigstore.proto
                                                                                        .common.v1
                                                                                        .HashAlgorithm
                                                                                        .SHA2_256)
                                                                        .setDigest(
                                                                                com.google.protobuf
                                                                                        .ByteString
                                                                                        .copyFrom(
                                                                                                digest)))
                                                        .setSignature(h.getSignature())))
                        .build();
        byte[] canonical;
        try {
            canonical =
                    TufRepository.canonical(
                            json.readTree(
                                    com.google.protobuf.util.JsonFormat.printer()
                                            .omittingInsignificantWhitespace()
                                            .print(entry)));
        } catch (com.google.protobuf.InvalidProtocolBufferException | JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        Appended appended = append(canonical);
        long index = appended.index();
        TransparencyLog.Snapshot snap = appended.snapshot();
        var proof =
                dev.sigstore.proto.rekor.v1.InclusionProof.newBuilder()
                        .setLogIndex(index)
                        .setTreeSize(snap.size())
                        .setRootHash(com.google.protobuf.ByteString.copyFrom(snap.root()))
                        .setCheckpoint(
                                dev.sigstore.proto.rekor.v1.Checkpoint.newBuilder()
                                        .setEnvelope(checkpoint(snap)));
        for (byte[] p : log.inclusionProof(index, snap.size())) {
            proof.addHashes(com.google.protobuf.ByteString.copyFrom(p));
        }
        var tle =
                dev.sigstore.proto.rekor.v1.TransparencyLogEntry.newBuilder()
                        .setLogIndex(index)
                        .setLogId(
                                dev.sigstore.proto.common.v1.LogId.newBuilder()
                                        .setKeyId(com.google.protobuf.ByteString.copyFrom(logId)))
                        .setKindVersion(
                                dev.sigstore.proto.rekor.v1.KindVersion.newBuilder()
                                        .setKind("hashedrekord")
                                        .setVersion("0.0.2"))
                        .setInclusionProof(proof)
                        .setCanonicalizedBody(com.google.protobuf.ByteString.copyFrom(canonical))
                        .build();
        try {
            return com.google.protobuf.util.JsonFormat.printer().print(tle);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Appended(long index, TransparencyLog.Snapshot snapshot) {}

    /**
     * Appends a canonical body durably, refusing one already logged; the log's snapshot then
     * includes it.
     */
    private Appended append(byte[] canonical) {
        if (log.indexOf(Merkle.leafHash(canonical)).isPresent()) {
            throw Problem.conflict("an equivalent entry already exists in the log");
        }
        long index = log.appendAndWait(canonical);
        // the log publishes the snapshot that integrates an entry before it completes the append
        return new Appended(index, log.snapshot());
    }

    private ObjectNode hashedrekord(JsonNode spec) {
        String alg = spec.path("data").path("hash").path("algorithm").asText();
        String hex = spec.path("data").path("hash").path("value").asText();
        if (!alg.equals("sha256") || !hex.matches("[0-9a-f]{64}")) {
            throw Problem.badRequest(
                    "hashedrekord needs data.hash {algorithm: sha256, value: 64 hex digits}");
        }
        byte[] sig = b64(spec.path("signature").path("content").asText(null), "signature.content");
        byte[] pem =
                b64(
                        spec.path("signature").path("publicKey").path("content").asText(null),
                        "signature.publicKey.content");
        PublicKey verifier = Keys.fromPem(pem, "signature.publicKey.content");
        if (!prehashed(verifier, HEX.parseHex(hex), sig)) {
            throw Problem.badRequest(
                    "the signature does not verify with the given certificate or key");
        }
        ObjectNode body = json.createObjectNode();
        body.put("apiVersion", "0.0.1").put("kind", "hashedrekord");
        ObjectNode s = body.putObject("spec");
        s.putObject("data").putObject("hash").put("algorithm", "sha256").put("value", hex);
        ObjectNode signature = s.putObject("signature");
        signature.put("content", Base64.getEncoder().encodeToString(sig));
        signature.putObject("publicKey").put("content", Base64.getEncoder().encodeToString(pem));
        return body;
    }

    private ObjectNode dsse(JsonNode content) {
        String envelopeText = content.path("envelope").asText(null);
        JsonNode verifiers = content.path("verifiers");
        if (envelopeText == null || !verifiers.isArray() || verifiers.isEmpty()) {
            throw Problem.badRequest(
                    "dsse needs proposedContent {envelope: the envelope's JSON, verifiers: [base64"
                            + " PEM]}");
        }
        JsonNode envelope;
        try {
            envelope = json.readTree(envelopeText);
        } catch (JsonProcessingException e) {
            throw Problem.badRequest("proposedContent.envelope is not JSON");
        }
        byte[] payload = b64(envelope.path("payload").asText(null), "envelope.payload");
        String type = envelope.path("payloadType").asText("");
        byte[] typeBytes = type.getBytes(StandardCharsets.UTF_8);
        byte[] pae =
                concat(
                        ("DSSEv1 " + typeBytes.length + " " + type + " " + payload.length + " ")
                                .getBytes(StandardCharsets.UTF_8),
                        payload);
        JsonNode sigs = envelope.path("signatures");
        if (!sigs.isArray() || sigs.isEmpty()) {
            throw Problem.badRequest("the envelope has no signatures");
        }
        ObjectNode body = json.createObjectNode();
        body.put("apiVersion", "0.0.1").put("kind", "dsse");
        ObjectNode s = body.putObject("spec");
        s.putObject("envelopeHash")
                .put("algorithm", "sha256")
                .put("value", HEX.formatHex(CtLog.sha256(TufRepository.canonical(envelope))));
        s.putObject("payloadHash")
                .put("algorithm", "sha256")
                .put("value", HEX.formatHex(CtLog.sha256(payload)));
        var out = s.putArray("signatures");
        for (JsonNode sig : sigs) {
            byte[] signature = b64(sig.path("sig").asText(null), "envelope signature");
            byte[] match = null;
            for (JsonNode v : verifiers) {
                byte[] pem = b64(v.asText(null), "verifier");
                if (Keys.verify(Keys.fromPem(pem, "a verifier"), pae, signature)) {
                    match = pem;
                    break;
                }
            }
            if (match == null) {
                throw Problem.badRequest(
                        "an envelope signature does not verify with any of the given verifiers");
            }
            out.addObject()
                    .put("signature", Base64.getEncoder().encodeToString(signature))
                    .put("verifier", Base64.getEncoder().encodeToString(match));
        }
        return body;
    }

    private static boolean prehashed(PublicKey key, byte[] digest, byte[] sig) {
        if (!(key instanceof ECPublicKey)) {
            throw Problem.badRequest("hashedrekord entries are taken for ECDSA keys only");
        }
        try {
            Signature s = Signature.getInstance("NONEwithECDSA");
            s.initVerify(key);
            s.update(digest);
            return s.verify(sig);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static byte[] b64(String s, String what) {
        if (s == null || s.isEmpty()) {
            throw Problem.badRequest(what + " is missing");
        }
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest(what + " is not base64");
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
