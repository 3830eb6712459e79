package dev.warden.review;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A release under review with everything the detectors share: both releases' files, each file's
 * scan (made once; a file unchanged since the previous release shares its scan), and the files that
 * run at install time.
 */
final class Release {

    final Subject subject;
    final Unpacked now;
    final Previous before;
    final Ecosystem ecosystem;
    final ReviewSettings settings;
    final Set<String> installFiles;

    private final Map<String, FileScan> nowScans = new HashMap<>();
    private final Map<String, FileScan> beforeScans = new HashMap<>();
    private final Map<byte[], FileScan> byContent = new IdentityHashMap<>();
    private final Map<String, byte[]> nowSha256 = new HashMap<>();
    private Set<String> beforeTokens;

    Release(
            Subject subject,
            Unpacked now,
            Previous before,
            Ecosystem ecosystem,
            ReviewSettings settings) {
        this.subject = subject;
        this.now = now;
        this.before = before;
        this.ecosystem = ecosystem;
        this.settings = settings;
        this.installFiles = InstallScripts.filesRunAtInstall(scripts(subject.manifest()), now);
    }

    boolean hasPrevious() {
        return subject.previous() != null;
    }

    JsonNode previousManifest() {
        return hasPrevious() ? subject.previous().manifest() : null;
    }

    /** Paths new in this release or whose bytes changed. */
    List<String> changedFiles() {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, byte[]> f : now.files().entrySet()) {
            if (changed(f.getKey())) {
                out.add(f.getKey());
            }
        }
        return out;
    }

    boolean changed(String path) {
        return !before.same(path, now.files().get(path), () -> sha256(path));
    }

    /** The SHA-256 of a file of this release, computed once. */
    byte[] sha256(String path) {
        return nowSha256.computeIfAbsent(
                path, p -> ReleaseSummary.sha256().digest(now.files().get(p)));
    }

    FileScan scan(String path) {
        return nowScans.computeIfAbsent(
                path,
                p -> {
                    byte[] cur = now.files().get(p);
                    if (!changed(p)) {
                        FileScan shared = scanBefore(p);
                        byContent.put(cur, shared);
                        return shared;
                    }
                    return byContent.computeIfAbsent(cur, Scanner::scan);
                });
    }

    /** The previous release's scan of {@code path}, or null when it had no such file. */
    FileScan scanBefore(String path) {
        Previous.Entry e = before.entry(path);
        if (e == null) {
            return null;
        }
        if (e.scan == null) {
            e.scan =
                    beforeScans.computeIfAbsent(
                            path, p -> byContent.computeIfAbsent(e.bytes, Scanner::scan));
        }
        return e.scan;
    }

    /** Every {@code cue:token} seen in the previous release's code files. */
    boolean hadBefore(Cue cue, String token) {
        if (beforeTokens == null) {
            beforeTokens = new HashSet<>();
            for (String p : before.paths()) {
                if (!before.isCode(p)) {
                    continue;
                }
                FileScan s = scanBefore(p);
                for (int k = 0; k < s.counts().length; k++) {
                    if (s.counts()[k] > 0) {
                        Keywords.Keyword kw = Keywords.ALL.get(k);
                        beforeTokens.add(kw.cue() + ":" + kw.token());
                    }
                }
            }
        }
        return beforeTokens.contains(cue + ":" + token);
    }

    /** Whether any code file of the previous release had this cue at all. */
    boolean hadBefore(Cue cue) {
        for (int k : Keywords.BY_CUE.get(cue)) {
            if (hadBefore(cue, Keywords.ALL.get(k).token())) {
                return true;
            }
        }
        return false;
    }

    Evidence evidence(String path, FileScan.Hit hit) {
        return evidence(path, hit.line(), hit.offset(), hit.length());
    }

    Evidence evidence(String path, int line, int offset, int length) {
        byte[] data = now.files().get(path);
        return new Evidence(
                path, line, offset, length, Excerpts.around(data, offset, Math.min(length, 120)));
    }

    private static final Set<String> CODE =
            Set.of(
                    "js", "mjs", "cjs", "jsx", "ts", "mts", "cts", "tsx", "sh", "bash", "zsh",
                    "ps1", "psm1", "bat", "cmd", "py", "pl", "rb", "gyp", "vbs", "node-js", "es6");

    /** Files that run: scripts by extension, or anything with a shebang. */
    static boolean isCode(String path, byte[] data) {
        String name = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        if (name.endsWith(".d.ts")
                || name.endsWith(".d.cts")
                || name.endsWith(".d.mts")
                || name.endsWith(".min.map")
                || name.endsWith(".map")) {
            return false;
        }
        int dot = name.lastIndexOf('.');
        if (dot >= 0 && CODE.contains(name.substring(dot + 1))) {
            return true;
        }
        return data != null && data.length > 2 && data[0] == '#' && data[1] == '!';
    }

    static JsonNode scripts(JsonNode manifest) {
        JsonNode s = manifest == null ? null : manifest.get("scripts");
        return s != null && s.isObject() ? s : null;
    }
}
