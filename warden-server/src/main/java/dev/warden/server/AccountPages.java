package dev.warden.server;

import dev.warden.server.http.Router;

/**
 * A signed-in person's account: two-factor authentication, passkeys, tokens (created with limits,
 * revoked), security history and posture.
 */
final class AccountPages {

    private final WebPages web;

    AccountPages(WebPages web) {
        this.web = web;
    }

    void routes(Router router) {
        // the pages' routes come here
    }
}
