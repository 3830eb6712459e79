package dev.warden.web;

/**
 * A package's README as HTML that is safe to put in a page: CommonMark with GitHub's tables,
 * strikethrough and autolinks, then sanitised (no script, no event handlers, no {@code javascript:}
 * or {@code data:} URLs, no styles or frames), relative links and images resolved against where the
 * package's files are served and its repository. Bounded: a README past {@link #MAX_CHARS} is cut,
 * and nesting past a depth is flattened, so any input renders in bounded time and memory.
 */
public final class Readme {

    /** The longest README rendered; the rest is cut and the page says so. */
    public static final int MAX_CHARS = 512 * 1024;

    private Readme() {}

    /**
     * Where relative URLs in a README point.
     *
     * @param files the absolute URL prefix under which the release's own files are served (ends
     *     with "/"), for relative images; null to drop relative images
     * @param repository the repository's browsable URL prefix (ends with "/"), for relative links;
     *     null to drop relative links
     */
    public record Links(String files, String repository) {}

    /**
     * @param html sanitised HTML, to be put in a page as it is
     * @param truncated whether the source was longer than {@link #MAX_CHARS}
     */
    public record Rendered(String html, boolean truncated) {}

    /** Renders {@code markdown} (may be null or empty: an empty result). */
    public static Rendered render(String markdown, Links links) {
        throw new UnsupportedOperationException("not built yet");
    }
}
