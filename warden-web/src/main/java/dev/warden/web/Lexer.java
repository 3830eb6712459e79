package dev.warden.web;

import dev.warden.web.Highlight.Token;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Splits lines into tokens by a {@link Grammar}, in one pass over each character, keeping what
 * spans lines (a block comment, a template literal) as state from one line to the next. Adjacent
 * text of one kind is one token. Every character lands in exactly one token.
 */
final class Lexer implements LineLexer {

    private final Grammar grammar;

    /** The closing text of the block comment under way, or the quote of the string under way. */
    private String openUntil;

    private String kindOpen;

    Lexer(Grammar grammar) {
        this.grammar = grammar;
    }

    @Override
    public List<Token> line(String line) {
        var out = new Tokens();
        int i = 0;
        if (openUntil != null) {
            i = close(line, 0, out);
        }
        while (i < line.length()) {
            i = next(line, i, out);
        }
        return out.finish();
    }

    /** Continues what is open from an earlier line; returns where it ended. */
    private int close(String line, int from, Tokens out) {
        boolean string = kindOpen.equals("str");
        int end =
                string ? stringEnd(line, from, openUntil.charAt(0)) : line.indexOf(openUntil, from);
        if (end < 0) {
            out.add(kindOpen, line.substring(from));
            return line.length();
        }
        int after = string ? end + 1 : end + openUntil.length();
        out.add(kindOpen, line.substring(from, after));
        openUntil = null;
        kindOpen = null;
        return after;
    }

    private int next(String line, int i, Tokens out) {
        char c = line.charAt(i);
        Grammar g = grammar;
        if (g.blockOpen() != null && line.startsWith(g.blockOpen(), i)) {
            openUntil = g.blockClose();
            kindOpen = "com";
            out.add("com", g.blockOpen());
            return close(line, i + g.blockOpen().length(), out);
        }
        if (g.lineComment() != null
                && line.startsWith(g.lineComment(), i)
                && (!g.commentAfterSpaceOnly()
                        || i == 0
                        || Character.isWhitespace(line.charAt(i - 1)))) {
            out.add("com", line.substring(i));
            return line.length();
        }
        if (c == g.spanningQuote() && c != 0) {
            openUntil = String.valueOf(c);
            kindOpen = "str";
            out.add("str", String.valueOf(c));
            return close(line, i + 1, out);
        }
        if (g.quotes().indexOf(c) >= 0) {
            int end = stringEnd(line, i + 1, c);
            int after = end < 0 ? line.length() : end + 1;
            out.add("str", line.substring(i, after));
            return after;
        }
        if (isDigit(c) || (c == '.' && i + 1 < line.length() && isDigit(line.charAt(i + 1)))) {
            int end = i + 1;
            while (end < line.length() && (isWord(line.charAt(end)) || line.charAt(end) == '.')) {
                end++;
            }
            out.add("num", line.substring(i, end));
            return end;
        }
        if (isWord(c)) {
            int end = i + 1;
            while (end < line.length() && isWord(line.charAt(end))) {
                end++;
            }
            String word = line.substring(i, end);
            out.add(g.keywords().contains(word) ? "kw" : null, word);
            return end;
        }
        out.add(g.punctuation().indexOf(c) >= 0 ? "punct" : null, String.valueOf(c));
        return i + 1;
    }

    /** The index of the quote closing a string from {@code from}, or -1 if the line ends first. */
    private static int stringEnd(String line, int from, char quote) {
        for (int i = from; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == quote) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private boolean isWord(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || grammar.wordChars().indexOf(c) >= 0;
    }

    /** Tokens of a line, merging neighbours of one kind. */
    static final class Tokens {
        private final List<Token> list = new ArrayList<>();
        private final StringBuilder run = new StringBuilder();
        private String runKind;

        void add(String kind, String text) {
            if (text.isEmpty()) {
                return;
            }
            if (run.length() > 0 && !Objects.equals(kind, runKind)) {
                flush();
            }
            runKind = kind;
            run.append(text);
        }

        List<Token> finish() {
            flush();
            return list;
        }

        private void flush() {
            if (run.length() > 0) {
                list.add(new Token(runKind, run.toString()));
                run.setLength(0);
            }
        }
    }
}
