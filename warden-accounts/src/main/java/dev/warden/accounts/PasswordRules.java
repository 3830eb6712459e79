package dev.warden.accounts;

import dev.warden.common.Problem;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a new password must be: long enough, not absurdly long, not a common password, not the user
 * name.
 */
final class PasswordRules {

    private static final Set<String> COMMON = load();

    private final int minLength;

    PasswordRules(int minLength) {
        this.minLength = minLength;
    }

    void check(String user, String password) {
        if (password == null || password.length() < minLength) {
            throw Problem.badRequest("password must be at least " + minLength + " characters long");
        }
        if (password.length() > 1024) {
            throw Problem.badRequest("password is too long");
        }
        String lower = password.toLowerCase(Locale.ROOT);
        if (COMMON.contains(lower)) {
            throw Problem.badRequest(
                    "that password is one of the most common ones; choose another");
        }
        if (user != null && lower.contains(user.toLowerCase(Locale.ROOT))) {
            throw Problem.badRequest("the password must not contain the user name");
        }
    }

    private static Set<String> load() {
        Set<String> out = new HashSet<>();
        try (InputStream in = PasswordRules.class.getResourceAsStream("common-passwords.txt");
                BufferedReader r =
                        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    out.add(line.trim().toLowerCase(Locale.ROOT));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Set.copyOf(out);
    }
}
