package dev.warden.server;

import java.util.List;

/**
 * What the account pages show ({@code account*.jte}), as plain values the handlers gather. Secrets
 * appear in exactly two views, each rendered once in answer to the form that made them: a new
 * token's ({@link TokenCreated}) and a TOTP setup's with its recovery codes.
 */
final class AccountViews {

    private AccountViews() {}

    /**
     * The account's overview.
     *
     * @param twoFactor "off", "pending", "auth-only" or "auth-and-writes"
     * @param events the latest few, newest first
     */
    record Overview(
            String user,
            String csrf,
            String email,
            boolean emailVerified,
            String twoFactor,
            List<Passkey> passkeys,
            boolean passkeysAvailable,
            TokenSummary tokens,
            List<Event> events,
            Views.PostureView posture) {}

    record Passkey(String nickname, String created, String credentialId) {}

    /**
     * @param address where it came from, or null
     * @param detail the event's details as "name: value" pairs
     */
    record Event(String at, String kind, String address, List<String> detail) {}

    /**
     * @param total tokens made by npm login, npm token create or this page (browser sessions apart)
     * @param publish how many of those may publish
     * @param sessions browser sessions, this one included
     */
    record TokenSummary(int total, int publish, int sessions) {}

    /**
     * One stored token, never its secret.
     *
     * @param kind "npm login", "browser session" or "with limits"
     * @param limits what it may act on, in words
     * @param expires null when it does not expire
     * @param lastUsed null when not recorded
     * @param current whether it is this browser's session
     */
    record Token(
            String key,
            String name,
            String kind,
            boolean readOnly,
            String limits,
            List<String> cidrs,
            boolean bypass2fa,
            String created,
            String expires,
            String lastUsed,
            boolean current) {}

    /** What the creation form was sent with, shown again when it is refused. */
    record TokenForm(
            String name,
            boolean publish,
            String packages,
            String scopes,
            String cidrs,
            String days,
            boolean bypass2fa) {

        static final TokenForm EMPTY = new TokenForm("", false, "", "", "", "", false);
    }

    /**
     * @param error why the creation form is shown again, or null
     */
    record Tokens(
            String csrf,
            List<Token> tokens,
            boolean twoFactor,
            TokenForm form,
            String error,
            int readMaxDays,
            int writeMaxDays) {}

    /** A new token: its secret, shown this once. */
    record TokenCreated(String csrf, String secret, Token token) {}

    /**
     * The two-factor page.
     *
     * @param state "off", "pending", "auth-only" or "auth-and-writes"
     * @param error why a form is shown again, or null
     * @param form which form the error belongs to ("enable", "confirm", "mode", "disable"), or null
     */
    record TwoFactor(String csrf, String state, int recoveryCodesLeft, String error, String form) {}

    /**
     * A TOTP setup under way: the secret to type in, the otpauth URI and its QR code.
     *
     * @param error why the code was refused, or null
     */
    record TwoFactorSetup(
            String csrf, String mode, String secret, String uri, Qr qr, String error) {}

    /**
     * A QR code as SVG rectangles, in modules.
     *
     * @param size the width and height, quiet zone included
     */
    record Qr(int size, List<QrRun> runs) {}

    /** A horizontal run of dark modules. */
    record QrRun(int x, int y, int width) {}

    record RecoveryCodes(String csrf, String mode, List<String> codes) {}

    /**
     * @param previous the newer page's number, or 0 on the first
     * @param next the older page's number, or 0 on the last
     */
    record History(String csrf, int page, List<Event> events, int previous, int next) {}
}
