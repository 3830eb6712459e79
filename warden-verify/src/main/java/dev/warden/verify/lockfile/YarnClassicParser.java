package dev.warden.verify.lockfile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The syntax of yarn classic's yarn.lock, which is not YAML: blocks opened by {@code key:} and
 * nested by two spaces, entries keyed by one or more comma-separated specs, {@code key value} pairs
 * with quoted (JSON escapes) or bare values, {@code #} comments. It follows yarn 1's own tokenizer
 * (src/lockfile/parse.js): a bare word stops at a space, a comma, a colon or the end of the line,
 * and indentation is an even number of spaces.
 */
final class YarnClassicParser {

    /** One top-level entry: its specs, its fields (text or nested maps) and its line. */
    record Block(List<String> specs, Map<String, Object> fields, int line) {}

    /** Nesting deeper than this is refused: yarn writes two levels. */
    private static final int MAX_DEPTH = 8;

    private final Path file;
    private int lineNo;
    private String line;
    private int pos;

    private YarnClassicParser(Path file) {
        this.file = file;
    }

    static List<Block> parse(Path file, String text, Packages counter) throws LockfileException {
        return new YarnClassicParser(file).blocks(text, counter);
    }

    private List<Block> blocks(String text, Packages counter) throws LockfileException {
        List<Block> blocks = new ArrayList<>();
        List<Map<String, Object>> stack = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            lineNo = i + 1;
            line =
                    lines[i].endsWith("\r")
                            ? lines[i].substring(0, lines[i].length() - 1)
                            : lines[i];
            int indent = 0;
            while (indent < line.length() && line.charAt(indent) == ' ') {
                indent++;
            }
            if (indent == line.length() || line.charAt(indent) == '#') {
                continue;
            }
            if (line.charAt(indent) == '\t') {
                throw error("a tab in the indentation");
            }
            if (indent % 2 != 0) {
                throw error("an odd number of spaces of indentation");
            }
            int level = indent / 2;
            if (level > stack.size()) {
                throw error("indented deeper than the block it is in");
            }
            while (stack.size() > level) {
                stack.remove(stack.size() - 1);
            }
            pos = indent;
            List<String> keys = new ArrayList<>();
            keys.add(token());
            skipSpaces();
            while (pos < line.length() && line.charAt(pos) == ',') {
                pos++;
                skipSpaces();
                keys.add(token());
                skipSpaces();
            }
            if (pos < line.length() && line.charAt(pos) == ':') {
                pos++;
                expectEnd();
                if (stack.size() >= MAX_DEPTH) {
                    throw error("blocks nested deeper than " + MAX_DEPTH);
                }
                Map<String, Object> block = new LinkedHashMap<>();
                if (level == 0) {
                    counter.count();
                    blocks.add(new Block(List.copyOf(keys), block, lineNo));
                } else {
                    stack.get(level - 1).put(String.join(", ", keys), block);
                }
                stack.add(block);
                continue;
            }
            if (level == 0) {
                throw error("expected an entry (\"name@range:\"), found a value");
            }
            if (keys.size() > 1) {
                throw error("several keys for one value");
            }
            if (pos >= line.length()) {
                throw error("a key with no value and no colon");
            }
            String value = token();
            expectEnd();
            stack.get(level - 1).put(keys.get(0), value);
        }
        return blocks;
    }

    private void skipSpaces() {
        while (pos < line.length() && line.charAt(pos) == ' ') {
            pos++;
        }
    }

    /** The end of the line, maybe after spaces and a comment. */
    private void expectEnd() throws LockfileException {
        skipSpaces();
        if (pos < line.length() && line.charAt(pos) != '#') {
            throw error("unexpected \"" + line.charAt(pos) + "\"");
        }
    }

    /** A quoted string or a bare word. */
    private String token() throws LockfileException {
        if (pos >= line.length()) {
            throw error("expected a key or a value, found the end of the line");
        }
        if (line.charAt(pos) == '"') {
            return quoted();
        }
        int start = pos;
        while (pos < line.length()) {
            char c = line.charAt(pos);
            if (c == ' ' || c == ',' || c == ':') {
                break;
            }
            if (c == '"') {
                throw error("a quote inside a bare word");
            }
            pos++;
        }
        if (pos == start) {
            throw error("expected a key or a value, found \"" + line.charAt(pos) + "\"");
        }
        return line.substring(start, pos);
    }

    private String quoted() throws LockfileException {
        StringBuilder sb = new StringBuilder();
        pos++;
        while (pos < line.length()) {
            char c = line.charAt(pos++);
            if (c == '"') {
                return sb.toString();
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (pos >= line.length()) {
                break;
            }
            char e = line.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'u' -> {
                    if (pos + 4 > line.length()) {
                        throw error("a truncated \\u escape");
                    }
                    String hex = line.substring(pos, pos + 4);
                    if (!hex.chars().allMatch(HexFormat::isHexDigit)) {
                        throw error("a bad \\u escape");
                    }
                    sb.append((char) HexFormat.fromHexDigits(hex));
                    pos += 4;
                }
                default -> throw error("an unknown escape \\" + e);
            }
        }
        throw error("an unterminated string");
    }

    private LockfileException error(String what) {
        return new LockfileException(
                file + ": malformed yarn.lock at line " + lineNo + ": " + what);
    }
}
