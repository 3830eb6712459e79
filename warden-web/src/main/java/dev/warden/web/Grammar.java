package dev.warden.web;

import java.util.Set;

/**
 * What {@link Lexer} needs to know of a language: its comments, its quotes, its words. Small on
 * purpose: a reader's aid, not a parser (a regular expression literal in JavaScript, say, is only
 * punctuation and text).
 *
 * @param lineComment starts a comment to the end of the line, or null
 * @param commentAfterSpaceOnly whether the line comment starts only at a line's start or after
 *     whitespace (shell and YAML: {@code ${#x}} and {@code a#b} are no comments)
 * @param blockOpen starts a comment that may span lines, or null
 * @param blockClose ends it
 * @param quotes characters that open and close a string on one line
 * @param spanningQuote a quote whose string may span lines (JavaScript's template literal), or 0
 * @param wordChars characters besides letters, digits and '_' that continue a word
 * @param keywords words shown as keywords
 * @param punctuation characters shown as punctuation
 */
record Grammar(
        String lineComment,
        boolean commentAfterSpaceOnly,
        String blockOpen,
        String blockClose,
        String quotes,
        char spanningQuote,
        String wordChars,
        Set<String> keywords,
        String punctuation) {

    private static final String C_PUNCTUATION = "{}[]()<>;,.:=+-*/%!&|^~?@";

    static final Grammar JS =
            new Grammar(
                    "//",
                    false,
                    "/*",
                    "*/",
                    "'\"",
                    '`',
                    "$",
                    Set.of(
                            "async",
                            "await",
                            "break",
                            "case",
                            "catch",
                            "class",
                            "const",
                            "continue",
                            "debugger",
                            "default",
                            "delete",
                            "do",
                            "else",
                            "export",
                            "extends",
                            "false",
                            "finally",
                            "for",
                            "from",
                            "function",
                            "if",
                            "import",
                            "in",
                            "instanceof",
                            "let",
                            "new",
                            "null",
                            "of",
                            "return",
                            "static",
                            "super",
                            "switch",
                            "this",
                            "throw",
                            "true",
                            "try",
                            "typeof",
                            "undefined",
                            "var",
                            "void",
                            "while",
                            "with",
                            "yield",
                            "require",
                            "module",
                            "exports"),
                    C_PUNCTUATION);

    static final Grammar TS =
            new Grammar(
                    "//",
                    false,
                    "/*",
                    "*/",
                    "'\"",
                    '`',
                    "$",
                    union(
                            JS.keywords,
                            Set.of(
                                    "abstract",
                                    "any",
                                    "as",
                                    "boolean",
                                    "declare",
                                    "enum",
                                    "implements",
                                    "interface",
                                    "keyof",
                                    "namespace",
                                    "never",
                                    "number",
                                    "private",
                                    "protected",
                                    "public",
                                    "readonly",
                                    "string",
                                    "type",
                                    "unknown",
                                    "satisfies")),
                    C_PUNCTUATION);

    static final Grammar JSON =
            new Grammar(
                    null,
                    false,
                    null,
                    null,
                    "\"",
                    (char) 0,
                    "",
                    Set.of("true", "false", "null"),
                    "{}[]:,");

    static final Grammar CSS =
            new Grammar(
                    null,
                    false,
                    "/*",
                    "*/",
                    "'\"",
                    (char) 0,
                    "-",
                    Set.of("important", "media", "import", "supports", "keyframes", "font-face"),
                    "{}()[];:,.>+~*=#@!");

    static final Grammar SH =
            new Grammar(
                    "#",
                    true,
                    null,
                    null,
                    "'\"",
                    (char) 0,
                    "-",
                    Set.of(
                            "if",
                            "then",
                            "else",
                            "elif",
                            "fi",
                            "for",
                            "while",
                            "until",
                            "do",
                            "done",
                            "case",
                            "esac",
                            "function",
                            "in",
                            "return",
                            "export",
                            "local",
                            "set",
                            "exit",
                            "echo",
                            "cd",
                            "source",
                            "shift",
                            "unset",
                            "readonly",
                            "eval",
                            "exec",
                            "trap"),
                    "{}[]();|&<>=$`!");

    static final Grammar YAML =
            new Grammar(
                    "#",
                    true,
                    null,
                    null,
                    "'\"",
                    (char) 0,
                    "-",
                    Set.of("true", "false", "null", "yes", "no", "on", "off"),
                    ":-[]{},|>&*!?");

    static final Grammar HTML =
            new Grammar(
                    null,
                    false,
                    "<!--",
                    "-->",
                    "'\"",
                    (char) 0,
                    "-",
                    Set.of(
                            "html", "head", "body", "script", "style", "div", "span", "a", "p",
                            "link", "meta", "title", "img", "ul", "li", "table", "tr", "td"),
                    "<>/=");

    private static Set<String> union(Set<String> a, Set<String> b) {
        var all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
