package dev.warden.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Source split into tokens for reading: keywords, strings, comments, numbers and punctuation of
 * JavaScript and TypeScript, JSON, CSS, shell and Markdown (and YAML and HTML, roughly), by file
 * name. A page renders each token as an escaped span with the kind as its class; an unknown
 * language is one plain token per line. Never fails: any text splits into lines of tokens whose
 * texts concatenate to the line. One pass per line, so a megabyte on one line is as quick as a
 * megabyte on many.
 */
public final class Highlight {

    private static final Map<String, String> BY_EXTENSION =
            Map.ofEntries(
                    Map.entry("js", "js"),
                    Map.entry("mjs", "js"),
                    Map.entry("cjs", "js"),
                    Map.entry("jsx", "js"),
                    Map.entry("ts", "ts"),
                    Map.entry("mts", "ts"),
                    Map.entry("cts", "ts"),
                    Map.entry("tsx", "ts"),
                    Map.entry("json", "json"),
                    Map.entry("css", "css"),
                    Map.entry("sh", "sh"),
                    Map.entry("bash", "sh"),
                    Map.entry("md", "md"),
                    Map.entry("markdown", "md"),
                    Map.entry("yml", "yaml"),
                    Map.entry("yaml", "yaml"),
                    Map.entry("html", "html"),
                    Map.entry("htm", "html"));

    private static final Map<String, Grammar> GRAMMARS =
            Map.of(
                    "js", Grammar.JS,
                    "ts", Grammar.TS,
                    "json", Grammar.JSON,
                    "css", Grammar.CSS,
                    "sh", Grammar.SH,
                    "yaml", Grammar.YAML,
                    "html", Grammar.HTML);

    private Highlight() {}

    /**
     * One run of text of one kind.
     *
     * @param kind "kw", "str", "com", "num", "punct", or null for plain text
     */
    public record Token(String kind, String text) {}

    /**
     * The language of a file by its name ("js", "ts", "json", "css", "sh", "md", "yaml", "html"),
     * or null.
     */
    public static String language(String path) {
        if (path == null) {
            return null;
        }
        String name = path.substring(path.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        if (dot < 0 || dot == name.length() - 1) {
            return null;
        }
        return BY_EXTENSION.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** {@code text}'s lines (split on \n, \r\n stripped), each as its tokens. */
    public static List<List<Token>> lines(String language, String text) {
        List<String> lines = split(text);
        var out = new ArrayList<List<Token>>(lines.size());
        LineLexer lexer = lexer(language);
        for (String line : lines) {
            out.add(tokens(lexer, line));
        }
        return out;
    }

    /**
     * A lexer for one text's lines in order, for callers that have the lines already (a diff's
     * side): each call continues the state of the one before.
     */
    static LineLexer lexer(String language) {
        if ("md".equals(language)) {
            return new MarkdownLexer();
        }
        Grammar grammar = language == null ? null : GRAMMARS.get(language);
        return grammar == null ? line -> List.of(new Token(null, line)) : new Lexer(grammar);
    }

    static List<Token> tokens(LineLexer lexer, String line) {
        return line.isEmpty() ? List.of() : lexer.line(line);
    }

    /** Lines as a diff counts them: a final newline ends the last line, it starts none. */
    static List<String> split(String text) {
        var lines = new ArrayList<String>();
        if (text == null || text.isEmpty()) {
            return lines;
        }
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            boolean newline = end >= 0;
            if (!newline) {
                end = text.length();
            }
            int cut = newline && end > start && text.charAt(end - 1) == '\r' ? end - 1 : end;
            lines.add(text.substring(start, cut));
            start = end + 1;
        }
        return lines;
    }
}
