package dev.warden.awareness;

/**
 * Email addresses shown to whoever asks about a message: enough for the recipient to recognise
 * their own, too little to learn anyone's ({@code alice@example.com} is {@code a***@e***.com}).
 */
public final class Masking {

    private Masking() {}

    public static String email(String address) {
        if (address == null) {
            return "***";
        }
        int at = address.lastIndexOf('@');
        if (at <= 0 || at == address.length() - 1) {
            return "***";
        }
        String local = address.substring(0, at);
        String domain = address.substring(at + 1);
        int dot = domain.lastIndexOf('.');
        String tld = dot > 0 && dot < domain.length() - 1 ? domain.substring(dot) : "";
        return first(local) + "***@" + first(domain) + "***" + tld;
    }

    private static String first(String s) {
        return new String(Character.toChars(s.codePointAt(0)));
    }
}
