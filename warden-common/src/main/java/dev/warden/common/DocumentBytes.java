package dev.warden.common;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPOutputStream;

/**
 * What a precomputed document is served with: its gzip form and its entity tag. The registry's
 * packuments and the proxy's are made the same way, so a client sees one kind of document.
 */
public final class DocumentBytes {

    private DocumentBytes() {}

    /** A strong entity tag: the first 128 bits of the bytes' SHA-256, quoted. */
    public static String etag(byte[] bytes) {
        return "\"" + Digests.sha256Hex(bytes).substring(0, 32) + "\"";
    }

    public static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 4 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
