package dev.warden.web;

import dev.warden.web.Highlight.Token;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * Markdown for reading in a diff: headings as keywords, fenced blocks and code spans as strings,
 * block markers and link brackets as punctuation; the rest plain.
 */
final class MarkdownLexer implements LineLexer {

    private static final String PUNCTUATION = "[]()!*_>";

    /** The fence under way ("```" or "~~~"), or null. */
    private String fence;

    @Override
    public List<Token> line(String line) {
        var out = new Lexer.Tokens();
        String content = line.stripLeading();
        boolean indentedLittle = line.length() - content.length() <= 3;
        if (fence != null) {
            if (indentedLittle && content.startsWith(fence)) {
                fence = null;
                out.add("punct", line);
            } else {
                out.add("str", line);
            }
            return out.finish();
        }
        if (indentedLittle && (content.startsWith("```") || content.startsWith("~~~"))) {
            fence = content.substring(0, 3);
            out.add("punct", line);
            return out.finish();
        }
        if (indentedLittle && heading(content)) {
            out.add("kw", line);
            return out.finish();
        }
        inline(line, out);
        return out.finish();
    }

    private static boolean heading(String content) {
        int hashes = 0;
        while (hashes < content.length() && content.charAt(hashes) == '#') {
            hashes++;
        }
        return hashes >= 1
                && hashes <= 6
                && (hashes == content.length() || content.charAt(hashes) == ' ');
    }

    /**
     * Code spans (a run of backticks to the next run of the same length) and punctuation. The runs
     * are paired first, right to left, so a line of unmatched runs stays linear.
     */
    private static void inline(String line, Lexer.Tokens out) {
        var runStarts = new ArrayList<Integer>();
        var runEnds = new ArrayList<Integer>();
        for (int i = 0; i < line.length(); ) {
            if (line.charAt(i) == '`') {
                int end = i;
                while (end < line.length() && line.charAt(end) == '`') {
                    end++;
                }
                runStarts.add(i);
                runEnds.add(end);
                i = end;
            } else {
                i++;
            }
        }
        int[] closer = new int[runStarts.size()];
        var nextOfLength = new HashMap<Integer, Integer>();
        for (int r = runStarts.size() - 1; r >= 0; r--) {
            int length = runEnds.get(r) - runStarts.get(r);
            closer[r] = nextOfLength.getOrDefault(length, -1);
            nextOfLength.put(length, r);
        }
        int i = 0;
        int run = 0;
        while (i < line.length()) {
            if (run < runStarts.size() && runStarts.get(run) == i) {
                int close = closer[run];
                int end = close < 0 ? runEnds.get(run) : runEnds.get(close);
                out.add(close < 0 ? "punct" : "str", line.substring(i, end));
                run = close < 0 ? run + 1 : close + 1;
                i = end;
            } else {
                char c = line.charAt(i);
                out.add(PUNCTUATION.indexOf(c) >= 0 ? "punct" : null, String.valueOf(c));
                i++;
            }
        }
    }
}
