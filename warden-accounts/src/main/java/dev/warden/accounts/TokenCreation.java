package dev.warden.accounts;

import dev.warden.common.Problem;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.Tokens.TokenRecord;

/** Who may create a token, and how broad a token a token may create. */
final class TokenCreation {

    private TokenCreation() {}

    /**
     * Refuses a credential that may not make tokens: only a full sign-in may (the password, or the
     * session of npm login or the web), or a token made by {@code npm token create} that is neither
     * read-only nor limited to some packages, and then only tokens no broader than itself. The
     * caller checks the password, and the second factor when the account has one.
     */
    static void check(MetadataStore store, Principal creator, Accounts.TokenRequest request) {
        if (creator.publisher() != null) {
            throw Problem.forbidden("a trusted publisher's token cannot create tokens");
        }
        if (creator.readOnly()) {
            throw Problem.forbidden(
                    "a read-only token cannot create tokens: sign in with npm login to create one");
        }
        if (!creator.limits().equals(Principal.TokenLimits.NONE)) {
            throw Problem.forbidden(
                    "a token limited to some packages or scopes cannot create tokens: sign in with"
                            + " npm login to create one");
        }
        if (creator.tokenHash() == null) {
            return; // the password itself (HTTP basic authentication)
        }
        TokenRecord own =
                store.read(tx -> tx.tokens().findByHash(creator.tokenHash()))
                        .orElseThrow(
                                () ->
                                        Problem.unauthorized(
                                                "your token is invalid or has expired: run npm"
                                                        + " login"));
        if (TokenLimitsJson.fromSignIn(own.limits())) {
            return;
        }
        // a token made by npm token create: what it makes must fit inside it
        if (own.expires() != null
                && (request.expires() == null || request.expires().isAfter(own.expires()))) {
            throw Problem.forbidden(
                    "this token expires at "
                            + own.expires()
                            + ": a token it creates may not outlive it");
        }
        if (!own.cidrs().isEmpty()
                && (request.cidrs().isEmpty()
                        || !request.cidrs().stream()
                                .allMatch(
                                        c ->
                                                own.cidrs().stream()
                                                        .anyMatch(
                                                                o ->
                                                                        Cidr.parse(o)
                                                                                .contains(
                                                                                        Cidr.parse(
                                                                                                c)))))) {
            throw Problem.forbidden(
                    "this token may be used only from "
                            + String.join(", ", own.cidrs())
                            + ": a token it creates must be limited to those networks too");
        }
        if (request.bypass2fa() && !own.bypass2fa()) {
            throw Problem.forbidden(
                    "this token does not bypass two-factor authentication: a token it creates may"
                            + " not either");
        }
    }
}
