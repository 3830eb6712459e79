package dev.warden.awareness;

import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.Heading;
import org.commonmark.node.Node;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.commonmark.renderer.html.UrlSanitizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The security guides for maintainers: Markdown files versioned with the code ({@code
 * src/main/resources/guides/<slug>.md}), rendered once at start with CommonMark and GFM tables. Raw
 * HTML in a guide is escaped, never passed through, and link targets with unsafe schemes ({@code
 * javascript:} and the like) are dropped, so a guide can only ever be text and links.
 */
public final class Guides {

    /** The guides, in reading order. */
    static final List<String> SLUGS = List.of("best-practices", "phishing", "leaked-credentials");

    private static final List<Extension> EXTENSIONS = List.of(TablesExtension.create());
    private static final Parser PARSER = Parser.builder().extensions(EXTENSIONS).build();
    private static final HtmlRenderer RENDERER =
            HtmlRenderer.builder()
                    .extensions(EXTENSIONS)
                    .escapeHtml(true)
                    .sanitizeUrls(true)
                    .urlSanitizer(
                            new UrlSanitizer() {
                                @Override
                                public String sanitizeLinkUrl(String url) {
                                    return safeUrl(url);
                                }

                                @Override
                                public String sanitizeImageUrl(String url) {
                                    return safeUrl(url);
                                }
                            })
                    .build();

    /**
     * A link or image target with no scheme (a path on the registry) or an http(s) or mailto one;
     * anything else ({@code javascript:}, {@code data:}, {@code vbscript:}) becomes empty.
     */
    static String safeUrl(String url) {
        String u = url.strip();
        int colon = u.indexOf(':');
        int end = firstOf(u, "/?#");
        if (colon < 0 || (end >= 0 && end < colon)) {
            return u;
        }
        String scheme = u.substring(0, colon).toLowerCase(java.util.Locale.ROOT);
        return List.of("http", "https", "mailto").contains(scheme) ? u : "";
    }

    private static int firstOf(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    /**
     * @param title the first level-one heading's text (not repeated in {@code html})
     * @param summary the first paragraph's text, for the index
     * @param html the rendered body: escaped text and the few elements Markdown makes
     */
    public record Guide(String slug, String title, String summary, String html) {}

    private final Map<String, Guide> guides = new LinkedHashMap<>();

    /** The guides shipped with the registry. */
    public static Guides bundled() {
        Guides g = new Guides();
        for (String slug : SLUGS) {
            g.guides.put(slug, render(slug, resource("/guides/" + slug + ".md")));
        }
        return g;
    }

    public List<Guide> all() {
        return List.copyOf(guides.values());
    }

    public Optional<Guide> find(String slug) {
        return Optional.ofNullable(guides.get(slug));
    }

    /** Renders one guide's Markdown. */
    static Guide render(String slug, String markdown) {
        Node doc = PARSER.parse(markdown);
        String title = slug;
        String summary = "";
        Heading titleHeading = null;
        for (Node n = doc.getFirstChild(); n != null; n = n.getNext()) {
            if (n instanceof Heading h && h.getLevel() == 1 && titleHeading == null) {
                titleHeading = h;
                title = text(h);
            } else if (n instanceof org.commonmark.node.Paragraph p && summary.isEmpty()) {
                summary = text(p);
            }
        }
        if (titleHeading != null) {
            titleHeading.unlink(); // the page's layout shows the title
        }
        return new Guide(slug, title, summary, RENDERER.render(doc));
    }

    private static String text(Node node) {
        StringBuilder out = new StringBuilder();
        for (Node n = node.getFirstChild(); n != null; n = n.getNext()) {
            if (n instanceof Text t) {
                out.append(t.getLiteral());
            } else if (n instanceof org.commonmark.node.SoftLineBreak) {
                out.append(' ');
            } else {
                out.append(text(n));
            }
        }
        return out.toString();
    }

    private static String resource(String path) {
        try (InputStream in = Guides.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("guide missing from the build: " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
