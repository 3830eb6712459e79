package dev.warden.server;

import java.util.Locale;
import java.util.Map;

/**
 * Which paths of a release's files the package page serves: relative paths inside the package,
 * images only, each with the type its extension names (never guessed from the bytes).
 */
final class ReleaseFilePaths {

    private static final Map<String, String> IMAGES =
            Map.of(
                    "png", "image/png",
                    "jpg", "image/jpeg",
                    "jpeg", "image/jpeg",
                    "gif", "image/gif",
                    "webp", "image/webp",
                    "svg", "image/svg+xml");

    private ReleaseFilePaths() {}

    /** Why {@code path} cannot name a file inside a package, or null when it can. */
    static String refusal(String path) {
        if (path.indexOf('\0') >= 0) {
            return "A file path may not contain a NUL character.";
        }
        if (path.indexOf('\\') >= 0) {
            return "A file path may not contain a backslash.";
        }
        if (path.startsWith("/")) {
            return "A file path must be relative to the package, not absolute.";
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals("..") || segment.equals(".")) {
                return "A file path may not contain \"..\" or \".\" segments.";
            }
            if (segment.isEmpty()) {
                return "A file path may not contain empty segments.";
            }
        }
        return null;
    }

    /** The content type of an image path, or null when it is not an image served. */
    static String imageType(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? null : IMAGES.get(path.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
