package dev.warden.awareness;

import java.time.Instant;
import java.util.List;

/**
 * What the posture of an account is computed from, read from its state.
 *
 * @param totpMode the active one-time-password mode ({@code auth-only} or {@code auth-and-writes}),
 *     or null when TOTP is off
 * @param passkeys how many passkeys or security keys are registered
 * @param tokens the account's tokens that have not expired
 * @param events the security events of the last 14 days, newest first
 * @param governsHighImpact whether the account maintains a high-impact or governed package
 */
public record AccountFacts(
        String user,
        String totpMode,
        int passkeys,
        List<Token> tokens,
        List<Event> events,
        boolean governsHighImpact) {

    public AccountFacts {
        tokens = List.copyOf(tokens);
        events = List.copyOf(events);
    }

    /** The strongest second factor. */
    public SecondFactorKind secondFactor() {
        return passkeys > 0
                ? SecondFactorKind.PASSKEY
                : totpMode != null ? SecondFactorKind.TOTP : SecondFactorKind.NONE;
    }

    /**
     * A token as the posture sees it (never its secret).
     *
     * @param key the public identifier {@code npm token list} shows
     * @param name its name, or null (a sign-in's token)
     * @param fromSignIn made by {@code npm login} or the web, not by {@code npm token create}
     * @param packageLimited limited to some packages or scopes
     * @param expires null when it never expires
     * @param lastUsed null when never used
     * @param networkLimited limited to some CIDR ranges
     */
    public record Token(
            String key,
            String name,
            boolean readOnly,
            boolean fromSignIn,
            boolean packageLimited,
            Instant created,
            Instant expires,
            Instant lastUsed,
            boolean networkLimited,
            boolean bypass2fa) {

        /** How a reason names it: its name and key, as {@code npm token list} shows them. */
        String label() {
            return (name == null ? "the sign-in token " : "token \"" + name + "\" ") + key;
        }
    }

    /** A security event: its kind and time. */
    public record Event(String kind, Instant at) {}
}
