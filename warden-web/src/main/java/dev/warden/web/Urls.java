package dev.warden.web;

import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a README's URLs may be. Browsers ignore ASCII whitespace and control characters inside a
 * URL's scheme ({@code java\tscript:} runs), so they are removed before the scheme is read; only
 * http, https and mailto survive, relative URLs are resolved against a base and must stay under it,
 * and in-page anchors point at the prefixed ids the sanitiser gives headings.
 */
final class Urls {

    static final String ID_PREFIX = "user-content-";

    private static final Pattern SCHEME = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.\\-]*):");
    private static final Set<String> LINK_SCHEMES = Set.of("http", "https", "mailto");
    private static final Set<String> IMAGE_SCHEMES = Set.of("http", "https");

    private Urls() {}

    /** {@code raw} as an absolute link, or null to drop it. */
    static String link(String raw, String repository) {
        return resolve(raw, repository, LINK_SCHEMES, true);
    }

    /** {@code raw} as an image source, or null to drop it. */
    static String image(String raw, String files) {
        return resolve(raw, files, IMAGE_SCHEMES, false);
    }

    /** Whether a value already resolved by {@link #link} or {@link #image} is one they return. */
    static boolean safe(String value, boolean image) {
        if (value.isEmpty() || !value.equals(strip(value)) || value.indexOf('\\') >= 0) {
            return false;
        }
        if (value.startsWith("#")) {
            return !image && value.startsWith("#" + ID_PREFIX);
        }
        if (value.startsWith("/")) {
            return !value.startsWith("//");
        }
        var scheme = SCHEME.matcher(value);
        return scheme.find()
                && (image ? IMAGE_SCHEMES : LINK_SCHEMES)
                        .contains(scheme.group(1).toLowerCase(Locale.ROOT));
    }

    private static String resolve(String raw, String base, Set<String> schemes, boolean anchors) {
        if (raw == null) {
            return null;
        }
        String value = strip(raw);
        if (value.isEmpty() || value.indexOf('\\') >= 0) {
            return null;
        }
        var scheme = SCHEME.matcher(value);
        if (scheme.find()) {
            return schemes.contains(scheme.group(1).toLowerCase(Locale.ROOT)) ? value : null;
        }
        if (value.startsWith("//")) {
            return "https:" + value;
        }
        if (value.startsWith("#")) {
            if (!anchors || value.length() == 1) {
                return null;
            }
            String fragment = value.substring(1);
            return "#" + (fragment.startsWith(ID_PREFIX) ? fragment : ID_PREFIX + fragment);
        }
        if (base == null) {
            return null;
        }
        // Relative to the base, never above it: "/x" and "../x" both stay inside.
        String relative = value.replaceFirst("^(\\./|/)+", "");
        if (SCHEME.matcher(relative).find()) {
            relative = "./" + relative;
        }
        try {
            String resolved = URI.create(base).resolve(URI.create(relative)).toString();
            return resolved.startsWith(base) && safe(resolved, !anchors) ? resolved : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Removes what browsers skip (C0 controls, tabs and newlines anywhere, DEL, spaces at either
     * end) and encodes inner spaces, so the scheme read here is the one a browser reads.
     */
    static String strip(String raw) {
        var out = new StringBuilder(raw.length());
        String trimmed = raw.strip();
        for (int i = 0; i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            if (c == ' ') {
                out.append("%20");
            } else if (c > 0x20 && c != 0x7f) {
                out.append(c);
            }
        }
        return out.toString();
    }
}
