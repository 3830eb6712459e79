package dev.warden.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which URLs from a package.json Warden serves. A link (a homepage, a bugs URL, a funding URL, a
 * person's url, a search result's links, a link on a web page) must be http or https with a host:
 * anything else ({@code javascript:}, {@code data:}, {@code file:}...) is dropped, since a browser,
 * a registry UI or {@code npm fund} may open it. A repository URL may also take the forms git and
 * npm understand ({@code git+https://}, {@code git://}, {@code git+ssh://}, {@code ssh://}, {@code
 * github:user/repo} and the other hosted shorthands, and without a scheme only {@code user/repo}
 * and {@code git@host:path}); those stay in the packument, where npm needs them, but are never
 * links. A value with whitespace, control characters, invisible format characters (zero-width
 * spaces, direction marks, the byte order mark...) or line and paragraph separators is dropped:
 * browsers strip or ignore some of them, so they hide schemes.
 */
public final class SafeUrls {

    private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*):");

    /**
     * Whitespace, controls, format characters (U+200B..U+200F, U+202A..U+202E, U+2060..U+2064,
     * U+FEFF...), separators (U+2028, U+2029, U+00A0...), and what is not a character.
     */
    private static final Pattern UNSAFE_CHARACTERS = Pattern.compile("[\\s\\p{C}\\p{Z}]");

    private static final Set<String> REPOSITORY_SCHEMES =
            Set.of("http", "https", "git", "git+http", "git+https", "git+ssh", "ssh");

    /**
     * npm's hosted shorthands, {@code github:user/repo}: what follows the scheme must be a path of
     * names.
     */
    private static final Set<String> HOSTED_SCHEMES = Set.of("github", "gitlab", "bitbucket");

    private static final Pattern HOSTED =
            Pattern.compile("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+(#\\S*)?");

    /** {@code user/repo}, optionally {@code #committish}: npm reads it as a GitHub repository. */
    private static final Pattern SHORTHAND =
            Pattern.compile("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(#\\S*)?");

    /** A gist: {@code gist:id} or {@code gist:user/id}. */
    private static final Pattern GIST = Pattern.compile("([A-Za-z0-9_.-]+/)?[A-Za-z0-9]+(#\\S*)?");

    /** scp's form that git takes: {@code git@github.com:user/repo.git}. */
    private static final Pattern SCP =
            Pattern.compile("[A-Za-z0-9_.-]+@[A-Za-z0-9.-]+:[A-Za-z0-9_.~/-]+(#\\S*)?");

    /**
     * A parenthesized part of a person string ({@code Name <email> (url)}), where npm reads the
     * url.
     */
    private static final Pattern PERSON_URL = Pattern.compile("\\s*\\(([^()]*)\\)");

    private SafeUrls() {}

    /** Whether {@code url} may be served, and shown, as a link: http or https, with a host. */
    public static boolean isLink(String url) {
        if (url == null || UNSAFE_CHARACTERS.matcher(url).find()) {
            return false;
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https"))
                    && uri.getHost() != null
                    && !uri.getHost().isEmpty();
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /**
     * Whether {@code url} may stay as a repository URL: a link, one of git's URL forms, or one of
     * npm's shorthands.
     */
    static boolean isRepository(String url) {
        if (url == null || url.isEmpty() || UNSAFE_CHARACTERS.matcher(url).find()) {
            return false;
        }
        var scheme = SCHEME.matcher(url);
        if (!scheme.find()) {
            return SHORTHAND.matcher(url).matches() || SCP.matcher(url).matches();
        }
        String name = scheme.group(1).toLowerCase(Locale.ROOT);
        String rest = url.substring(scheme.end());
        if (HOSTED_SCHEMES.contains(name)) {
            return HOSTED.matcher(rest).matches();
        }
        if (name.equals("gist")) {
            return GIST.matcher(rest).matches();
        }
        return REPOSITORY_SCHEMES.contains(name);
    }

    /**
     * The web page of a repository URL, for a link: {@code git+https://host/path.git} is {@code
     * https://host/path}; null when there is none.
     */
    public static String repositoryLink(String url) {
        if (url == null) {
            return null;
        }
        String web = url.regionMatches(true, 0, "git+", 0, 4) ? url.substring(4) : url;
        if (!isLink(web)) {
            return null;
        }
        return web.endsWith(".git") ? web.substring(0, web.length() - 4) : web;
    }

    /**
     * Drops from a version's manifest, in place, a {@code homepage} or {@code bugs} URL that is not
     * a link, a {@code repository} URL that is not a repository's, the {@code funding} entries that
     * are not links (the field when none is left), and the url of an {@code author}, {@code
     * contributors} or {@code maintainers} entry that is not a link (the person stays).
     */
    static void clean(ObjectNode manifest) {
        JsonNode homepage = manifest.get("homepage");
        if (homepage != null && !(homepage.isTextual() && isLink(homepage.asText()))) {
            manifest.remove("homepage");
        }
        keepUrl(manifest, "bugs", false);
        keepUrl(manifest, "repository", true);
        cleanFunding(manifest);
        JsonNode author = manifest.get("author");
        if (author != null) {
            manifest.set("author", person(author));
        }
        for (String field : new String[] {"contributors", "maintainers"}) {
            if (manifest.get(field) instanceof ArrayNode people) {
                for (int i = 0; i < people.size(); i++) {
                    people.set(i, person(people.get(i)));
                }
            }
        }
    }

    /**
     * {@code funding} as npm takes it (a URL, an object with a {@code url}, or an array of those),
     * without the entries whose URL is not a link; gone when no entry is left.
     */
    private static void cleanFunding(ObjectNode manifest) {
        JsonNode funding = manifest.get("funding");
        if (funding == null) {
            return;
        }
        if (funding instanceof ArrayNode entries) {
            ArrayNode kept = entries.arrayNode();
            entries.forEach(
                    e -> {
                        if (fundingLink(e)) {
                            kept.add(e);
                        }
                    });
            if (kept.isEmpty()) {
                manifest.remove("funding");
            } else {
                manifest.set("funding", kept);
            }
        } else if (!fundingLink(funding)) {
            manifest.remove("funding");
        }
    }

    private static boolean fundingLink(JsonNode entry) {
        JsonNode url = entry.isObject() ? entry.get("url") : entry;
        return url != null && url.isTextual() && isLink(url.asText());
    }

    /**
     * A person ({@code author}, a contributor or a maintainer) without a url that is not a link: an
     * object loses its {@code url} field; a string ({@code Name <email> (url)}) loses each
     * parenthesized part that is not a link, since npm takes the url from there.
     */
    private static JsonNode person(JsonNode person) {
        if (person instanceof ObjectNode o) {
            JsonNode url = o.get("url");
            if (url != null && !(url.isTextual() && isLink(url.asText()))) {
                o.remove("url");
            }
            return o;
        }
        if (!person.isTextual()) {
            return person;
        }
        String text = person.asText();
        while (true) {
            var parts = PERSON_URL.matcher(text);
            StringBuilder kept = new StringBuilder();
            boolean dropped = false;
            while (parts.find()) {
                boolean link = isLink(parts.group(1).trim());
                dropped |= !link;
                parts.appendReplacement(
                        kept, link ? java.util.regex.Matcher.quoteReplacement(parts.group()) : "");
            }
            parts.appendTail(kept);
            if (!dropped) {
                return text.equals(person.asText()) ? person : TextNode.valueOf(text.strip());
            }
            text = kept.toString(); // a url that held parentheses, now opened: look again
        }
    }

    /**
     * A field that is a URL string or an object with a {@code url}: the URL goes when it is not
     * allowed, the field when nothing is left.
     */
    private static void keepUrl(ObjectNode manifest, String field, boolean repository) {
        JsonNode value = manifest.get(field);
        if (value == null) {
            return;
        }
        if (value instanceof ObjectNode o) {
            JsonNode url = o.get("url");
            if (url != null
                    && !(url.isTextual()
                            && (repository ? isRepository(url.asText()) : isLink(url.asText())))) {
                o.remove("url");
            }
            if (!o.has("url") && (repository || !o.has("email"))) {
                manifest.remove(field);
            }
        } else if (!(value.isTextual()
                && (repository ? isRepository(value.asText()) : isLink(value.asText())))) {
            manifest.remove(field);
        }
    }

    /**
     * Keeps, of a search result's {@code links}, the web links: a repository's as its web page,
     * anything else only if it is a link.
     */
    static void cleanLinks(ObjectNode links) {
        var names = new java.util.ArrayList<String>();
        links.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            JsonNode v = links.get(name);
            String link =
                    !v.isTextual()
                            ? null
                            : name.equals("repository")
                                    ? repositoryLink(v.asText())
                                    : isLink(v.asText()) ? v.asText() : null;
            if (link == null) {
                links.remove(name);
            } else {
                links.put(name, link);
            }
        }
    }
}
