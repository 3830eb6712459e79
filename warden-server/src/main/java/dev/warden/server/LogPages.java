package dev.warden.server;

import dev.warden.server.http.Router;

/**
 * The transparency log explorer: the latest checkpoint and its witnesses, an entry by index or by
 * package version with its inclusion proof (verified in the browser), and consistency between two
 * checkpoints.
 */
final class LogPages {

    private final WebPages web;

    LogPages(WebPages web) {
        this.web = web;
    }

    void routes(Router router) {
        // the pages' routes come here
    }
}
