package dev.warden.verify.log;

import com.fasterxml.jackson.databind.JsonNode;

import dev.warden.log.Checkpoint;
import dev.warden.log.Envelope;
import dev.warden.log.Merkle;
import dev.warden.log.Monitor;
import dev.warden.log.Note;
import dev.warden.log.Proofs;
import dev.warden.log.TileNodes;
import dev.warden.log.TilePath;
import dev.warden.verify.Remote;
import dev.warden.verify.report.Check;
import dev.warden.verify.report.Finding;
import dev.warden.verify.report.Status;
import dev.warden.verify.trust.LogKeys;
import dev.warden.verify.trust.Pins;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The batch inclusion check of a registry's log entries, through the C2SP tlog-tiles API only (no
 * proof endpoint: tiles are immutable, cacheable, and the same for every client).
 *
 * <ol>
 *   <li>One checkpoint: fetched (offline: the last one verified), its note signed by the log's key,
 *       its origin the log's. When an earlier checkpoint is cached, the new tree must extend it (a
 *       consistency proof built from the new tree's tiles).
 *   <li>Per claim: the entry bundle holding index N, the entry's leaf hash, and its inclusion proof
 *       built from the hash tiles, checked against the checkpoint's root (so neither bundle nor
 *       tiles need to be trusted).
 *   <li>The entry opened as the registry's DSSE statement (its statement key), a {@code
 *       package.published} (or, from a proxying Warden, {@code proxy.ingested}) of the claimed name
 *       and version with the claimed integrity.
 * </ol>
 *
 * Each tile is fetched once per run; what was fetched is cached on disk when nothing failed.
 */
public final class LogInclusion {

    /**
     * One entry to check: index N of the log must hold the registry's signed statement of a publish
     * of name@version with this integrity.
     */
    public record Claim(long index, String name, String version, String integrity) {}

    private static final String CHECKPOINT = "checkpoint";

    private LogInclusion() {}

