package dev.warden.review;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A release that breaks its users on purpose (protestware: colors 1.4.44-liberty-2, faker 6.6.6): a
 * new loop that never ends, or the library's code deleted with its entry point left empty.
 */
final class Sabotage implements Detector {

    /** What leaves a loop or makes it wait: a loop with none of these runs forever. */
    private static final Pattern EXIT =
            Pattern.compile(
                    "\\b(break|return|throw|yield|await|process\\.exit|continue\\s+\\w)\\b|\\.exit\\(");

    /** Bodies longer than this are not followed (and count as able to exit). */
    private static final int MAX_BODY = 64 * 1024;

    /** Below this much code a package is too small for its shrinking to mean anything. */
    static final int MIN_CODE_BYTES = 4096;

    /** An entry point with less than this many non-blank characters is a stub. */
    static final int STUB_CHARS = 24;

    @Override
    public String name() {
        return "sabotage";
    }

    @Override
    public void examine(Release r, List<Finding> out) {
        endlessLoops(r, out);
        if (r.hasPrevious()) {
            codeDeleted(r, out);
        }
    }

    private static void endlessLoops(Release r, List<Finding> out) {
        List<Evidence> ev = new ArrayList<>();
        for (String path : r.changedFiles()) {
            byte[] data = r.now.files().get(path);
            if (!Release.isCode(path, data)) {
                continue;
            }
            FileScan s = r.scan(path);
            if (s.binary() || !s.has(Cue.ENDLESS_LOOP)) {
                continue;
            }
            byte[] old = r.before.bytes(path);
            for (FileScan.Hit h : s.hits(Cue.ENDLESS_LOOP)) {
                if (Lexical.at(data, h.offset()) != Lexical.Place.CODE) {
                    continue;
                }
                if (h.token().contains("infinity") && !inForHeader(data, h.offset())) {
                    continue;
                }
                int body = bodyStart(data, h.offset() + h.length());
                if (body < 0 || canExit(data, body)) {
                    continue;
                }
                // The same loop in the previous release of the file is not new.
                int from = Math.max(0, h.offset() - 24);
                if (Lexical.occursIn(data, from, h.offset() + 64 - from, old)) {
                    continue;
                }
                if (ev.size() < MAX_EVIDENCE) {
                    ev.add(r.evidence(path, h));
                }
                break;
            }
        }
        if (!ev.isEmpty()) {
            out.add(
                    new Finding(
                            "endless-loop",
                            Severity.HIGH,
                            "New code has a loop with no way out (no break, return, throw or"
                                    + " await): whatever loads it hangs, as protestware did.",
                            ev));
        }
    }

    /** The offset just after the loop header's closing parenthesis, or -1. */
    private static int bodyStart(byte[] data, int from) {
        // "while(true)" ends with the header; "for(;;" and "i < infinity" end inside it.
        if (data[from - 1] == ')') {
            return from;
        }
        int depth = 0;
        for (int i = from; i < data.length && i < from + 512; i++) {
            if (data[i] == '(') {
                depth++;
            } else if (data[i] == ')') {
                if (depth == 0) {
                    return i + 1;
                }
                depth--;
            }
        }
        return -1;
    }

    /** {@code i < Infinity} inside a {@code for (...)} header, not an {@code if}. */
    private static boolean inForHeader(byte[] data, int offset) {
        for (int i = offset - 1; i >= 0 && i >= offset - 80; i--) {
            if (data[i] == ')' || data[i] == '{' || data[i] == '}') {
                return false;
            }
            if (data[i] == '('
                    && i >= 3
                    && new String(data, i - 4, 4, StandardCharsets.ISO_8859_1).matches(".?for ?")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Only a braced body is judged: {@code for(;;)switch(...)} (a generator's state machine) and
     * the tail of {@code do {...} while (1);} leave through statements this cannot see.
     */
    private static boolean canExit(byte[] data, int at) {
        int i = at;
        while (i < data.length && Character.isWhitespace(data[i])) {
            i++;
        }
        if (i >= data.length || data[i] != '{') {
            return true;
        }
        int end = matchingBrace(data, i);
        if (end < 0) {
            return true;
        }
        String body = new String(data, i, end - i, StandardCharsets.ISO_8859_1);
        return EXIT.matcher(body).find();
    }

    /** The offset of the brace closing the one at {@code open}, skipping strings, or -1. */
    private static int matchingBrace(byte[] data, int open) {
        int depth = 0;
        byte quote = 0;
        int limit = Math.min(data.length, open + MAX_BODY);
        for (int i = open; i < limit; i++) {
            byte b = data[i];
            if (quote != 0) {
                if (b == '\\') {
                    i++;
                } else if (b == quote || (b == '\n' && quote != '`')) {
                    quote = 0;
                }
            } else if (b == '"' || b == '\'' || b == '`') {
                quote = b;
            } else if (b == '{') {
                depth++;
            } else if (b == '}') {
                if (--depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static void codeDeleted(Release r, List<Finding> out) {
        long was = r.before.codeBytes();
        long now = codeBytes(r.now);
        if (was < MIN_CODE_BYTES || now * 5 > was) {
            return;
        }
        String main = mainFile(r.subject.manifest(), r.now);
        byte[] entry = main == null ? null : r.now.files().get(main);
        // A missing entry point is as often a restructured package (a new major's layout).
        boolean stub = entry != null && nonBlank(entry) < STUB_CHARS;
        out.add(
                new Finding(
                        "code-deleted",
                        stub ? Severity.HIGH : Severity.MEDIUM,
                        "The release's code shrank from "
                                + was
                                + " to "
                                + now
                                + " bytes"
                                + (stub ? " and its entry point " + main + " is empty" : "")
                                + ": the library no longer does what its dependents call it for.",
                        List.of(main == null ? Evidence.of(null) : Evidence.of(main))));
    }

    private static long codeBytes(Unpacked files) {
        long n = 0;
        for (var f : files.files().entrySet()) {
            if (Release.isCode(f.getKey(), f.getValue())) {
                n += f.getValue().length;
            }
        }
        return n;
    }

    /** The entry point: {@code main}, else {@code index.js}. */
    private static String mainFile(JsonNode manifest, Unpacked files) {
        JsonNode m = manifest == null ? null : manifest.get("main");
        String main = m != null && m.isTextual() ? m.asText() : "index.js";
        main = main.startsWith("./") ? main.substring(2) : main;
        for (String c : List.of(main, main + ".js", main + "/index.js")) {
            if (files.files().containsKey(c)) {
                return c;
            }
        }
        return main;
    }

    private static int nonBlank(byte[] data) {
        int n = 0;
        for (byte b : data) {
            if (b > ' ') {
                n++;
            }
        }
        return n;
    }
}
