package dev.warden.review;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Code that hides what it does: encoded strings (decoded here to see what they say), the
 * javascript-obfuscator string array, decoded data handed to eval, a readable file turned into one
 * long line, and invisible or bidirectional Unicode. Compared with the previous release: what it
 * already had is not new.
 */
final class HiddenCode implements Detector {

    /** Cues that make a decoded string a finding: what no one needs to hide. */
    private static final List<Cue> SENSITIVE =
            List.of(
                    Cue.CHILD_PROCESS,
                    Cue.CREDENTIAL_FILE,
                    Cue.BROWSER_STORE,
                    Cue.WALLET_STORE,
                    Cue.SHELL_RC,
                    Cue.ENV_DUMP,
                    Cue.RAW_IP_URL,
                    Cue.TUNNEL,
                    Cue.PASTE_SITE,
                    Cue.CHAT_WEBHOOK,
                    Cue.COLLECTOR,
                    Cue.SECRET_SCANNER,
                    Cue.AI_UNSAFE_FLAG,
                    Cue.NPM_TOKEN,
                    Cue.EVAL_SINK,
                    Cue.GEOLOCATION,
                    Cue.MINER,
                    Cue.WORKFLOW);

    private static final int ENCODED_REPORTED = 200;
    private static final int PAIR_WINDOW = 512;
    private static final int MAX_DECODES = 64;

    @Override
    public String name() {
        return "hidden-code";
    }

