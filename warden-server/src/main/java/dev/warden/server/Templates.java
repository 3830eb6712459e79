package dev.warden.server;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.TemplateOutput;
import gg.jte.html.OwaspHtmlTemplateOutput;
import gg.jte.html.escape.Escape;
import gg.jte.output.StringOutput;

import java.util.Map;

/**
 * The web pages' templates ({@code src/main/jte}), compiled to classes by the build: a template
 * that does not type-check fails it. Everything a template outputs is HTML-escaped for where it
 * stands (text, attribute, URL) unless the template says otherwise.
 */
final class Templates {

    private static final TemplateEngine ENGINE =
            TemplateEngine.createPrecompiled(
                    null,
                    ContentType.Html,
                    Templates.class.getClassLoader(),
                    Templates.class.getPackageName());

    private Templates() {}

    /**
     * Renders the template {@code name} (say {@code "signin.jte"}), whose one parameter is {@code
     * view}.
     */
    static String render(String name, Object view) {
        StringOutput out = new StringOutput();
        ENGINE.render(name, view, new QuotingOutput(out));
        return out.toString();
    }

    /** Renders the template {@code name} with its parameters by name (the layout takes several). */
    static String render(String name, Map<String, Object> params) {
        StringOutput out = new StringOutput();
        ENGINE.render(name, params, new QuotingOutput(out));
        return out.toString();
    }

    /** Renders the template {@code name}, which takes no parameters. */
    static String render(String name) {
        StringOutput out = new StringOutput();
        ENGINE.render(name, Map.of(), new QuotingOutput(out));
        return out.toString();
    }

    /**
     * jte's output, except that text also has its quotes escaped (as attribute values do), as the
     * pages always had: a message reads "browser&#39;s" wherever it is shown.
     */
    private static final class QuotingOutput extends OwaspHtmlTemplateOutput {

        private final TemplateOutput out;
        private String tag;
        private String attribute;

        QuotingOutput(TemplateOutput out) {
            super(out);
            this.out = out;
        }

        @Override
        public void setContext(String tagName, String attributeName) {
            this.tag = tagName;
            this.attribute = attributeName;
            super.setContext(tagName, attributeName);
        }

        @Override
        public void writeUserContent(String value) {
            if (value != null
                    && attribute == null
                    && !"script".equalsIgnoreCase(tag)
                    && !"style".equalsIgnoreCase(tag)) {
                Escape.htmlAttribute(value, out);
            } else {
                super.writeUserContent(value);
            }
        }
    }
}
