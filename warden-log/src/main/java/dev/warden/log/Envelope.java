package dev.warden.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A DSSE envelope holding one statement of the registry, signed with an Ed25519 note key: the form
 * of every entry the registry puts in its log. The signature covers DSSE's pre-authentication
 * encoding {@code "DSSEv1" SP len(type) SP type SP len(payload) SP payload}; {@code keyid} is the
 * signer's verifier key string.
 */
public final class Envelope {

    public static final String PAYLOAD_TYPE = "application/vnd.warden.event.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Envelope() {}

    static byte[] pae(String type, byte[] payload) {
        byte[] t = type.getBytes(StandardCharsets.UTF_8);
        String head = "DSSEv1 " + t.length + " " + type + " " + payload.length + " ";
        byte[] h = head.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[h.length + payload.length];
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(payload, 0, out, h.length, payload.length);
        return out;
    }

    /**
     * The envelope's bytes (compact JSON) for {@code payload}; the same inputs give the same bytes.
     */
    public static byte[] seal(byte[] payload, NoteKey.Signer signer) {
        ObjectNode env = JSON.createObjectNode();
        env.put("payloadType", PAYLOAD_TYPE);
        env.put("payload", Base64.getEncoder().encodeToString(payload));
        env.putArray("signatures")
                .addObject()
                .put("keyid", signer.verifier().vkey())
                .put(
                        "sig",
                        Base64.getEncoder()
                                .encodeToString(signer.sign(pae(PAYLOAD_TYPE, payload))));
        try {
            return JSON.writeValueAsBytes(env);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The payload of an envelope signed by {@code key} (or by anyone, when {@code key} is null:
     * then the signature is not checked); throws {@link IllegalArgumentException} otherwise.
     */
    public static JsonNode open(byte[] envelope, NoteKey.Verifier key) {
        JsonNode env;
        try {
            env = JSON.readTree(envelope);
        } catch (IOException e) {
            throw new IllegalArgumentException("entry is not a JSON envelope");
        }
        if (env == null
                || !PAYLOAD_TYPE.equals(env.path("payloadType").asText())
                || !env.path("payload").isTextual()) {
            throw new IllegalArgumentException("entry is not a registry statement");
        }
        byte[] payload;
        try {
            payload = Base64.getDecoder().decode(env.get("payload").asText());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("entry payload is not base64");
        }
        if (key != null) {
            boolean ok = false;
            for (JsonNode s : env.path("signatures")) {
                if (key.vkey().equals(s.path("keyid").asText())) {
                    try {
                        ok =
                                key.verify(
                                        pae(PAYLOAD_TYPE, payload),
                                        Base64.getDecoder().decode(s.path("sig").asText()));
                    } catch (IllegalArgumentException e) {
                        ok = false;
                    }
                }
            }
            if (!ok) {
                throw new IllegalArgumentException("entry is not signed by " + key.name());
            }
        }
        try {
            return JSON.readTree(payload);
        } catch (IOException e) {
            throw new IllegalArgumentException("entry payload is not JSON");
        }
    }
}
