package dev.warden.server;

import dev.warden.server.http.Router;

/**
 * The home page and search: recent and popular packages, search with npm search's results,
 * paginated.
 */
final class BrowsePages {

    private final WebPages web;

    BrowsePages(WebPages web) {
        this.web = web;
    }

    void routes(Router router) {
        // the pages' routes come here
    }
}
