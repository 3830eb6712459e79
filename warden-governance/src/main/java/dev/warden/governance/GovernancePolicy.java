package dev.warden.governance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.common.Problem;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A package's governance policy: how many maintainers other than the one who staged a release must
 * approve it (M of the N maintainers), how long an approved release waits before it goes live, and
 * whether every approval needs a second factor.
 *
 * @param framework the ready-made framework it was adopted from, or "custom"
 * @param approvals approvals needed from maintainers other than the one who staged the release
 * @param coolOffHours hours between the quorum and the release going live
 * @param twoFactor the second factor asked of whoever changes the package: "none" (the account's
 *     own rule), "account" (the account must have 2FA on) or "every-change" (a one-time password on
 *     every change, no token bypassing it)
 * @param requirePasskeys whether its maintainers must have a passkey to publish or approve (after
 *     the registry's grace period)
 * @param review the package's own release-review thresholds ({@link ReviewThresholds#NONE}: the
 *     registry's); they can only make the registry's review stricter
 */
public record GovernancePolicy(
        String framework,
        int approvals,
        int coolOffHours,
        String twoFactor,
        boolean requirePasskeys,
        ReviewThresholds review) {

    public GovernancePolicy {
        if (review == null) {
            review = ReviewThresholds.NONE;
        }
    }

    /** A policy that asks no passkeys and has no review thresholds of its own. */
    public GovernancePolicy(String framework, int approvals, int coolOffHours, String twoFactor) {
        this(framework, approvals, coolOffHours, twoFactor, false, ReviewThresholds.NONE);
    }

    /** A policy with no review thresholds of its own. */
    public GovernancePolicy(
            String framework,
            int approvals,
            int coolOffHours,
            String twoFactor,
            boolean requirePasskeys) {
        this(framework, approvals, coolOffHours, twoFactor, requirePasskeys, ReviewThresholds.NONE);
    }

    /** A policy that asks no passkeys. */
    public GovernancePolicy(
            String framework,
            int approvals,
            int coolOffHours,
            String twoFactor,
            ReviewThresholds review) {
        this(framework, approvals, coolOffHours, twoFactor, false, review);
    }

    public static final List<String> TWO_FACTOR = List.of("none", "account", "every-change");

    /** No governance: maintainers publish directly. */
    public static final GovernancePolicy SOLO = new GovernancePolicy("solo", 0, 0, "none");

    /**
     * Ready-made frameworks, adopted with one command. They carry no review thresholds: a package
     * that asks approvals is already reviewed under the registry's strict (high-impact) policy, and
     * fixed thresholds here would not follow the registry's configuration.
     */
    public static final Map<String, GovernancePolicy> FRAMEWORKS =
            Map.of(
                    "solo", SOLO,
                    "two-person", new GovernancePolicy("two-person", 1, 0, "account"),
                    "foundation-steward",
                            new GovernancePolicy("foundation-steward", 2, 24, "account"));

    static final int MAX_COOL_OFF_HOURS = 24 * 30;

    /**
     * Reads {@code {"framework": "two-person"}} or {@code {"approvals": 2, "coolOffHours": 24}},
     * either with {@code "review": {"holdAt": "medium", ...}}; 400 for anything else.
     */
    public static GovernancePolicy parse(JsonNode body) {
        if (!(body instanceof ObjectNode o) || o.isEmpty()) {
            throw Problem.badRequest(
                    "a policy is {\"framework\": \"solo|two-person|foundation-steward\"} or"
                            + " {\"approvals\": M, \"coolOffHours\": H, \"twoFactor\":"
                            + " \"none|account|every-change\", \"requirePasskeys\": true|false},"
                            + " either with \"review\": {\"flagAt\", \"holdAt\", \"quarantineAt\":"
                            + " severity}");
        }
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!List.of(
                            "framework",
                            "approvals",
                            "coolOffHours",
                            "twoFactor",
                            "requirePasskeys",
                            "review")
                    .contains(f)) {
                throw Problem.badRequest("unknown policy field: " + Problem.clip(f));
            }
        }
        ReviewThresholds review =
                o.has("review") ? ReviewThresholds.parse(o.get("review")) : ReviewThresholds.NONE;
        if (o.has("framework")) {
            if (o.size() != (o.has("review") ? 2 : 1)
                    || !o.get("framework").isTextual()
                    || !FRAMEWORKS.containsKey(o.get("framework").asText())) {
                throw Problem.badRequest(
                        "framework must be one of solo, two-person, foundation-steward (and nothing"
                                + " else with it but review)");
            }
            return FRAMEWORKS.get(o.get("framework").asText()).withReview(review);
        }
        int approvals = number(o, "approvals", 0, 20);
        int coolOff = number(o, "coolOffHours", 0, MAX_COOL_OFF_HOURS);
        JsonNode tfa = o.get("twoFactor");
        if (tfa != null && (!tfa.isTextual() || !TWO_FACTOR.contains(tfa.asText()))) {
            throw Problem.badRequest("twoFactor must be none, account or every-change");
        }
        JsonNode passkeys = o.get("requirePasskeys");
        if (passkeys != null && !passkeys.isBoolean()) {
            throw Problem.badRequest("requirePasskeys must be true or false");
        }
        return new GovernancePolicy(
                "custom",
                approvals,
                coolOff,
                tfa == null ? "none" : tfa.asText(),
                passkeys != null && passkeys.asBoolean(),
                review);
    }

    /** This policy with {@code review} as its review thresholds. */
    public GovernancePolicy withReview(ReviewThresholds review) {
        return new GovernancePolicy(
                framework, approvals, coolOffHours, twoFactor, requirePasskeys, review);
    }

    private static int number(ObjectNode o, String field, int min, int max) {
        JsonNode n = o.get(field);
        if (n == null) {
            return 0;
        }
        if (!n.isIntegralNumber() || n.asLong() < min || n.asLong() > max) {
            throw Problem.badRequest(field + " must be a whole number from " + min + " to " + max);
        }
        return n.asInt();
    }

    /** Whether this policy asks less than {@code other} in any respect (a critical change). */
    public boolean looserThan(GovernancePolicy other) {
        return approvals < other.approvals
                || coolOffHours < other.coolOffHours
                || TWO_FACTOR.indexOf(twoFactor) < TWO_FACTOR.indexOf(other.twoFactor)
                || (!requirePasskeys && other.requirePasskeys)
                || review.looserThan(other.review);
    }

    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("framework", framework);
        o.put("approvals", approvals);
        o.put("coolOffHours", coolOffHours);
        o.put("twoFactor", twoFactor);
        if (requirePasskeys) {
            o.put("requirePasskeys", true);
        }
        if (!review.isEmpty()) {
            o.set("review", review.toJson()); // absent when unset, as in policies stored before
        }
        return o;
    }

    public static GovernancePolicy fromJson(JsonNode n) {
        String tfa = n.path("twoFactor").asText("none");
        return new GovernancePolicy(
                n.path("framework").asText("custom"),
                n.path("approvals").asInt(),
                n.path("coolOffHours").asInt(),
                TWO_FACTOR.contains(tfa) ? tfa : "none",
                n.path("requirePasskeys").asBoolean(false),
                ReviewThresholds.fromStored(n.path("review")));
    }
}
