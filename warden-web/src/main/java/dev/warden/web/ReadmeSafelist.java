package dev.warden.web;

import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Element;
import org.jsoup.safety.Safelist;

import java.util.regex.Pattern;

/**
 * The elements and attributes a README keeps: text structure only. No script, style, frames, forms,
 * SVG or MathML, no event handlers or style attributes. A URL attribute passes only as {@link Urls}
 * left it, a class only as a fenced block's {@code language-*} on {@code code}, an id only with the
 * {@code user-content-} prefix (so a README cannot take the page's own ids).
 */
final class ReadmeSafelist extends Safelist {

    private static final Pattern LANGUAGE = Pattern.compile("language-[A-Za-z0-9_+#.-]{1,40}");
    private static final Pattern ID = Pattern.compile(Urls.ID_PREFIX + "[\\p{L}\\p{N}_-]{0,100}");
    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,4}%?");

    ReadmeSafelist() {
        addTags(
                "h1",
                "h2",
                "h3",
                "h4",
                "h5",
                "h6",
                "p",
                "a",
                "img",
                "ul",
                "ol",
                "li",
                "table",
                "thead",
                "tbody",
                "tr",
                "th",
                "td",
                "pre",
                "code",
                "blockquote",
                "em",
                "strong",
                "del",
                "s",
                "hr",
                "br",
                "details",
                "summary",
                "sup",
                "sub",
                "kbd",
                "dl",
                "dt",
                "dd",
                "b",
                "i");
        addAttributes("a", "title");
        addAttributes("img", "alt", "title");
        addAttributes("th", "align");
        addAttributes("td", "align");
        addAttributes("ol", "start");
        addAttributes("details", "open");
    }

    @Override
    public boolean isSafeAttribute(String tagName, Element element, Attribute attribute) {
        String value = attribute.getValue();
        return switch (attribute.getKey()) {
            case "href" -> tagName.equals("a") && Urls.safe(value, false);
            case "src" -> tagName.equals("img") && Urls.safe(value, true);
            case "class" -> tagName.equals("code") && LANGUAGE.matcher(value).matches();
            case "id" -> isHeading(tagName) && ID.matcher(value).matches();
            case "width", "height" -> tagName.equals("img") && NUMBER.matcher(value).matches();
            case "colspan", "rowspan" ->
                    (tagName.equals("td") || tagName.equals("th"))
                            && NUMBER.matcher(value).matches();
            default -> super.isSafeAttribute(tagName, element, attribute);
        };
    }

    static boolean isHeading(String tagName) {
        return tagName.length() == 2
                && tagName.charAt(0) == 'h'
                && tagName.charAt(1) >= '1'
                && tagName.charAt(1) <= '6';
    }
}
