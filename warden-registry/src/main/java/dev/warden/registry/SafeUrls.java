package dev.warden.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which URLs from a package.json Warden serves. A link (a homepage, a bugs URL, a search result's
 * links, a link on a web page) must be http or https with a host: anything else ({@code javascript:},
 * {@code data:}, {@code file:}...) is dropped, since a browser or a registry UI may follow it. A
 * repository URL may also take the forms git and npm understand ({@code git+https://},
 * {@code git://}, {@code git+ssh://}, {@code ssh://}, {@code git@host:path}, {@code github:user/repo},
 * {@code user/repo}); those stay in the packument, where npm needs them, but are never links. A
 * value with whitespace or control characters is dropped: browsers strip them, so they hide schemes.
 */
public final class SafeUrls {

    private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*):");
    private static final Pattern UNSAFE_CHARACTERS = Pattern.compile("[\\s\\p{Cntrl}]");
    private static final Set<String> REPOSITORY_SCHEMES = Set.of(
            "http", "https", "git", "git+http", "git+https", "git+ssh", "ssh", "github", "gitlab", "bitbucket", "gist");

    private SafeUrls() {}

    /** Whether {@code url} may be served, and shown, as a link: http or https, with a host. */
    public static boolean isLink(String url) {
        if (url == null || UNSAFE_CHARACTERS.matcher(url).find()) {
            return false;
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && !uri.getHost().isEmpty();
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** Whether {@code url} may stay as a repository URL: a link, or one of git's and npm's forms. */
    static boolean isRepository(String url) {
        if (url == null || url.isEmpty() || UNSAFE_CHARACTERS.matcher(url).find()) {
            return false;
        }
        var scheme = SCHEME.matcher(url);
        // no scheme: git@host:path (the part before ':' holds an '@') or npm's user/repo shorthand
        return !scheme.find() || REPOSITORY_SCHEMES.contains(scheme.group(1).toLowerCase(Locale.ROOT));
    }

    /** The web page of a repository URL, for a link: {@code git+https://host/path.git} is {@code https://host/path}; null when there is none. */
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
     * a link and a {@code repository} URL that is not a repository's.
     */
    static void clean(ObjectNode manifest) {
        JsonNode homepage = manifest.get("homepage");
        if (homepage != null && !(homepage.isTextual() && isLink(homepage.asText()))) {
            manifest.remove("homepage");
        }
        keepUrl(manifest, "bugs", false);
        keepUrl(manifest, "repository", true);
    }

    /** A field that is a URL string or an object with a {@code url}: the URL goes when it is not allowed, the field when nothing is left. */
    private static void keepUrl(ObjectNode manifest, String field, boolean repository) {
        JsonNode value = manifest.get(field);
        if (value == null) {
            return;
        }
        if (value instanceof ObjectNode o) {
            JsonNode url = o.get("url");
            if (url != null && !(url.isTextual() && (repository ? isRepository(url.asText()) : isLink(url.asText())))) {
                o.remove("url");
            }
            if (!o.has("url") && (repository || !o.has("email"))) {
                manifest.remove(field);
            }
        } else if (!(value.isTextual() && (repository ? isRepository(value.asText()) : isLink(value.asText())))) {
            manifest.remove(field);
        }
    }

    /** Keeps, of a search result's {@code links}, the web links: a repository's as its web page, anything else only if it is a link. */
    static void cleanLinks(ObjectNode links) {
        var names = new java.util.ArrayList<String>();
        links.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            JsonNode v = links.get(name);
            String link = !v.isTextual() ? null : name.equals("repository") ? repositoryLink(v.asText()) : isLink(v.asText()) ? v.asText() : null;
            if (link == null) {
                links.remove(name);
            } else {
                links.put(name, link);
            }
        }
    }
}
