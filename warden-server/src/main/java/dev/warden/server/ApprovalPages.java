package dev.warden.server;

import dev.warden.server.http.Router;

/**
 * A maintainer's approvals queue: the stages and change requests of every package they maintain,
 * each with its review material and the diff against the release it follows, approved or rejected
 * with a second factor.
 */
final class ApprovalPages {

    private final WebPages web;

    ApprovalPages(WebPages web) {
        this.web = web;
    }

    void routes(Router router) {
        // the pages' routes come here
    }
}
