package dev.warden.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.proxy.NamePatterns;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * What {@code [[uplinks]]} and {@code [proxy]} may say beyond their types: uplink names, URLs and
 * limits, name patterns and scopes. Each mistake is one line naming the setting and its source.
 */
final class ProxyRules {

    private static final Pattern UPLINK_NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
    private static final Pattern SCOPE = Pattern.compile("@[a-z0-9~-][a-z0-9._~-]*");

    private ProxyRules() {}

    static void check(ObjectNode tree, Function<String, String> sourceOf) {
        Map<String, String> names = new HashMap<>();
        JsonNode uplinks = tree.path("uplinks");
        for (int i = 0; i < uplinks.size(); i++) {
            JsonNode u = uplinks.get(i);
            String at = "uplinks[" + i + "]";
            String name = u.path("name").asText();
            if (!UPLINK_NAME.matcher(name).matches()) {
                throw fail(
                        at + ".name",
                        sourceOf,
                        "must be lower-case letters, digits and \"-\", not \"" + name + "\"");
            }
            String earlier = names.putIfAbsent(name, at);
            if (earlier != null) {
                throw fail(
                        at + ".name",
                        sourceOf,
                        "\"" + name + "\" is the name of " + earlier + " too");
            }
            String problem = urlProblem(u.path("url").asText());
            if (problem != null) {
                throw fail(at + ".url", sourceOf, problem);
            }
            if (u.path("packages").isEmpty()) {
                throw fail(at + ".packages", sourceOf, "must name at least one pattern");
            }
            patterns(u.path("packages"), at + ".packages", sourceOf);
            range(u, "timeout_seconds", at, 1, 3600, sourceOf);
            range(u, "max_age_seconds", at, 0, Integer.MAX_VALUE, sourceOf);
        }
        JsonNode proxy = tree.path("proxy");
        patterns(
                proxy.path("minimum_release_age_exclude"),
                "proxy.minimum_release_age_exclude",
                sourceOf);
        patterns(proxy.path("install_scripts_allow"), "proxy.install_scripts_allow", sourceOf);
        for (JsonNode scope : proxy.path("internal_scopes")) {
            if (!scope.isTextual() || !SCOPE.matcher(scope.asText()).matches()) {
                throw fail(
                        "proxy.internal_scopes",
                        sourceOf,
                        scope + " is not a scope (like \"@acme\")");
            }
        }
        String feed = proxy.path("osv_feed").asText("");
        if (!feed.isEmpty() && urlProblem(feed) != null) {
            throw fail("proxy.osv_feed", sourceOf, urlProblem(feed));
        }
    }

    /** Why {@code url} cannot be an uplink's base URL, or null. */
    static String urlProblem(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "is not a URL: \"" + url + "\"";
        }
        if (uri.getScheme() == null
                || !(uri.getScheme().equalsIgnoreCase("http")
                        || uri.getScheme().equalsIgnoreCase("https"))
                || uri.getHost() == null) {
            return "must be an http or https URL with a host, not \"" + url + "\"";
        }
        if (uri.getRawUserInfo() != null) {
            // it would be printed in logs and events: a token belongs in its own setting
            return "must not carry credentials (use the uplink's token)";
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return "must have no query or fragment, not \"" + url + "\"";
        }
        return null;
    }

    /** Each a name pattern as the proxy reads them ({@link NamePatterns}, its own check). */
    private static void patterns(JsonNode list, String setting, Function<String, String> sourceOf) {
        for (JsonNode p : list) {
            if (!p.isTextual()) {
                throw fail(setting, sourceOf, p + " is not a name pattern (a string)");
            }
            try {
                NamePatterns.check(p.asText());
            } catch (IllegalArgumentException e) {
                throw fail(setting, sourceOf, p + ": " + e.getMessage());
            }
        }
    }

    private static void range(
            JsonNode u,
            String key,
            String at,
            long min,
            long max,
            Function<String, String> sourceOf) {
        JsonNode v = u.path(key);
        if (!v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
            throw fail(
                    at + "." + key,
                    sourceOf,
                    "must be between " + min + " and " + max + ", not " + v);
        }
    }

    private static ConfigException fail(
            String setting, Function<String, String> sourceOf, String problem) {
        return new ConfigException(setting + " from " + sourceOf.apply(setting) + " " + problem);
    }
}