    /**
     * Checks every claim against one checkpoint of the log; each gets one finding ({@code log}, or
     * {@code fetch} when what it needs cannot be had).
     */
    public static Map<Claim, Finding> check(
            LogKeys keys, List<Claim> claims, Remote remote, Path cacheDir, boolean offline) {
        Path dir = Pins.dir(cacheDir, keys.url()).resolve("log");
        Map<Claim, Finding> out = new LinkedHashMap<>();
        if (claims.isEmpty()) {
            return out;
        }
        Checkpoint cp;
        String note;
        try {
            note = checkpointNote(keys, remote, dir, offline);
            cp = verify(keys, note);
        } catch (Refused e) {
            claims.forEach(c -> out.put(c, new Finding(e.check, Status.FAIL, e.getMessage())));
            return out;
        }
        TileCache tiles = new TileCache(keys.url(), remote, dir, offline);
        TileNodes nodes = cp.size() == 0 ? null : new TileNodes(cp.size(), tiles::get);
        try {
            extendsCached(keys, cp, dir, nodes, offline);
        } catch (Refused e) {
            claims.forEach(c -> out.put(c, new Finding(e.check, Status.FAIL, e.getMessage())));
            return out;
        }
        Map<Long, List<byte[]>> bundles = new HashMap<>();
        for (Claim c : claims) {
            try {
                out.put(c, checkOne(keys, cp, c, tiles, nodes, bundles));
            } catch (UncheckedIOException e) {
                out.put(c, Finding.fail(Check.FETCH, e.getCause().getMessage()));
            } catch (IllegalStateException | IOException e) {
                out.put(
                        c,
                        Finding.fail(
                                Check.LOG,
                                "entry "
                                        + c.index()
                                        + ": the log's tiles are malformed: "
                                        + e.getMessage()));
            }
        }
        if (out.values().stream().noneMatch(f -> f.status() == Status.FAIL)) {
            tiles.persist();
            if (!offline) {
                TileCache.write(dir.resolve(CHECKPOINT), note.getBytes(StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static Finding checkOne(
            LogKeys keys,
            Checkpoint cp,
            Claim c,
            TileCache tiles,
            TileNodes nodes,
            Map<Long, List<byte[]>> bundles)
            throws IOException {
        long n = c.index();
        if (n < 0 || n >= cp.size()) {
            return Finding.fail(
                    Check.LOG,
                    "entry " + n + " is not in the log: its checkpoint has size " + cp.size());
        }
        long b = n / TilePath.WIDTH;
        List<byte[]> entries = bundles.get(b);
        if (entries == null) {
            TilePath p = TileNodes.tileOf(0, n, cp.size());
            entries =
                    Monitor.decodeBundle(
                            tiles.get(new TilePath(TilePath.ENTRIES, b, p.width())), p.width());
            bundles.put(b, entries);
        }
        byte[] entry = entries.get((int) (n % TilePath.WIDTH));
        List<byte[]> proof = Proofs.inclusion(nodes, n, cp.size());
        if (!Merkle.verifyInclusion(n, cp.size(), Merkle.leafHash(entry), proof, cp.root())) {
            return Finding.fail(
                    Check.LOG,
                    "entry "
                            + n
                            + " is not included in the checkpoint of size "
                            + cp.size()
                            + ": the entry and tiles served do not lead to its root");
        }
        JsonNode st;
        try {
            st = Envelope.open(entry, keys.registryStatementKey());
        } catch (IllegalArgumentException e) {
            return Finding.fail(
                    Check.LOG,
                    "entry " + n + " is not the registry's statement: " + e.getMessage());
        }
        String kind = st.path("kind").asText();
        String included = "entry " + n + " included in checkpoint of size " + cp.size();
        if (kind.equals("commitment")) {
            return Finding.info(
                    Check.LOG,
                    included
                            + ", a commitment of a restricted package: its statement is not"
                            + " public");
        }
        String named = st.path("package").asText() + "@" + st.path("version").asText();
        // A proxying Warden logs each version it took from an uplink and verified as
        // proxy.ingested, with the integrity it serves: the statement a reader of it checks.
        if (!(kind.equals("package.published") || kind.equals("proxy.ingested"))
                || !st.path("package").asText().equals(c.name())
                || !st.path("version").asText().equals(c.version())) {
            return Finding.fail(
                    Check.LOG,
                    "entry "
                            + n
                            + " states "
                            + kind
                            + " of "
                            + named
                            + ", expected package.published or proxy.ingested of "
                            + c.name()
                            + "@"
                            + c.version());
        }
        if (!st.has("integrity") && st.has("detailSha256")) {
            return Finding.info(
                    Check.LOG,
                    included
                            + "; it states its details by digest, so the integrity is not"
                            + " compared");
        }
        if (!st.path("integrity").asText().equals(c.integrity())) {
            return Finding.fail(
                    Check.LOG,
                    "entry "
                            + n
                            + " states integrity "
                            + st.path("integrity").asText()
                            + " for "
                            + named
                            + ", the lockfile has "
                            + c.integrity());
        }
        return Finding.pass(Check.LOG, included);
    }

    private static String checkpointNote(LogKeys keys, Remote remote, Path dir, boolean offline)
            throws Refused {
        if (offline) {
            try {
                return Files.readString(dir.resolve(CHECKPOINT), StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                throw new Refused(
                        Check.FETCH,
                        "offline, and no checkpoint of the log " + keys.url() + " in the cache");
            } catch (IOException e) {
                throw new Refused(
                        Check.FETCH,
                        "cannot read the cached checkpoint of "
                                + keys.url()
                                + ": "
                                + e.getMessage());
            }
        }
        var uri = keys.url().resolve(CHECKPOINT);
        try {
            Remote.Response r = remote.get(uri, null, Note.MAX_SIZE);
            if (r.status() != 200) {
                throw new Refused(
                        Check.FETCH, "GET " + uri + " answered " + r.status() + ", expected 200");
            }
            return new String(r.body(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new Refused(Check.FETCH, "GET " + uri + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refused(Check.FETCH, "GET " + uri + " was interrupted");
        }
    }

    private static Checkpoint verify(LogKeys keys, String text) throws Refused {
        try {
            Note note = Note.parse(text);
            if (note.verify(List.of(keys.logKey())).isEmpty()) {
                throw new Refused(
                        Check.LOG,
                        "the checkpoint of "
                                + keys.url()
                                + " is not signed by the log's key "
                                + keys.logKey().name());
            }
            Checkpoint cp = Checkpoint.parse(note.text());
            if (!cp.origin().equals(keys.origin())) {
                throw new Refused(
                        Check.LOG,
                        "the checkpoint of "
                                + keys.url()
                                + " has origin "
                                + cp.origin()
                                + ", expected "
                                + keys.origin());
            }
            return cp;
        } catch (IllegalArgumentException e) {
            throw new Refused(
                    Check.LOG,
                    "the checkpoint of " + keys.url() + " is malformed: " + e.getMessage());
        }
    }

    /** The new tree extends the last one verified: the log is append-only as this client saw it. */
    private static void extendsCached(
            LogKeys keys, Checkpoint cp, Path dir, TileNodes nodes, boolean offline)
            throws Refused {
        if (offline) {
            return;
        }
        Checkpoint old;
        try {
            old = verify(keys, Files.readString(dir.resolve(CHECKPOINT), StandardCharsets.UTF_8));
        } catch (IOException | Refused e) {
            return; // nothing cached (or unreadable): nothing to compare with
        }
        if (cp.size() < old.size()) {
            throw new Refused(
                    Check.LOG,
                    "the log "
                            + keys.url()
                            + " shrank from "
                            + old.size()
                            + " to "
                            + cp.size()
                            + " entries");
        }
        if (old.size() == 0
                || old.size() == cp.size()
                        && Merkle.hex(old.root()).equals(Merkle.hex(cp.root()))) {
            return;
        }
        try {
            List<byte[]> proof = Proofs.consistency(nodes, old.size(), cp.size());
            if (!Merkle.verifyConsistency(old.size(), cp.size(), old.root(), cp.root(), proof)) {
                throw new Refused(
                        Check.LOG,
                        "the checkpoint of size "
                                + cp.size()
                                + " of "
                                + keys.url()
                                + " does not extend the one of size "
                                + old.size()
                                + " verified before");
            }
        } catch (UncheckedIOException e) {
            throw new Refused(Check.FETCH, e.getCause().getMessage());
        } catch (IllegalStateException e) {
            throw new Refused(Check.LOG, "the log's tiles are malformed: " + e.getMessage());
        }
    }

    /** A refusal that applies to every claim. */
    private static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final transient Check check;

        Refused(Check check, String message) {
            super(message);
            this.check = check;
        }
    }
}
