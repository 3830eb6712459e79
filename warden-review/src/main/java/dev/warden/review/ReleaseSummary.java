package dev.warden.review;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the next release's review needs of a release, kept by the registry when the release is
 * published, so that review does not inflate and rescan this release's tarball: each file's
 * SHA-256, size, kind and scan (keyword hits, encoded runs, shape), hashes of its encoded runs, and
 * the eval-next-to-decoder pairs of its code.
 *
 * <p>A summary is a by-product of the release's own review (its files were unpacked and scanned
 * then). It names keywords by their place in the scanner's list, so it carries a fingerprint of
 * that list and of the format: a summary written by another version of the review is not used
 * ({@link #decode} answers null) and the previous tarball is read instead.
 */
public final class ReleaseSummary {

    private static final int MAGIC = 0x57525331; // "WRS1"
    static final int FINGERPRINT = fingerprint();

    private final Map<String, Previous.Entry> entries;
    private final long declaredBytes;
    private final int declaredFiles;
    private final List<String> limits;
    private final Set<String> pairs;

    private ReleaseSummary(
            Map<String, Previous.Entry> entries,
            long declaredBytes,
            int declaredFiles,
            List<String> limits,
            Set<String> pairs) {
        this.entries = entries;
        this.declaredBytes = declaredBytes;
        this.declaredFiles = declaredFiles;
        this.limits = limits;
        this.pairs = pairs;
    }

    Map<String, Previous.Entry> entries() {
        return entries;
    }

    long declaredBytes() {
        return declaredBytes;
    }

    int declaredFiles() {
        return declaredFiles;
    }

    List<String> limits() {
        return limits;
    }

    Set<String> pairs() {
        return pairs;
    }

    /** The summary of the release under review, from what its review computed. */
    static ReleaseSummary of(Release r) {
        Map<String, Previous.Entry> out = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> f : r.now.files().entrySet()) {
            String path = f.getKey();
            byte[] data = f.getValue();
            FileScan s = r.scan(path);
            long[] runs = new long[s.runs().size()];
            for (int i = 0; i < runs.length; i++) {
                runs[i] = runHash(Previous.runText(data, s.runs().get(i)));
            }
            out.put(
                    path,
                    new Previous.Entry(
                            null,
                            r.sha256(path),
                            data.length,
                            Release.isCode(path, data),
                            Previous.executable(path, data),
                            s,
                            runs));
        }
        List<String> limits = new ArrayList<>();
        for (String l : r.now.limits()) {
            limits.add(l.startsWith("release: ") ? l.substring("release: ".length()) : l);
        }
        return new ReleaseSummary(
                out,
                r.now.declaredBytes(),
                r.now.declaredFiles(),
                limits,
                HiddenCode.pairsOf(r.now.files(), r::scan));
    }

    /** The bytes the registry stores. */
    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + entries.size() * 96);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(FINGERPRINT);
            out.writeLong(declaredBytes);
            out.writeInt(declaredFiles);
            out.writeInt(limits.size());
            for (String l : limits) {
                out.writeUTF(l);
            }
            out.writeInt(pairs.size());
            for (String p : pairs) {
                writeString(out, p);
            }
            out.writeInt(entries.size());
            for (Map.Entry<String, Previous.Entry> e : entries.entrySet()) {
                Previous.Entry f = e.getValue();
                writeString(out, e.getKey());
                out.write(f.sha256);
                out.writeInt(f.size);
                out.writeByte((f.code ? 1 : 0) | (f.executable ? 2 : 0));
                writeScan(out, f.scan);
                out.writeInt(f.runHashes.length);
                for (long h : f.runHashes) {
                    out.writeLong(h);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Reads stored bytes; null when they were written by another version of the review (or are not
     * a summary at all), so that the caller reads the tarball instead.
     */
    public static ReleaseSummary decode(byte[] stored) {
        if (stored == null || stored.length < 8) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(stored))) {
            if (in.readInt() != MAGIC || in.readInt() != FINGERPRINT) {
                return null;
            }
            long declaredBytes = in.readLong();
            int declaredFiles = in.readInt();
            int n = count(in);
            List<String> limits = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                limits.add("previous release: " + in.readUTF());
            }
            n = count(in);
            Set<String> pairs = new LinkedHashSet<>();
            for (int i = 0; i < n; i++) {
                pairs.add(readString(in));
            }
            n = count(in);
            Map<String, Previous.Entry> entries = new LinkedHashMap<>(n * 2);
            for (int i = 0; i < n; i++) {
                String path = readString(in);
                byte[] sha = in.readNBytes(32);
                int size = in.readInt();
                int flags = in.readByte();
                FileScan scan = readScan(in);
                long[] runs = new long[count(in)];
                for (int k = 0; k < runs.length; k++) {
                    runs[k] = in.readLong();
                }
                entries.put(
                        path,
                        new Previous.Entry(
                                null, sha, size, (flags & 1) != 0, (flags & 2) != 0, scan, runs));
            }
            if (in.read() != -1) {
                return null;
            }
            return new ReleaseSummary(entries, declaredBytes, declaredFiles, limits, pairs);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void writeScan(DataOutputStream out, FileScan s) throws IOException {
        out.writeBoolean(s.binary());
        out.writeInt(s.length());
        out.writeInt(s.lines());
        out.writeInt(s.maxLineLength());
        out.writeLong(s.bytesInLongLines());
        out.writeInt(s.whitespace());
        out.writeInt(s.invalidUtf8());
        int[] counts = s.counts();
        int present = 0;
        for (int c : counts) {
            present += c > 0 ? 1 : 0;
        }
        out.writeInt(present);
        for (int k = 0; k < counts.length; k++) {
            if (counts[k] == 0) {
                continue;
            }
            out.writeShort(k);
            out.writeInt(counts[k]);
            int kept = Math.min(counts[k], FileScan.KEPT);
            for (int i = 0; i < kept; i++) {
                out.writeInt(s.offsets()[k][i]);
                out.writeInt(s.lineNumbers()[k][i]);
            }
        }
        writeRuns(out, s.runs());
        writeRuns(out, s.longLines());
    }

    private static FileScan readScan(DataInputStream in) throws IOException {
        boolean binary = in.readBoolean();
        int length = in.readInt();
        int lines = in.readInt();
        int maxLine = in.readInt();
        long longBytes = in.readLong();
        int whitespace = in.readInt();
        int invalid = in.readInt();
        int keywords = Keywords.ALL.size();
        int[] counts = new int[keywords];
        int[][] offsets = new int[keywords][];
        int[][] lineNumbers = new int[keywords][];
        int present = count(in);
        for (int p = 0; p < present; p++) {
            int k = in.readUnsignedShort();
            counts[k] = in.readInt();
            int kept = Math.min(counts[k], FileScan.KEPT);
            offsets[k] = new int[FileScan.KEPT];
            lineNumbers[k] = new int[FileScan.KEPT];
            for (int i = 0; i < kept; i++) {
                offsets[k][i] = in.readInt();
                lineNumbers[k][i] = in.readInt();
            }
        }
        List<FileScan.Run> runs = readRuns(in);
        List<FileScan.Run> longLines = readRuns(in);
        return new FileScan(
                binary,
                length,
                lines,
                maxLine,
                longBytes,
                whitespace,
                invalid,
                counts,
                offsets,
                lineNumbers,
                runs,
                longLines);
    }

    private static void writeRuns(DataOutputStream out, List<FileScan.Run> runs)
            throws IOException {
        out.writeInt(runs.size());
        for (FileScan.Run r : runs) {
            out.writeByte(r.kind().ordinal());
            out.writeInt(r.offset());
            out.writeInt(r.length());
            out.writeInt(r.line());
        }
    }

    private static List<FileScan.Run> readRuns(DataInputStream in) throws IOException {
        int n = count(in);
        List<FileScan.Run> runs = new ArrayList<>(n);
        FileScan.Run.Kind[] kinds = FileScan.Run.Kind.values();
        for (int i = 0; i < n; i++) {
            runs.add(
                    new FileScan.Run(
                            kinds[in.readByte()], in.readInt(), in.readInt(), in.readInt()));
        }
        return runs;
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        int n = count(in);
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            throw new IOException("truncated");
        }
        return new String(b, StandardCharsets.UTF_8);
    }

    /** A count read from stored bytes: never negative, never more than the bytes could hold. */
    private static int count(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 1 << 24) {
            throw new IOException("bad count " + n);
        }
        return n;
    }

    /**
     * A run's identity: 64 bits of its SHA-256, so a new run cannot be made to pass for an old one.
     */
    static long runHash(String text) {
        byte[] d = sha256().digest(text.getBytes(StandardCharsets.ISO_8859_1));
        long h = 0;
        for (int i = 0; i < 8; i++) {
            h = h << 8 | (d[i] & 0xFF);
        }
        return h;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    /** The scanner's keyword list and the format: a summary is read only by the same ones. */
    private static int fingerprint() {
        StringBuilder s = new StringBuilder("format 1;");
        s.append(Scanner.MIN_RUN).append(';').append(Scanner.MIN_ESCAPES).append(';');
        s.append(Scanner.LONG_LINE).append(';').append(FileScan.KEPT).append(';');
        for (Keywords.Keyword k : Keywords.ALL) {
            s.append(k.cue()).append(':').append(k.token()).append('\n');
        }
        return s.toString().hashCode();
    }
}
