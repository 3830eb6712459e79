package dev.warden.review;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

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
        for (String p : r.before.paths()) {
            if (r.before.isCode(p) && obfuscated(r.scanBefore(p))) {
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
        List<Evidence> bidiInCode = new ArrayList<>();
        List<Evidence> identifiers = new ArrayList<>();
        List<Evidence> invisible = new ArrayList<>();
        List<Evidence> payload = new ArrayList<>();
        List<Evidence> entropy = new ArrayList<>();
        List<Evidence> padded = new ArrayList<>();
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
            int decodes = 0;
            for (FileScan.Run run : s.runs()) {
                String text =
                        new String(
                                data,
                                run.offset(),
                                Math.min(run.length(), 4096),
                                StandardCharsets.ISO_8859_1);
                if ((old != null && r.before.hadRun(path, text)) || dataUri(data, run.offset())) {
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
                    int at = pastPadding(data, l);
                    // The same padded code in the previous file is not new.
                    if (at >= 0
                            && !Lexical.occursIn(
                                    data,
                                    at,
                                    Math.min(64, data.length - at),
                                    old == null ? null : r.before.bytes(path))) {
                        add(padded, r.evidence(path, l.line(), at, 120));
                        break;
                    }
                }
                for (FileScan.Run l : s.longLines()) {
                    if (l.length() >= 2000
                            && Decoded.entropy(data, l.offset(), Math.min(l.length(), 1 << 16))
                                    >= 5.8) {
                        add(entropy, r.evidence(path, l.line(), l.offset(), 120));
                        break;
                    }
                }
            }
            unicode(r, path, s, code, bidi, bidiInCode, identifiers, invisible, payload);
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
        if (!padded.isEmpty()) {
            out.add(
                    finding(
                            "code-past-padding",
                            Severity.HIGH,
                            "Code sits after a long run of spaces on its line, past the edge of an"
                                    + " editor or a diff, where no reviewer sees it",
                            padded));
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
        if (!identifiers.isEmpty()) {
            out.add(
                    finding(
                            "invisible-identifier",
                            Severity.HIGH,
                            "Code uses a character that renders as nothing (a Hangul filler, the"
                                    + " braille blank) as an identifier: a hidden variable or"
                                    + " argument no reviewer sees",
                            identifiers));
        }
        if (!bidiInCode.isEmpty()) {
            out.add(
                    finding(
                            "bidi-control-in-code",
                            Severity.HIGH,
                            "Bidirectional Unicode controls outside string literals reorder how"
                                    + " the code reads from how it runs (Trojan Source)",
                            bidiInCode));
        }
        if (!bidi.isEmpty()) {
            out.add(
                    finding(
                            "bidi-control",
                            Severity.MEDIUM,
                            "Bidirectional Unicode controls in a string literal can make code read"
                                    + " differently from how it runs (Trojan Source)",
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

    /** Blanks that push what follows them past any screen. */
    static final int PADDING = 200;

    /**
     * Where code resumes after {@link #PADDING} or more spaces or tabs inside this line, or -1. A
     * line that is only indentation, or padding before a comment, is no hiding place.
     */
    static int pastPadding(byte[] data, FileScan.Run line) {
        int end = Math.min(data.length, line.offset() + line.length());
        int blanks = 0;
        for (int i = line.offset(); i < end; i++) {
            byte b = data[i];
            if (b == ' ' || b == '\t') {
                blanks++;
                continue;
            }
            if (blanks >= PADDING && i - blanks > line.offset() && b != '/' && b != '*') {
                return i;
            }
            blanks = 0;
        }
        return -1;
    }

    static boolean obfuscated(FileScan s) {
        return s != null
                && !s.binary()
                && (s.count(Cue.OBFUSCATED_NAME) >= 200
                        || (s.count(Cue.OBFUSCATED_NAME) >= 20 && s.has(Cue.ARRAY_ROTATION)));
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
                if (Math.abs(sink.offset() - dec.offset()) <= PAIR_WINDOW
                        && !sourceMap(data, dec.offset())
                        && !encodes(data, dec.offset())
                        && !pairedBefore(r, path, sink, dec)) {
                    FileScan.Hit first = sink.offset() < dec.offset() ? sink : dec;
                    return r.evidence(path, first);
                }
            }
        }
        return null;
    }

    /**
     * An inline source map ({@code sourceMappingURL=data:application/json;base64,} + base64 of the
     * map) is encoded for debuggers, not decoded to be run.
     */
    static boolean sourceMap(byte[] data, int offset) {
        int from = Math.max(0, offset - 200);
        int to = Math.min(data.length, offset + 200);
        return new String(data, from, to - from, StandardCharsets.ISO_8859_1)
                .toLowerCase(java.util.Locale.ROOT)
                .contains("sourcemappingurl");
    }

    /** {@code .toString("base64")} encodes (to build a data: URL or a map), it decodes nothing. */
    static boolean encodes(byte[] data, int offset) {
        int from = Math.max(0, offset - 9);
        return new String(data, from, offset - from, StandardCharsets.ISO_8859_1)
                .toLowerCase(java.util.Locale.ROOT)
                .endsWith("tostring(");
    }

    /** The previous release's file at this path had the same sink next to the same decoder. */
    private static boolean pairedBefore(
            Release r, String path, FileScan.Hit sink, FileScan.Hit dec) {
        FileScan old = r.scanBefore(path);
        if (old == null || old.binary()) {
            return false;
        }
        for (FileScan.Hit os : old.hits(Cue.EVAL_SINK)) {
            if (os.keyword() != sink.keyword()) {
                continue;
            }
            for (FileScan.Hit od : old.hits(Cue.DECODER)) {
                if (od.keyword() == dec.keyword()
                        && Math.abs(os.offset() - od.offset()) <= PAIR_WINDOW) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Set<String> previousPairs(Release r) {
        Set<String> out = r.before.pairs();
        if (out == null) {
            Map<String, byte[]> code = new LinkedHashMap<>();
            for (String p : r.before.paths()) {
                code.put(p, r.before.bytes(p));
            }
            out = pairsOf(code, r::scanBefore);
            r.before.pairs(out);
        }
        return out;
    }

    /** Eval sinks within reach of decoders in these files' code, as excerpts of the first. */
    static Set<String> pairsOf(Map<String, byte[]> files, Function<String, FileScan> scans) {
        Set<String> out = new HashSet<>();
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            byte[] data = f.getValue();
            if (data == null || !Release.isCode(f.getKey(), data)) {
                continue;
            }
            FileScan s = scans.apply(f.getKey());
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
            List<Evidence> bidiInCode,
            List<Evidence> identifiers,
            List<Evidence> invisible,
            List<Evidence> payload) {
        if (s.count(Cue.INVISIBLE_PAYLOAD) >= 16 && !r.hadBefore(Cue.INVISIBLE_PAYLOAD)) {
            add(payload, r.evidence(path, s.hits(Cue.INVISIBLE_PAYLOAD).get(0)));
        }
        if (!code) {
            return;
        }
        byte[] data = r.now.files().get(path);
        for (FileScan.Hit h : s.hits(Cue.BIDI)) {
            if (!r.hadBefore(Cue.BIDI, h.token())) {
                // Outside a string literal (in code or a comment) a bidi control reorders what the
                // reader sees of the code itself: Trojan Source.
                if (Lexical.at(data, h.offset()) == Lexical.Place.STRING) {
                    add(bidi, r.evidence(path, h));
                } else {
                    add(bidiInCode, r.evidence(path, h));
                }
                break;
            }
        }
        for (FileScan.Hit h : s.hits(Cue.INVISIBLE_IDENTIFIER)) {
            if (r.hadBefore(Cue.INVISIBLE_IDENTIFIER, h.token())) {
                continue;
            }
            Lexical.Place place = Lexical.at(data, h.offset());
            if (place == Lexical.Place.CODE) {
                add(identifiers, r.evidence(path, h));
                break;
            }
            if (place == Lexical.Place.STRING && !h.token().equals("U+2800")) {
                // The braille blank draws spinners and charts; the fillers have no such use.
                add(invisible, r.evidence(path, h));
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
