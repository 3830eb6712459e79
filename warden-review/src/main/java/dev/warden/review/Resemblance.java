package dev.warden.review;

/**
 * A name that resembles a popular one.
 *
 * @param name the name looked at
 * @param popular the popular name it resembles
 * @param kind how
 * @param detail what differs, for the message (the affix, the scope, the lookalike character), or
 *     empty
 */
public record Resemblance(String name, String popular, Kind kind, String detail) {

    /** How a name resembles a popular one, most telling first. */
    public enum Kind {
        CASE,
        SEPARATOR,
        CONFUSABLE,
        WORD_ORDER,
        SCOPE,
        SCOPED_COPY,
        TRANSPOSITION,
        EXTRA_CHARACTER,
        MISSING_CHARACTER,
        CHANGED_CHARACTER,
        AFFIX
    }

    /** One clause naming both names and how they differ: "crossenv is one separator away ...". */
    public String describe() {
        String p = "the popular package " + popular;
        return switch (kind) {
            case CASE -> name + " differs only in case from " + p;
            case SEPARATOR -> name + " is one separator away from " + p;
            case CONFUSABLE ->
                    name + " looks like " + p + " (lookalike characters: " + detail + ")";
            case WORD_ORDER -> name + " has the words of " + p + " in another order";
            case SCOPE -> name + " is " + p + " under the lookalike scope " + detail;
            case SCOPED_COPY ->
                    name + " republishes the name of " + p + " under the scope " + detail;
            case TRANSPOSITION -> name + " swaps two adjacent characters of " + p;
            case EXTRA_CHARACTER -> name + " is " + p + " with one character added";
            case MISSING_CHARACTER -> name + " is " + p + " with one character left out";
            case CHANGED_CHARACTER -> name + " is " + p + " with one character changed";
            case AFFIX -> name + " is " + p + " with " + detail + " added";
        };
    }
}
