package dev.warden.server;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.common.Problem;
import dev.warden.log.Merkle;
import dev.warden.log.NoteKey;
import dev.warden.log.TilePath;
import dev.warden.log.TransparencyLog;
import dev.warden.server.http.Exchange;
import dev.warden.server.http.Reply;
import dev.warden.server.http.Router;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The transparency log over HTTP under {@code /-/log/}: the C2SP tlog-tiles read API ({@code
 * checkpoint}, {@code tile/<L>/<N>[.p/<W>]}, {@code tile/entries/<N>[.p/<W>]}) with cache headers a
 * CDN can follow, plus inclusion and consistency proofs and a description of the log. Everything
 * the log holds in memory is answered on the I/O thread.
 */
final class LogApi {

    private static final String IMMUTABLE = "public, max-age=31536000, immutable";
    private static final String CHECKPOINT_CACHE = "public, max-age=2";

    private final TransparencyLog log;
    private final NoteKey.Verifier registryKey;
    private final List<NoteKey.Verifier> witnesses;
    private final ObjectMapper json;
    private final String publicUrl;

    private final TarballBuffers buffers;

    /**
     * Proof answers by request: a proof for given sizes never changes, and clients ask for the same
     * ones.
     */
    private final com.github.benmanes.caffeine.cache.Cache<String, byte[]> proofs =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder()
                    .executor(Runnable::run)
                    .maximumWeight(16L << 20)
                    .weigher((String k, byte[] v) -> k.length() * 2 + v.length + 64)
                    .build();

    LogApi(
            TransparencyLog log,
            NoteKey.Verifier registryKey,
            List<NoteKey.Verifier> witnesses,
            ObjectMapper json,
            String publicUrl,
            TarballBuffers buffers) {
        this.buffers = buffers;
        this.log = log;
        this.registryKey = registryKey;
        this.witnesses = List.copyOf(witnesses);
        this.json = json;
        this.publicUrl = publicUrl;
    }

    void routes(Router router) {
        router.route("GET", "/-/log", ex -> describe())
                .route("GET", "/-/log/checkpoint", ex -> checkpoint(), ex -> checkpoint())
                .route("GET", "/-/log/tile/{path...}", this::tile, this::tileCached)
                .route(
                        "GET",
                        "/-/log/proof/inclusion",
                        ex -> remembered(ex, "i", true),
                        ex -> remembered(ex, "i", false))
                .route(
                        "GET",
                        "/-/log/proof/consistency",
                        ex -> remembered(ex, "c", true),
                        ex -> remembered(ex, "c", false));
    }

