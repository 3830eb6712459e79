package dev.warden.web;

import java.util.List;

/**
 * Source split into tokens for reading: keywords, strings, comments, numbers and punctuation of
 * JavaScript and TypeScript, JSON, CSS, shell and Markdown, by file name. A page renders each token
 * as an escaped span with the kind as its class; an unknown language is one plain token per line.
 * Never fails: any text splits into lines of tokens whose texts concatenate to the line.
 */
public final class Highlight {

    private Highlight() {}

    /**
     * One run of text of one kind.
     *
     * @param kind "kw", "str", "com", "num", "punct", or null for plain text
     */
    public record Token(String kind, String text) {}

    /** The language of a file by its name ("js", "ts", "json", "css", "sh", "md"), or null. */
    public static String language(String path) {
        throw new UnsupportedOperationException("not built yet");
    }

    /** {@code text}'s lines (split on \n, \r\n stripped), each as its tokens. */
    public static List<List<Token>> lines(String language, String text) {
        throw new UnsupportedOperationException("not built yet");
    }
}
