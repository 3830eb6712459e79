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
 */
public record GovernancePolicy(
        String framework,
        int approvals,
        int coolOffHours,
        String twoFactor,
        boolean requirePasskeys) {

    /** A policy that does not ask its maintainers for passkeys. */
    public GovernancePolicy(String framework, int approvals, int coolOffHours, String twoFactor) {
        this(framework, approvals, coolOffHours, twoFactor, false);
    }

    public static final List<String> TWO_FACTOR = List.of("none", "account", "every-change");

    /** No governance: maintainers publish directly. */
    public static final GovernancePolicy SOLO = new GovernancePolicy("solo", 0, 0, "none");

    /** Ready-made frameworks, adopted with one command. */
    public static final Map<String, GovernancePolicy> FRAMEWORKS =
            Map.of(
                    "solo", SOLO,
                    "two-person", new GovernancePolicy("two-person", 1, 0, "account"),
                    "foundation-steward",
                            new GovernancePolicy("foundation-steward", 2, 24, "account"));

    static final int MAX_COOL_OFF_HOURS = 24 * 30;

    /**
     * Reads {@code {"framework": "two-person"}} or {@code {"approvals": 2, "coolOffHours": 24}};
     * 400 for anything else.
     */
    public static GovernancePolicy parse(JsonNode body) {
        if (!(body instanceof ObjectNode o) || o.isEmpty()) {
            throw Problem.badRequest(
                    "a policy is {\"framework\": \"solo|two-person|foundation-steward\"} or"
                            + " {\"approvals\": M, \"coolOffHours\": H, \"twoFactor\":"
                            + " \"none|account|every-change\", \"requirePasskeys\": true|false}");
        }
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!List.of("framework", "approvals", "coolOffHours", "twoFactor", "requirePasskeys")
                    .contains(f)) {
                throw Problem.badRequest("unknown policy field: " + Problem.clip(f));
            }
        }
        if (o.has("framework")) {
            if (o.size() != 1
                    || !o.get("framework").isTextual()
                    || !FRAMEWORKS.containsKey(o.get("framework").asText())) {
                throw Problem.badRequest(
                        "framework must be one of solo, two-person, foundation-steward (and nothing"
                                + " else with it)");
            }
            return FRAMEWORKS.get(o.get("framework").asText());
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
                passkeys != null && passkeys.asBoolean());
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
                || (!requirePasskeys && other.requirePasskeys);
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
        return o;
    }

    public static GovernancePolicy fromJson(JsonNode n) {
        String tfa = n.path("twoFactor").asText("none");
        return new GovernancePolicy(
                n.path("framework").asText("custom"),
                n.path("approvals").asInt(),
                n.path("coolOffHours").asInt(),
                TWO_FACTOR.contains(tfa) ? tfa : "none",
                n.path("requirePasskeys").asBoolean(false));
    }
}