    private Reply describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("origin", log.origin());
        out.put("key", log.verifier().vkey());
        out.put("registryKey", registryKey.vkey());
        out.put("witnesses", witnesses.stream().map(NoteKey.Verifier::vkey).toList());
        out.put("size", log.snapshot().size());
        out.put("url", publicUrl + "/-/log/");
        return cors(json(200, out));
    }

    /**
     * What a client needs to check the log's entries ({@code url}, {@code origin}, {@code key},
     * {@code registryKey} as {@code GET /-/log} gives them): the TUF target {@code
     * transparency_log.json}.
     */
    static byte[] trustDocument(
            TransparencyLog log,
            NoteKey.Verifier registryKey,
            String publicUrl,
            ObjectMapper json) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("url", publicUrl + "/-/log/");
        out.put("origin", log.origin());
        out.put("key", log.verifier().vkey());
        out.put("registryKey", registryKey.vkey());
        try {
            return json.writeValueAsBytes(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Reply checkpoint() {
        return cors(Reply.text(200, "text/plain; charset=utf-8", log.snapshot().checkpoint()))
                .header("Cache-Control", CHECKPOINT_CACHE);
    }

    private static TilePath parse(Exchange ex) {
        TilePath p = TilePath.parse(Arrays.asList(ex.param("path").split("/", -1)));
        if (p == null) {
            throw Problem.badRequest(
                    "not a tile path: expected tile/<level>/<index>[.p/<width>] or"
                            + " tile/entries/<index>[.p/<width>]");
        }
        return p;
    }

    private static String bundleKey(TilePath p) {
        return "tlog-bundle:" + p.index();
    }

    private Reply tileCached(Exchange ex) {
        TilePath p = TilePath.parse(Arrays.asList(ex.param("path").split("/", -1)));
        if (p == null) {
            return null;
        }
        if (p.entries() && !p.partial()) {
            java.nio.ByteBuffer mapped = buffers.cached(bundleKey(p));
            return mapped == null ? null : bufferReply(mapped);
        }
        byte[] b = log.readCached(p);
        return b == null ? null : tileReply(b);
    }

    private Reply tile(Exchange ex) throws IOException {
        TilePath p = parse(ex);
        if (p.entries() && !p.partial()) {
            // Full bundles never change: they are files, mapped and sent from the page cache.
            java.nio.file.Path file = log.fullBundleFile(p.index());
            if (file != null) {
                long size = java.nio.file.Files.size(file);
                java.nio.ByteBuffer mapped = buffers.map(bundleKey(p), file, size);
                return mapped != null
                        ? bufferReply(mapped)
                        : cors(new Reply.File(
                                        200,
                                        "application/octet-stream",
                                        file,
                                        size,
                                        new LinkedHashMap<>()))
                                .header("Cache-Control", IMMUTABLE);
            }
        }
        byte[] b = log.read(p);
        if (b == null) {
            return cors(Reply.text(
                            404,
                            "text/plain; charset=utf-8",
                            "no such tile in a tree of " + log.snapshot().size() + " entries\n"))
                    .header("Cache-Control", "no-store");
        }
        return tileReply(b);
    }

    private static Reply bufferReply(java.nio.ByteBuffer mapped) {
        return cors(new Reply.Buffer(
                        200, "application/octet-stream", mapped, new LinkedHashMap<>()))
                .header("Cache-Control", IMMUTABLE);
    }

    private static Reply tileReply(byte[] b) {
        return cors(new Reply.Bytes(200, "application/octet-stream", b, new LinkedHashMap<>()))
                .header("Cache-Control", IMMUTABLE);
    }

    /**
     * A proof answer, from memory when it was made before; only answers for an explicit tree size
     * are kept.
     */
    private Reply remembered(Exchange ex, String kind, boolean mayBlock) {
        boolean inclusion = kind.equals("i");
        String key = ex.query(inclusion ? "size" : "to") == null ? null : kind + ex.rawQuery();
        byte[] known = key == null ? null : proofs.getIfPresent(key);
        if (known != null) {
            return proofReply(known, true);
        }
        byte[] made = inclusion ? inclusion(ex, mayBlock) : consistency(ex, mayBlock);
        if (made == null) {
            return null;
        }
        if (key != null) {
            proofs.put(key, made);
        }
        return proofReply(made, key != null);
    }

    private byte[] inclusion(Exchange ex, boolean mayBlock) {
        long current = log.snapshot().size();
        long size = longParam(ex, "size", current);
        String hash = ex.query("hash");
        long index;
        byte[] leaf = null;
        if (hash != null) {
            if (!mayBlock) {
                return null;
            }
            leaf = decodeHash(hash);
            if (size > current || size < 0) {
                throw Problem.badRequest("size must be between 0 and " + current);
            }
            OptionalLong found = log.indexOf(leaf);
            if (found.isEmpty() || found.getAsLong() >= size) {
                throw Problem.notFound("no entry with that leaf hash in the tree of size " + size);
            }
            index = found.getAsLong();
        } else {
            index = longParam(ex, "index", -1);
            if (index < 0) {
                throw Problem.badRequest("give index=<entry index> or hash=<leaf hash>");
            }
        }
        if (size > current || index >= size) {
            throw Problem.badRequest(
                    "entry "
                            + index
                            + " is not in a tree of size "
                            + size
                            + " (the log has "
                            + current
                            + " entries)");
        }
        List<byte[]> proof =
                mayBlock ? log.inclusionProof(index, size) : log.inclusionProofCached(index, size);
        if (proof == null) {
            return null;
        }
        StringBuilder out =
                new StringBuilder(96 + proof.size() * 48)
                        .append("{\"index\":")
                        .append(index)
                        .append(",\"size\":")
                        .append(size);
        if (leaf != null) {
            out.append(",\"leafHash\":\"")
                    .append(Base64.getEncoder().encodeToString(leaf))
                    .append('"');
        }
        return proofJson(out, proof);
    }

    private byte[] consistency(Exchange ex, boolean mayBlock) {
        long current = log.snapshot().size();
        long to = longParam(ex, "to", current);
        long from = longParam(ex, "from", -1);
        if (from < 0 || to > current || from > to) {
            throw Problem.badRequest("give from and to with 0 <= from <= to <= " + current);
        }
        List<byte[]> proof =
                mayBlock ? log.consistencyProof(from, to) : log.consistencyProofCached(from, to);
        if (proof == null) {
            return null;
        }
        return proofJson(
                new StringBuilder(64 + proof.size() * 48)
                        .append("{\"from\":")
                        .append(from)
                        .append(",\"to\":")
                        .append(to),
                proof);
    }

    private static long longParam(Exchange ex, String name, long fallback) {
        String v = ex.query(name);
        if (v == null || v.isEmpty()) {
            return fallback;
        }
        if (!v.matches("[0-9]{1,18}")) {
            throw Problem.badRequest(name + " must be a non-negative whole number");
        }
        return Long.parseLong(v);
    }

    private static byte[] decodeHash(String s) {
        byte[] h;
        try {
            h =
                    s.matches("[0-9a-fA-F]{64}")
                            ? HexFormat.of().parseHex(s)
                            : Base64.getDecoder().decode(s.replace(' ', '+'));
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("hash must be a leaf hash in hex or base64");
        }
        if (h.length != Merkle.HASH_SIZE) {
            throw Problem.badRequest("hash must be 32 bytes");
        }
        return h;
    }

    /**
     * Ends a proof's JSON object (numbers and base64 only, so written directly) with its hashes.
     */
    private static byte[] proofJson(StringBuilder out, List<byte[]> proof) {
        out.append(",\"hashes\":[");
        Base64.Encoder b64 = Base64.getEncoder();
        for (int i = 0; i < proof.size(); i++) {
            out.append(i == 0 ? "\"" : ",\"").append(b64.encodeToString(proof.get(i))).append('"');
        }
        out.append("]}");
        return out.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** A proof for explicit sizes never changes; one against "the current size" does. */
    private static Reply proofReply(byte[] json, boolean explicitSize) {
        return cors(Reply.json(200, json))
                .header("Cache-Control", explicitSize ? IMMUTABLE : "no-cache");
    }

    private Reply json(int status, Object value) {
        try {
            return Reply.json(status, json.writeValueAsBytes(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Reply cors(Reply r) {
        return r.header("Access-Control-Allow-Origin", "*");
    }
}