    @Override
    public void examine(Release r, List<Finding> out) {
        Set<String> beforePairs = null;
        boolean obfuscatedBefore = false;
        for (String p : r.before.files().keySet()) {
            if (Release.isCode(p, r.before.files().get(p)) && obfuscated(r.scanBefore(p))) {
                obfuscatedBefore = true;
                break;
            }
        }
        List<Evidence> obfuscation = new ArrayList<>();
        List<Evidence> encoded = new ArrayList<>();
        List<Evidence> hidden = new ArrayList<>();
        List<String> hiddenWhat = new ArrayList<>();
        List<Evidence> pairs = new ArrayList<>();
        List<Evidence> minified = new ArrayList<>();
        List<Evidence> injected = new ArrayList<>();
        List<Evidence> bidi = new ArrayList<>();
        List<Evidence> invisible = new ArrayList<>();
        List<Evidence> payload = new ArrayList<>();
        List<Evidence> entropy = new ArrayList<>();
        for (String path : r.changedFiles()) {
            byte[] data = r.now.files().get(path);
            FileScan s = r.scan(path);
            if (s.binary()) {
                continue;
            }
            boolean code = Release.isCode(path, data);
            FileScan old = r.scanBefore(path);
            if (code && obfuscated(s) && !obfuscatedBefore) {
                List<FileScan.Hit> h = s.hits(Cue.OBFUSCATED_NAME);
                add(obfuscation, h.isEmpty() ? Evidence.of(path) : r.evidence(path, h.get(0)));
            }
            Set<String> oldRuns = runTexts(r.before.files().get(path), old);
            int decodes = 0;
            for (FileScan.Run run : s.runs()) {
                String text =
                        new String(
                                data,
                                run.offset(),
                                Math.min(run.length(), 4096),
                                StandardCharsets.ISO_8859_1);
                if (oldRuns.contains(text) || dataUri(data, run.offset())) {
                    continue;
                }
                if (decodes++ < MAX_DECODES) {
                    int len =
                            run.kind() == FileScan.Run.Kind.ESCAPES
                                    ? run.length() + 8
                                    : run.length();
                    String decoded =
                            Decoded.text(
                                    data,
                                    new FileScan.Run(
                                            run.kind(),
                                            run.offset(),
                                            Math.min(len, data.length - run.offset()),
                                            run.line()));
                    String sensitive = decoded == null ? null : sensitive(decoded);
                    if (sensitive != null) {
                        add(hidden, r.evidence(path, run.line(), run.offset(), run.length()));
                        if (hiddenWhat.size() < 3) {
                            hiddenWhat.add(Excerpts.escape(sensitive, 40));
                        }
                        continue;
                    }
                }
                if (code
                        && run.kind() != FileScan.Run.Kind.ESCAPES
                        && run.length() >= ENCODED_REPORTED) {
                    add(encoded, r.evidence(path, run.line(), run.offset(), run.length()));
                } else if (code && run.kind() == FileScan.Run.Kind.ESCAPES) {
                    add(encoded, r.evidence(path, run.line(), run.offset(), run.length()));
                }
            }
            if (code) {
                Evidence pair = decodedToEval(r, path, data, s);
                if (pair != null) {
                    if (beforePairs == null) {
                        beforePairs = previousPairs(r);
                    }
                    if (!beforePairs.contains(pair.excerpt())) {
                        add(pairs, pair);
                    }
                }
            }
            if (code && old != null && old.readable() && !s.readable()) {
                if (s.minified()) {
                    add(minified, Evidence.of(path));
                } else if (!s.longLines().isEmpty()) {
                    FileScan.Run l = s.longLines().get(0);
                    add(injected, r.evidence(path, l.line(), l.offset(), 120));
                }
            }
            if (code) {
                for (FileScan.Run l : s.longLines()) {
                    if (l.length() >= 2000
                            && Decoded.entropy(data, l.offset(), Math.min(l.length(), 1 << 16))
                                    >= 5.8) {
                        add(entropy, r.evidence(path, l.line(), l.offset(), 120));
                        break;
                    }
                }
            }
            unicode(r, path, s, code, bidi, invisible, payload);
        }
        if (!obfuscation.isEmpty()) {
            out.add(
                    finding(
                            "string-array-obfuscation",
                            Severity.HIGH,
                            "Code obfuscated with a rotated string array (javascript-obfuscator's"
                                    + " _0x names), which the previous release did not have",
                            obfuscation));
        }
        if (!pairs.isEmpty()) {
            out.add(
                    finding(
                            "eval-of-decoded-data",
                            Severity.CRITICAL,
                            "Decoded data is run as code (eval, Function, vm or a module compile"
                                    + " next to a base64/hex/char-code decoder)",
                            pairs));
        }
        if (!hidden.isEmpty()) {
            out.add(
                    finding(
                            "encoded-sensitive-string",
                            Severity.HIGH,
                            "An encoded string decodes to " + String.join(", ", hiddenWhat),
                            hidden));
        }
        if (!payload.isEmpty()) {
            out.add(
                    finding(
                            "invisible-payload",
                            Severity.HIGH,
                            "A long run of invisible Unicode characters (variation selectors or"
                                    + " tags) can carry a hidden program",
                            payload));
        }
        if (!bidi.isEmpty()) {
            out.add(
                    finding(
                            "bidi-control",
                            Severity.MEDIUM,
                            "Bidirectional Unicode controls in code can make it read differently"
                                    + " from how it runs (Trojan Source)",
                            bidi));
        }
        if (!minified.isEmpty()) {
            out.add(
                    finding(
                            "minified-replaces-source",
                            Severity.MEDIUM,
                            "A file that was readable source is now minified or generated",
                            minified));
        }
        if (!injected.isEmpty()) {
            out.add(
                    finding(
                            "long-line-added",
                            Severity.MEDIUM,
                            "A very long line was added to a file that was readable source",
                            injected));
        }
        if (!encoded.isEmpty()) {
            out.add(
                    finding(
                            "encoded-string",
                            Severity.LOW,
                            "Long encoded or escaped strings were added",
                            encoded));
        }
        if (!entropy.isEmpty()) {
            out.add(
                    finding(
                            "high-entropy-line",
                            Severity.LOW,
                            "A long line of near-random characters (high Shannon entropy) was"
                                    + " added",
                            entropy));
        }
        if (!invisible.isEmpty()) {
            out.add(
                    finding(
                            "invisible-character",
                            Severity.LOW,
                            "Zero-width characters or a byte-order mark inside a file",
                            invisible));
        }
    }

    static boolean obfuscated(FileScan s) {
        return s != null
                && !s.binary()
                && (s.count(Cue.OBFUSCATED_NAME) >= 200
                        || (s.count(Cue.OBFUSCATED_NAME) >= 20 && s.has(Cue.ARRAY_ROTATION)));
    }

