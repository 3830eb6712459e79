package dev.warden.awareness;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Links a mail must never carry: to a page that asks for a password or a one-time code (sign-in,
 * npm's web login and OTP pages, the account page, a package page where maintainers approve with a
 * code). A phishing mail's one move is such a link; if Warden never sends one, any mail that has
 * one is not Warden's.
 */
final class CredentialLinks {

    /** Paths of the pages that ask for credentials, as they appear after the host. */
    static final List<String> PATHS =
            List.of(
                    "/-/web/signin",
                    "/-/web/signup",
                    "/-/web/login/",
                    "/-/web/otp/",
                    "/-/web/account",
                    "/-/web/package/",
                    "/-/v1/login");

    private static final Pattern LINK = Pattern.compile("(?i)\\bhttps?://[^\\s<>\"]+");

    private CredentialLinks() {}

    /** The links in {@code body} to a page that asks for credentials. */
    static List<String> in(String body) {
        return LINK.matcher(body)
                .results()
                .map(r -> r.group())
                .filter(CredentialLinks::asks)
                .toList();
    }

    /** {@code body} with each such link replaced by a sentence that says why it is not there. */
    static String removed(String body) {
        Matcher m = LINK.matcher(body);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(
                    out,
                    Matcher.quoteReplacement(
                            asks(m.group())
                                    ? "[link removed: sign in by typing the registry's address"
                                            + " yourself]"
                                    : m.group()));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static boolean asks(String link) {
        int scheme = link.indexOf("://");
        int slash = link.indexOf('/', scheme + 3);
        if (slash < 0) {
            return false;
        }
        String path = link.substring(slash).toLowerCase(java.util.Locale.ROOT);
        return PATHS.stream().anyMatch(path::startsWith);
    }
}
