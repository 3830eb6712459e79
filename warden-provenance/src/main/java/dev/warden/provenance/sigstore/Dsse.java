package dev.warden.provenance.sigstore;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** A DSSE envelope's payload and type, and the pre-authentication encoding its signature covers. */
public record Dsse(String payloadType, byte[] payload) {

    public static final String IN_TOTO = "application/vnd.in-toto+json";

    /** {@code PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body}. */
    public byte[] pae() {
        byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + type.length + 32);
        out.writeBytes(("DSSEv1 " + type.length + " ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(type);
        out.writeBytes((" " + payload.length + " ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(payload);
        return out.toByteArray();
    }
}
