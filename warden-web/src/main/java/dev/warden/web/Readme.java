package dev.warden.web;

import org.commonmark.Extension;
import org.commonmark.ext.autolink.AutolinkExtension;
import org.commonmark.ext.gfm.strikethrough.StrikethroughExtension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.safety.Cleaner;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A package's README as HTML that is safe to put in a page: CommonMark with GitHub's tables,
 * strikethrough and autolinks, then sanitised (no script, no event handlers, no {@code javascript:}
 * or {@code data:} URLs, no styles or frames), relative links and images resolved against where the
 * package's files are served and its repository. Bounded: a README past {@link #MAX_CHARS} is cut,
 * and nesting past a depth is flattened, so any input renders in bounded time and memory.
 *
 * <p>The steps: cut to the limit; break tables whose cells would be too many ({@link TableGuard});
 * parse with the parser's own nesting limits and flatten what is still too deep ({@link
 * DepthGuard}) before anything walks the tree recursively; render (raw HTML passes through); parse
 * that HTML with jsoup, itself depth-limited; resolve URLs and prefix ids; clean with {@link
 * ReadmeSafelist}; mark outside links nofollow.
 */
public final class Readme {

    /** The longest README rendered; the rest is cut and the page says so. */
    public static final int MAX_CHARS = 512 * 1024;

    /** The deepest nesting kept, in Markdown blocks and in HTML elements. */
    static final int MAX_DEPTH = 48;

    private static final List<Extension> EXTENSIONS =
            List.of(
                    TablesExtension.create(),
                    StrikethroughExtension.create(),
                    AutolinkExtension.create());
    // The depth guard is added before the extensions: it must run before autolink's post
    // processor, which walks the tree recursively.
    private static final Parser PARSER =
            Parser.builder()
                    .maxOpenBlockParsers(MAX_DEPTH)
                    .maxInlineNesting(MAX_DEPTH / 2)
                    .postProcessor(new DepthGuard(MAX_DEPTH))
                    .extensions(EXTENSIONS)
                    .build();
    private static final HtmlRenderer RENDERER =
            HtmlRenderer.builder()
                    .extensions(EXTENSIONS)
                    .escapeHtml(false)
                    .percentEncodeUrls(true)
                    .build();
    private static final ReadmeSafelist SAFELIST = new ReadmeSafelist();

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
        if (markdown == null || markdown.isEmpty()) {
            return new Rendered("", false);
        }
        boolean truncated = markdown.length() > MAX_CHARS;
        String source = truncated ? cut(markdown) : markdown;
        String html = RENDERER.render(PARSER.parse(TableGuard.limit(source)));
        return new Rendered(
                sanitise(html, links == null ? new Links(null, null) : links), truncated);
    }

    private static String cut(String markdown) {
        int end = MAX_CHARS;
        if (Character.isHighSurrogate(markdown.charAt(end - 1))) {
            end--;
        }
        return markdown.substring(0, end);
    }

    private static String sanitise(String html, Links links) {
        Document dirty = Document.createShell("");
        var parser = org.jsoup.parser.Parser.htmlParser().setMaxDepth(MAX_DEPTH);
        dirty.body().appendChildren(parser.parseFragmentInput(html, dirty.body(), ""));
        prepare(dirty, links);
        Document clean = new Cleaner(SAFELIST).clean(dirty);
        for (Element a : clean.body().getElementsByTag("a")) {
            String href = a.attr("href");
            if (!href.isEmpty() && !href.startsWith("#") && !href.startsWith("/")) {
                a.attr("rel", "nofollow noopener noreferrer");
            }
        }
        clean.outputSettings().prettyPrint(false);
        return clean.body().html();
    }

    /** Resolves URLs, gives headings their anchors and prefixes ids, before the safelist. */
    private static void prepare(Document dirty, Links links) {
        Map<String, Integer> slugs = new HashMap<>();
        for (Element element : dirty.body().getAllElements()) {
            String tag = element.normalName();
            if (tag.equals("a") && element.hasAttr("href")) {
                set(element, "href", Urls.link(element.attr("href"), links.repository()));
            } else if (tag.equals("img")) {
                set(element, "src", Urls.image(element.attr("src"), links.files()));
            }
            if (ReadmeSafelist.isHeading(tag)) {
                String id = element.hasAttr("id") ? element.attr("id") : element.text();
                element.attr("id", Urls.ID_PREFIX + unique(slug(id), slugs));
            } else if (element.hasAttr("id")) {
                element.removeAttr("id");
            }
        }
    }

    private static void set(Element element, String attribute, String value) {
        if (value == null) {
            element.removeAttr(attribute);
        } else {
            element.attr(attribute, value);
        }
    }

    /** GitHub's anchors: lower case, letters, digits, '-' and '_' kept, spaces to '-'. */
    static String slug(String text) {
        var out = new StringBuilder();
        String lower = text.strip().toLowerCase(Locale.ROOT);
        for (int i = 0; i < lower.length() && out.length() < 80; ) {
            int c = lower.codePointAt(i);
            if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                out.appendCodePoint(c);
            } else if (c == ' ') {
                out.append('-');
            }
            i += Character.charCount(c);
        }
        return out.toString();
    }

    private static String unique(String slug, Map<String, Integer> seen) {
        Integer count = seen.merge(slug, 1, Integer::sum);
        return count == 1 ? slug : slug + "-" + (count - 1);
    }
}
