package dev.warden.awareness;

import java.util.List;
import java.util.Map;

/**
 * The ids of posture steps. They are public and stable: clients, {@code warden doctor} and the
 * training exercises key on them, so an id is never renamed or reused for another meaning. The
 * order of {@link #ALL} is the order steps of the same importance are listed in.
 */
public final class StepIds {

    private StepIds() {}

    /** The account has no second factor at all. */
    public static final String ENABLE_2FA = "enable-2fa";

    /**
     * The account has no passkey (important for maintainers of high-impact or governed packages).
     */
    public static final String ADD_PASSKEY = "add-passkey";

    /** Writes (publish, owner changes) do not ask the second factor. */
    public static final String REQUIRE_2FA_FOR_WRITES = "require-2fa-for-writes";

    /** Alarming security events in the last 14 days (a leaked token, guessing, a recovery code). */
    public static final String REVIEW_SECURITY_EVENTS = "review-security-events";

    /** A write token without expiry (important when it writes without a second factor). */
    public static final String REPLACE_UNEXPIRING_TOKEN = "replace-unexpiring-token";

    /** A token that bypasses 2FA usable from any network or for every package. */
    public static final String RESTRICT_BYPASS_TOKEN = "restrict-bypass-token";

    /** A write token not used for 30 days. */
    public static final String REVOKE_UNUSED_TOKEN = "revoke-unused-token";

    /** A write token older than a year. */
    public static final String ROTATE_OLD_TOKEN = "rotate-old-token";

    /** A write token made by {@code npm token create} that may act on every package. */
    public static final String LIMIT_TOKEN_PACKAGES = "limit-token-packages";

    /** A package has held or quarantined releases waiting for its maintainers. */
    public static final String REVIEW_HELD_RELEASES = "review-held-releases";

    /** A high-impact package has not adopted a governance policy of its own. */
    public static final String ADOPT_GOVERNANCE = "adopt-governance";

    /** Some maintainers of a package have no passkey (phishing-resistant 2FA). */
    public static final String MAINTAINERS_ADD_PASSKEYS = "maintainers-add-passkeys";

    /** A package has no trusted publisher: releases are published with long-lived tokens. */
    public static final String CONFIGURE_TRUSTED_PUBLISHING = "configure-trusted-publishing";

    /** Recent releases of a package have no provenance. */
    public static final String PUBLISH_WITH_PROVENANCE = "publish-with-provenance";

    /** A package names no successor to take over if its maintainers disappear. */
    public static final String NAME_SUCCESSORS = "name-successors";

    /** Each step's title, as a step and a checklist show it. */
    private static final Map<String, String> TITLES =
            Map.ofEntries(
                    Map.entry(ENABLE_2FA, "Turn on two-factor authentication"),
                    Map.entry(ADD_PASSKEY, "Add a passkey"),
                    Map.entry(REQUIRE_2FA_FOR_WRITES, "Ask the second factor for publishing too"),
                    Map.entry(REVIEW_SECURITY_EVENTS, "Review your recent security events"),
                    Map.entry(REPLACE_UNEXPIRING_TOKEN, "Replace a token that never expires"),
                    Map.entry(
                            RESTRICT_BYPASS_TOKEN,
                            "Limit a token that skips two-factor authentication"),
                    Map.entry(REVOKE_UNUSED_TOKEN, "Revoke a write token you do not use"),
                    Map.entry(ROTATE_OLD_TOKEN, "Rotate an old write token"),
                    Map.entry(LIMIT_TOKEN_PACKAGES, "Limit a token to the packages it publishes"),
                    Map.entry(REVIEW_HELD_RELEASES, "Review held releases"),
                    Map.entry(ADOPT_GOVERNANCE, "Adopt a governance policy"),
                    Map.entry(MAINTAINERS_ADD_PASSKEYS, "Have every maintainer add a passkey"),
                    Map.entry(
                            CONFIGURE_TRUSTED_PUBLISHING,
                            "Publish from CI with trusted publishing"),
                    Map.entry(PUBLISH_WITH_PROVENANCE, "Publish with provenance"),
                    Map.entry(NAME_SUCCESSORS, "Name a successor"));

    /** The title of step {@code id}; every id of {@link #ALL} has one. */
    public static String title(String id) {
        String t = TITLES.get(id);
        if (t == null) {
            throw new IllegalArgumentException("no posture step " + id);
        }
        return t;
    }

    public static final List<String> ALL =
            List.of(
                    ENABLE_2FA,
                    ADD_PASSKEY,
                    REQUIRE_2FA_FOR_WRITES,
                    REVIEW_SECURITY_EVENTS,
                    REPLACE_UNEXPIRING_TOKEN,
                    RESTRICT_BYPASS_TOKEN,
                    REVOKE_UNUSED_TOKEN,
                    ROTATE_OLD_TOKEN,
                    LIMIT_TOKEN_PACKAGES,
                    REVIEW_HELD_RELEASES,
                    ADOPT_GOVERNANCE,
                    MAINTAINERS_ADD_PASSKEYS,
                    CONFIGURE_TRUSTED_PUBLISHING,
                    PUBLISH_WITH_PROVENANCE,
                    NAME_SUCCESSORS);
}
