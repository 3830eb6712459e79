package dev.warden.review.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds what would make an attack reconstruction live: an IPv4 address outside the TEST-NET ranges
 * (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24) or a host name not under {@code .invalid}.
 *
 * <p>Host names are found three ways: the host of anything that looks like a URL, a dotted name
 * ending in a word and followed by a path or a port, and a dotted name whose last label is a common
 * top-level domain. File names (bundle.js, preinstall.sh) pass: their last label is an extension,
 * not a TLD, and they are not followed by a path. The scan errs on the strict side: a false alarm
 * only asks the corpus's author to rename something.
 */
final class InertScan {

    private static final Pattern IPV4 =
            Pattern.compile(
                    "(?<![\\w.])(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(?![\\w.]*\\d)");
    private static final Pattern URL_HOST =
            Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*://(?:[^@/\\s\"'`]*@)?([^/\\s\"'`:?#\\\\)]+)");
    private static final Pattern DOTTED = Pattern.compile("[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+");
    private static final Set<String> TLDS =
            Set.of(
                    "com",
                    "net",
                    "org",
                    "io",
                    "xyz",
                    "at",
                    "ru",
                    "cn",
                    "dev",
                    "app",
                    "co",
                    "me",
                    "info",
                    "site",
                    "top",
                    "tk",
                    "cc",
                    "us",
                    "uk",
                    "de",
                    "gg",
                    "ly",
                    "to",
                    "so",
                    "ai",
                    "help",
                    "icu",
                    "online",
                    "biz",
                    "pw",
                    "su",
                    "link",
                    "click",
                    "live",
                    "gov",
                    "edu",
                    "cloud",
                    "tech",
                    "codes",
                    "consulting",
                    "fun",
                    "ws",
                    "in",
                    "jp",
                    "fr");
    private static final Set<String> EXTENSIONS =
            Set.of(
                    "js",
                    "cjs",
                    "mjs",
                    "json",
                    "ts",
                    "md",
                    "sh",
                    "bat",
                    "ps1",
                    "yml",
                    "yaml",
                    "txt",
                    "dll",
                    "exe",
                    "gz",
                    "tgz",
                    "b64",
                    "key",
                    "keyfile",
                    "markdown",
                    "log",
                    "temp",
                    "bak",
                    "html",
                    "css",
                    "map",
                    "node",
                    "gyp");

    private InertScan() {}

    static List<String> violations(String text) {
        List<String> found = new ArrayList<>();
        Matcher ip = IPV4.matcher(text);
        while (ip.find()) {
            if (!testNet(ip)) {
                found.add("address " + ip.group());
            }
        }
        Matcher url = URL_HOST.matcher(text);
        while (url.find()) {
            String host = url.group(1);
            if (!allowed(host)) {
                found.add("host " + host + " in " + url.group());
            }
        }
        Matcher dotted = DOTTED.matcher(text);
        while (dotted.find()) {
            String name = dotted.group();
            if (allowed(name) || name.chars().allMatch(c -> Character.isDigit(c) || c == '.')) {
                continue;
            }
            String last = name.substring(name.lastIndexOf('.') + 1).toLowerCase();
            int end = dotted.end();
            boolean path = end < text.length() && text.charAt(end) == '/';
            boolean port =
                    end + 1 < text.length()
                            && text.charAt(end) == ':'
                            && Character.isDigit(text.charAt(end + 1));
            boolean word = last.length() >= 2 && last.chars().allMatch(Character::isLetter);
            String first = name.substring(0, name.indexOf('.'));
            // `p.to` or `e.me` is a property access in minified code, not a host
            boolean tld =
                    TLDS.contains(last)
                            && (first.length() > 1 || name.indexOf('.') != name.lastIndexOf('.'));
            if (tld || (word && (path || (port && !EXTENSIONS.contains(last))))) {
                found.add("host " + name);
            }
        }
        return found;
    }

    private static boolean allowed(String host) {
        String h = host.toLowerCase();
        if (h.endsWith(".invalid") || h.equals("invalid")) {
            return true;
        }
        Matcher ip = IPV4.matcher(h);
        return ip.matches() && testNet(ip);
    }

    private static boolean testNet(Matcher ip) {
        int a = Integer.parseInt(ip.group(1));
        int b = Integer.parseInt(ip.group(2));
        int c = Integer.parseInt(ip.group(3));
        return (a == 192 && b == 0 && c == 2)
                || (a == 198 && b == 51 && c == 100)
                || (a == 203 && b == 0 && c == 113);
    }
}
