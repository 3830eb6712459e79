package dev.warden.accounts;

import dev.warden.common.Problem;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Checks an email address wherever one is taken (sign-up, profile, invites, {@code warden
 * user-add}) and wherever one is mailed to ({@link Mailer}): it goes into mail headers and web
 * pages, so it must be a bare address and nothing else. A conservative rule first (printable ASCII,
 * no spaces, control characters, quotes, angle brackets or the other characters that mean something
 * in a mail header, one {@code @}, a host name for the domain, at most 254 characters), then
 * Jakarta Mail's strict RFC 822 parser, which must read back exactly the address given.
 */
public final class EmailAddress {

    static final int MAX_LENGTH = 254;

    /**
     * RFC 5322's specials but the dot and the @ (which only a quoted local part may hold), and the
     * apostrophe.
     */
    private static final String SPECIALS = "<>\"'(),;:\\[]";

    private static final Pattern LABEL =
            Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

    private EmailAddress() {}

    /** The address, lower-cased; a 400 naming what is wrong with it otherwise. */
    static String check(String email) {
        if (email == null || email.isBlank()) {
            throw Problem.badRequest("an email address is required");
        }
        if (email.length() > MAX_LENGTH) {
            throw invalid("it is longer than " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < email.length(); i++) {
            char c = email.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw invalid("it contains a control character");
            }
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                throw invalid("it contains a space");
            }
            if (SPECIALS.indexOf(c) >= 0) {
                throw invalid(c + " is not allowed in an address");
            }
            if (c > 0x7e) {
                throw invalid(
                        "it contains a character other than ASCII letters, digits and punctuation");
            }
        }
        int at = email.indexOf('@');
        if (at < 0 || at != email.lastIndexOf('@')) {
            throw invalid("it must contain exactly one @");
        }
        if (at == 0 || at > 64) {
            throw invalid("the part before the @ must be 1 to 64 characters");
        }
        String domain = email.substring(at + 1);
        if (domain.length() > 253
                || !domain.chars()
                        .allMatch(c -> c == '.' || c == '-' || Character.isLetterOrDigit(c))
                || !java.util.Arrays.stream(domain.split("\\.", -1))
                        .allMatch(l -> LABEL.matcher(l).matches())) {
            throw invalid("the part after the @ must be a host name such as example.com");
        }
        try {
            InternetAddress parsed = new InternetAddress(email, true);
            parsed.validate();
            if (parsed.getPersonal() != null || !email.equals(parsed.getAddress())) {
                throw invalid("it must be the address alone, without a name or comment");
            }
        } catch (AddressException e) {
            throw invalid(e.getMessage().replaceFirst("^Local address", "the part before the @"));
        }
        return email.toLowerCase(Locale.ROOT);
    }

    /**
     * Why {@code email} is not an address to mail, in words that never repeat it; empty when it is
     * one.
     */
    public static java.util.Optional<String> problem(String email) {
        try {
            check(email);
            return java.util.Optional.empty();
        } catch (Problem p) {
            return java.util.Optional.of(p.getMessage());
        }
    }

    private static Problem invalid(String why) {
        return Problem.badRequest("invalid email address: " + why);
    }
}