    private static Set<String> runTexts(byte[] data, FileScan s) {
        Set<String> out = new HashSet<>();
        if (data == null || s == null) {
            return out;
        }
        for (FileScan.Run run : s.runs()) {
            out.add(
                    new String(
                            data,
                            run.offset(),
                            Math.min(run.length(), 4096),
                            StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    /** A data: URI's payload is an image or font, unless it is a script. */
    private static boolean dataUri(byte[] data, int offset) {
        int from = Math.max(0, offset - 64);
        String before =
                new String(data, from, offset - from, StandardCharsets.ISO_8859_1)
                        .toLowerCase(java.util.Locale.ROOT);
        int at = before.lastIndexOf("data:");
        return before.endsWith("base64,")
                && at >= 0
                && !before.substring(at).contains("javascript");
    }

    private static String sensitive(String decoded) {
        byte[] bytes = decoded.getBytes(StandardCharsets.UTF_8);
        FileScan d = Scanner.scan(bytes);
        for (Cue c : SENSITIVE) {
            List<FileScan.Hit> h = d.hits(c);
            if (!h.isEmpty()) {
                return Excerpts.around(bytes, h.get(0).offset(), h.get(0).length());
            }
        }
        if (decoded.contains("://")) {
            return Excerpts.escape(decoded, 60);
        }
        return null;
    }

    /** A sink (eval, Function, vm, module compile) within a short distance of a decoder. */
    private static Evidence decodedToEval(Release r, String path, byte[] data, FileScan s) {
        List<FileScan.Hit> sinks = s.hits(Cue.EVAL_SINK);
        if (sinks.isEmpty()) {
            return null;
        }
        List<FileScan.Hit> decoders = s.hits(Cue.DECODER);
        for (FileScan.Hit sink : sinks) {
            for (FileScan.Hit dec : decoders) {
                if (Math.abs(sink.offset() - dec.offset()) <= PAIR_WINDOW) {
                    FileScan.Hit first = sink.offset() < dec.offset() ? sink : dec;
                    return r.evidence(path, first);
                }
            }
        }
        return null;
    }

    private static Set<String> previousPairs(Release r) {
        Set<String> out = new HashSet<>();
        for (String p : r.before.files().keySet()) {
            byte[] data = r.before.files().get(p);
            if (!Release.isCode(p, data)) {
                continue;
            }
            FileScan s = r.scanBefore(p);
            for (FileScan.Hit sink : s.hits(Cue.EVAL_SINK)) {
                for (FileScan.Hit dec : s.hits(Cue.DECODER)) {
                    if (Math.abs(sink.offset() - dec.offset()) <= PAIR_WINDOW) {
                        FileScan.Hit first = sink.offset() < dec.offset() ? sink : dec;
                        out.add(Excerpts.around(data, first.offset(), first.length()));
                    }
                }
            }
        }
        return out;
    }

    private static void unicode(
            Release r,
            String path,
            FileScan s,
            boolean code,
            List<Evidence> bidi,
            List<Evidence> invisible,
            List<Evidence> payload) {
        if (s.count(Cue.INVISIBLE_PAYLOAD) >= 16 && !r.hadBefore(Cue.INVISIBLE_PAYLOAD)) {
            add(payload, r.evidence(path, s.hits(Cue.INVISIBLE_PAYLOAD).get(0)));
        }
        if (!code) {
            return;
        }
        for (FileScan.Hit h : s.hits(Cue.BIDI)) {
            if (!r.hadBefore(Cue.BIDI, h.token())) {
                add(bidi, r.evidence(path, h));
                break;
            }
        }
        for (FileScan.Hit h : s.hits(Cue.ZERO_WIDTH)) {
            if (!r.hadBefore(Cue.ZERO_WIDTH, h.token())) {
                add(invisible, r.evidence(path, h));
                break;
            }
        }
        for (FileScan.Hit h : s.hits(Cue.BOM)) {
            if (h.offset() > 0) {
                add(invisible, r.evidence(path, h));
                break;
            }
        }
    }

    private static void add(List<Evidence> list, Evidence e) {
        if (list.size() < MAX_EVIDENCE) {
            list.add(e);
        }
    }

    private static Finding finding(
            String id, Severity severity, String summary, List<Evidence> evidence) {
        return new Finding(id, severity, summary + ".", evidence);
    }
}
