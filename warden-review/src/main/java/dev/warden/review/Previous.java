package dev.warden.review;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The release a review compares against, read from its tarball or from the {@link ReleaseSummary}
 * stored when it was published.
 *
 * <p>Design note: the detectors mostly ask the previous release cheap questions (is this path
 * there, is this file unchanged, what did its scan find). A summary answers those without inflating
 * the previous tarball, which bounded the review's speed. The rare questions that need the old
 * bytes themselves (the same loop, host or fetch in the old file) unpack the previous tarball then,
 * once: a signal is never dropped for lack of a summary field.
 */
final class Previous {

    static final Previous NONE =
            new Previous(new LinkedHashMap<>(), 0, 0, List.of(), null, () -> null);

    /** What is known of one file of the previous release. */
    static final class Entry {
        final byte[] sha256;
        final int size;
        final boolean code;
        final boolean executable;
        final long[] runHashes;
        byte[] bytes;
        FileScan scan;

        Entry(
                byte[] bytes,
                byte[] sha256,
                int size,
                boolean code,
                boolean executable,
                FileScan scan,
                long[] runHashes) {
            this.bytes = bytes;
            this.sha256 = sha256;
            this.size = size;
            this.code = code;
            this.executable = executable;
            this.scan = scan;
            this.runHashes = runHashes;
        }
    }

    private final Map<String, Entry> files;
    final long declaredBytes;
    final int declaredFiles;
    final List<String> limits;
    private Set<String> pairs;
    private final Supplier<Unpacked> tarball;
    private Unpacked unpacked;

    private Previous(
            Map<String, Entry> files,
            long declaredBytes,
            int declaredFiles,
            List<String> limits,
            Set<String> pairs,
            Supplier<Unpacked> tarball) {
        this.files = files;
        this.declaredBytes = declaredBytes;
        this.declaredFiles = declaredFiles;
        this.limits = limits;
        this.pairs = pairs;
        this.tarball = tarball;
    }

    /** The previous release unpacked: every question is answered from its bytes. */
    static Previous of(Unpacked u) {
        Map<String, Entry> files = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> f : u.files().entrySet()) {
            byte[] data = f.getValue();
            files.put(
                    f.getKey(),
                    new Entry(
                            data,
                            null,
                            data.length,
                            Release.isCode(f.getKey(), data),
                            executable(f.getKey(), data),
                            null,
                            null));
        }
        return new Previous(files, u.declaredBytes(), u.declaredFiles(), u.limits(), null, () -> u);
    }

    /**
     * The previous release as its summary says; its tarball is unpacked only if bytes are asked.
     */
    static Previous of(ReleaseSummary s, Supplier<Unpacked> tarball) {
        return new Previous(
                s.entries(), s.declaredBytes(), s.declaredFiles(), s.limits(), s.pairs(), tarball);
    }

    Set<String> paths() {
        return files.keySet();
    }

    boolean has(String path) {
        return files.containsKey(path);
    }

    boolean isEmpty() {
        return files.isEmpty();
    }

    Entry entry(String path) {
        return files.get(path);
    }

    boolean isCode(String path) {
        Entry e = files.get(path);
        return e != null && e.code;
    }

    /**
     * Whether {@code path} holds exactly {@code now}; {@code sha256} gives the new bytes' digest.
     */
    boolean same(String path, byte[] now, Supplier<byte[]> sha256) {
        Entry e = files.get(path);
        if (e == null || e.size != now.length) {
            return false;
        }
        if (e.bytes != null) {
            return Arrays.equals(e.bytes, now);
        }
        return Arrays.equals(e.sha256, sha256.get());
    }

    /** The old file's bytes, unpacking the previous tarball the first time a summary lacks them. */
    byte[] bytes(String path) {
        Entry e = files.get(path);
        if (e == null) {
            return null;
        }
        if (e.bytes == null) {
            if (unpacked == null) {
                unpacked = tarball.get();
            }
            e.bytes = unpacked == null ? null : unpacked.files().get(path);
        }
        return e.bytes;
    }

    /** Whether the old file at {@code path} had this run of encoded text. */
    boolean hadRun(String path, String text) {
        Entry e = files.get(path);
        if (e == null) {
            return false;
        }
        if (e.runHashes != null) {
            long h = ReleaseSummary.runHash(text);
            for (long x : e.runHashes) {
                if (x == h) {
                    return true;
                }
            }
            return false;
        }
        return runTexts(e.bytes, e.scan).contains(text);
    }

    static Set<String> runTexts(byte[] data, FileScan s) {
        Set<String> out = new HashSet<>();
        if (data == null || s == null) {
            return out;
        }
        for (FileScan.Run run : s.runs()) {
            out.add(runText(data, run));
        }
        return out;
    }

    static String runText(byte[] data, FileScan.Run run) {
        return new String(
                data, run.offset(), Math.min(run.length(), 4096), StandardCharsets.ISO_8859_1);
    }

    /** Eval sinks next to decoders in the previous release's code, as excerpts; null: compute. */
    Set<String> pairs() {
        return pairs;
    }

    void pairs(Set<String> computed) {
        pairs = computed;
    }

    boolean hadBinaries() {
        for (Entry e : files.values()) {
            if (e.executable) {
                return true;
            }
        }
        return false;
    }

    long codeBytes() {
        long n = 0;
        for (Entry e : files.values()) {
            if (e.code) {
                n += e.size;
            }
        }
        return n;
    }

    /** A native executable or library, by its first bytes or its name. */
    static boolean executable(String path, byte[] data) {
        Magic magic = Magic.of(data);
        return (magic != null && magic.executable)
                || Shape.endsWithAny(path.toLowerCase(Locale.ROOT), Shape.BINARY_NAMES);
    }
}
