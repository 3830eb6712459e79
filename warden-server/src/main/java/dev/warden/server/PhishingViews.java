package dev.warden.server;

import java.util.List;

/** What the phishing-defence pages show, as their templates take it. */
final class PhishingViews {

    private PhishingViews() {}

    /**
     * @param hosts the registry's official host names
     * @param signin where to sign in, typed by hand: the official sign-in page
     */
    record Official(List<String> hosts, String signin) {}

    /**
     * @param code what was typed, as typed (escaped by the template), or null before any
     * @param verdict "sent", "unknown", "malformed" or null before any
     */
    record VerifyMessage(
            String code,
            String verdict,
            String at,
            String recipient,
            String subject,
            String officialPage) {}
}
