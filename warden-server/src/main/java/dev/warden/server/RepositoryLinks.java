package dev.warden.server;

import com.fasterxml.jackson.databind.JsonNode;

import dev.warden.registry.SafeUrls;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A package.json {@code repository} as web addresses: the repository's page, and where a README's
 * relative links point (GitHub's and GitLab's {@code blob/HEAD/}). Only GitHub and GitLab forms are
 * understood for the latter; anything else gives no relative links rather than a guess.
 */
final class RepositoryLinks {

    /** {@code git+https://github.com/o/r.git}, {@code git://github.com/o/r}, {@code ssh://...}. */
    private static final Pattern HOSTED =
            Pattern.compile(
                    "^(?:git\\+)?(?:https?|git|ssh)://(?:[^@/]+@)?(github\\.com|gitlab\\.com)/"
                            + "([A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)+)/?$");

    /** {@code github:o/r}, {@code gitlab:o/r}, or npm's bare {@code o/r} for GitHub. */
    private static final Pattern SHORTHAND =
            Pattern.compile("^(?:(github|gitlab):)?([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)$");

    private RepositoryLinks() {}

    /** The repository's web page (http or https), or null. */
    static String web(JsonNode repository) {
        String hosted = hosted(repository);
        if (hosted != null) {
            return hosted;
        }
        String url = url(repository);
        if (url == null) {
            return null;
        }
        String plain = url.startsWith("git+") ? url.substring(4) : url;
        return SafeUrls.isLink(plain) ? plain : null;
    }

    /**
     * Where a README's relative links point: the repository's files at HEAD (in its {@code
     * directory} for a monorepo), ending with "/"; null unless it is on GitHub or GitLab.
     */
    static String browse(JsonNode repository) {
        String hosted = hosted(repository);
        if (hosted == null) {
            return null;
        }
        String blob = hosted.startsWith("https://gitlab.com/") ? "/-/blob/HEAD/" : "/blob/HEAD/";
        String directory = repository.path("directory").asText("");
        if (!directory.matches("[A-Za-z0-9_.@/-]*") || directory.contains("..")) {
            directory = "";
        }
        directory = directory.replaceAll("^/+|/+$", "");
        return hosted + blob + (directory.isEmpty() ? "" : directory + "/");
    }

    /** {@code https://github.com/o/r} or {@code https://gitlab.com/group/r}, or null. */
    private static String hosted(JsonNode repository) {
        String url = url(repository);
        if (url == null) {
            return null;
        }
        url = url.replaceFirst("(?i)\\.git/?$", "");
        Matcher m = HOSTED.matcher(url);
        if (m.matches()) {
            return "https://" + m.group(1).toLowerCase(Locale.ROOT) + "/" + m.group(2);
        }
        m = SHORTHAND.matcher(url);
        if (m.matches()) {
            return ("gitlab".equals(m.group(1)) ? "https://gitlab.com/" : "https://github.com/")
                    + m.group(2);
        }
        return null;
    }

    private static String url(JsonNode repository) {
        String url = repository.isTextual() ? repository.asText() : repository.path("url").asText();
        return url == null || url.isBlank() ? null : url.trim();
    }
}
