package dev.warden.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * Follows a log through its tlog-tiles API. Each poll fetches the checkpoint, checks the log's
 * signature, reads every entry added since the last poll from the entry bundles, and recomputes the
 * tree from the remembered right edge: the new root must equal the checkpoint's, which proves that
 * the new tree extends the old one and that the entries read are the ones in it. Entries that
 * concern watched packages or accounts are reported.
 */
public final class Monitor {

    private static final ObjectMapper JSON = new ObjectMapper();

    public record Settings(
            URI log,
            NoteKey.Verifier logKey,
            NoteKey.Verifier registryKey,
            Set<String> packages,
            Set<String> accounts,
            Path state) {}

    /**
     * A log entry that concerns something watched, or one that is not a valid registry statement.
     */
    public record Report(long index, JsonNode statement, String problem) {}

    public record Result(long fromSize, long toSize, List<Report> reports) {}

    /** The log served something that contradicts what it served before, or its own checkpoint. */
    public static final class InconsistentLog extends Exception {
        public InconsistentLog(String message) {
            super(message);
        }
    }

    private final Settings settings;
    private final Transport transport;
    private final String base;

    public Monitor(Settings settings, Transport transport) {
        this.settings = settings;
        this.transport = transport;
        String u = settings.log().toString();
        this.base = u.endsWith("/") ? u : u + "/";
    }

    public Result poll() throws IOException, InterruptedException, InconsistentLog {
        String noteText = get("checkpoint");
        Note note;
        Checkpoint cp;
        try {
            note = Note.parse(noteText);
            if (note.verify(List.of(settings.logKey())).isEmpty()) {
                throw new InconsistentLog(
                        "checkpoint is not signed by " + settings.logKey().name());
            }
            cp = Checkpoint.parse(note.text());
        } catch (IllegalArgumentException e) {
            throw new InconsistentLog("bad checkpoint: " + e.getMessage());
        }
        ObjectNode st = loadState();
        String origin = st.path("origin").asText(cp.origin());
        if (!origin.equals(cp.origin())) {
            throw new InconsistentLog(
                    "checkpoint origin " + cp.origin() + " is not the followed log's " + origin);
        }
        long from = st.path("size").asLong(0);
        List<byte[]> edge = new ArrayList<>();
        st.path("edge").forEach(h -> edge.add(Base64.getDecoder().decode(h.asText())));
        CompactRange range = new CompactRange(from, edge);
        if (cp.size() < from) {
            throw new InconsistentLog(
                    "the log shrank from " + from + " to " + cp.size() + " entries");
        }
        List<Report> reports = new ArrayList<>();
        long i = from;
        while (i < cp.size()) {
            long bundle = i / TilePath.WIDTH;
            int width = (int) Math.min(TilePath.WIDTH, cp.size() - bundle * TilePath.WIDTH);
            byte[] data = getBytes(new TilePath(TilePath.ENTRIES, bundle, width).path());
            List<byte[]> entries = decodeBundle(data, width);
            for (int k = (int) (i - bundle * TilePath.WIDTH); k < width; k++) {
                byte[] e = entries.get(k);
                range.append(Merkle.leafHash(e));
                Report r = examine(i, e);
                if (r != null) {
                    reports.add(r);
                }
                i++;
            }
        }
        if (!Merkle.same(range.root(), cp.root())) {
            throw new InconsistentLog(
                    "entries "
                            + from
                            + " to "
                            + cp.size()
                            + " do not lead from the last checkpoint to the new root: "
                            + "the log is not append-only, or served different entries");
        }
        ObjectNode next = JSON.createObjectNode();
        next.put("origin", cp.origin());
        next.put("size", cp.size());
        next.put("root", Base64.getEncoder().encodeToString(cp.root()));
        range.hashes()
                .forEach(h -> next.withArray("edge").add(Base64.getEncoder().encodeToString(h)));
        if (range.hashes().isEmpty()) {
            next.putArray("edge");
        }
        next.put("checkpoint", noteText);
        saveState(next);
        return new Result(from, cp.size(), reports);
    }

    private Report examine(long index, byte[] entry) {
        JsonNode statement;
        try {
            statement = Envelope.open(entry, settings.registryKey());
        } catch (IllegalArgumentException e) {
            return new Report(index, null, e.getMessage());
        }
        if (settings.packages().contains(statement.path("package").asText())
                || settings.accounts().contains(statement.path("actor").asText())) {
            return new Report(index, statement, null);
        }
        for (String field : List.of("added", "removed", "before", "after")) {
            for (JsonNode u : statement.path(field)) {
                if (settings.accounts().contains(u.asText())) {
                    return new Report(index, statement, null);
                }
            }
        }
        return null;
    }

    /** Splits an entry bundle: each entry is a big-endian 16-bit length and that many bytes. */
    public static List<byte[]> decodeBundle(byte[] data, int expected) throws IOException {
        List<byte[]> out = new ArrayList<>(expected);
        int pos = 0;
        while (pos < data.length) {
            if (pos + 2 > data.length) {
                throw new IOException("truncated entry bundle");
            }
            int len = ((data[pos] & 0xff) << 8) | (data[pos + 1] & 0xff);
            pos += 2;
            if (pos + len > data.length) {
                throw new IOException("truncated entry bundle");
            }
            out.add(java.util.Arrays.copyOfRange(data, pos, pos + len));
            pos += len;
        }
        if (out.size() != expected) {
            throw new IOException(
                    "entry bundle has " + out.size() + " entries, expected " + expected);
        }
        return out;
    }

    private ObjectNode loadState() throws IOException {
        if (!Files.exists(settings.state())) {
            return JSON.createObjectNode();
        }
        return (ObjectNode) JSON.readTree(settings.state().toFile());
    }

    private void saveState(ObjectNode state) throws IOException {
        Path tmp = settings.state().resolveSibling(settings.state().getFileName() + ".tmp");
        Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(state));
        Files.move(
                tmp,
                settings.state(),
                StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    private String get(String path) throws IOException, InterruptedException {
        return new String(getBytes(path), StandardCharsets.UTF_8);
    }

    private byte[] getBytes(String path) throws IOException, InterruptedException {
        Transport.Answer r = transport.get(URI.create(base + path), Duration.ofSeconds(30));
        if (r.status() != 200) {
            throw new IOException("GET " + base + path + " answered " + r.status());
        }
        return r.body();
    }
}
