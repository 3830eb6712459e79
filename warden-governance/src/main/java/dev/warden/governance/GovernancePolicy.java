package dev.warden.governance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.common.Problem;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
 * @param training the exercises a maintainer must have completed before approving a release or a
 *     change ({@link #ALL_REQUIRED}: every exercise the registry marks required); empty: none
 */
public record GovernancePolicy(
        String framework,
        int approvals,
        int coolOffHours,
        String twoFactor,
        boolean requirePasskeys,
        ReviewThresholds review,
        List<String> training) {

    public GovernancePolicy {
        if (review == null) {
            review = ReviewThresholds.NONE;
        }
        training = training == null ? List.of() : List.copyOf(training);
    }

    /** A policy that asks no training of approvers. */
    public GovernancePolicy(
            String framework,
            int approvals,
            int coolOffHours,
            String twoFactor,
            boolean requirePasskeys,
            ReviewThresholds review) {
        this(framework, approvals, coolOffHours, twoFactor, requirePasskeys, review, List.of());
    }

    /** {@code "training": true}: every exercise the registry marks required. */
    public static final List<String> ALL_REQUIRED = List.of("*");

    private static final int MAX_TRAINING = 20;

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
                            + " severity}, and with \"training\": true or [\"exercise-id\", ...]");
        }
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!List.of(
                            "framework",
                            "approvals",
                            "coolOffHours",
                            "twoFactor",
                            "requirePasskeys",
                            "review",
                            "training")
                    .contains(f)) {
                throw Problem.badRequest("unknown policy field: " + Problem.clip(f));
            }
        }
        ReviewThresholds review =
                o.has("review") ? ReviewThresholds.parse(o.get("review")) : ReviewThresholds.NONE;
        List<String> training = training(o.get("training"));
        if (o.has("framework")) {
            if (o.size() != 1 + (o.has("review") ? 1 : 0) + (o.has("training") ? 1 : 0)
                    || !o.get("framework").isTextual()
                    || !FRAMEWORKS.containsKey(o.get("framework").asText())) {
                throw Problem.badRequest(
                        "framework must be one of solo, two-person, foundation-steward (and nothing"
                                + " else with it but review and training)");
            }
            return FRAMEWORKS
                    .get(o.get("framework").asText())
                    .withReview(review)
                    .withTraining(training);
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
                review,
                training);
    }

    /**
     * {@code true} (every required exercise), {@code false} or absent (none), or a list of exercise
     * ids; whether the ids exist is for the registry to say.
     */
    private static List<String> training(JsonNode n) {
        if (n == null || n.isNull() || (n.isBoolean() && !n.asBoolean())) {
            return List.of();
        }
        if (n.isBoolean()) {
            return ALL_REQUIRED;
        }
        String expected =
                "training must be true, false or a list of up to "
                        + MAX_TRAINING
                        + " exercise ids (lower-case letters, digits and dashes)";
        if (!n.isArray() || n.size() > MAX_TRAINING) {
            throw Problem.badRequest(expected);
        }
        Set<String> ids = new LinkedHashSet<>();
        for (JsonNode id : n) {
            if (!id.isTextual() || !id.asText().matches("[a-z0-9][a-z0-9-]{0,47}")) {
                throw Problem.badRequest(expected);
            }
            ids.add(id.asText());
        }
        return List.copyOf(ids);
    }

    /** This policy asking {@code exercises} of approvers. */
    public GovernancePolicy withTraining(List<String> exercises) {
        return new GovernancePolicy(
                framework, approvals, coolOffHours, twoFactor, requirePasskeys, review, exercises);
    }

    /** This policy with {@code review} as its review thresholds. */
    public GovernancePolicy withReview(ReviewThresholds review) {
        return new GovernancePolicy(
                framework, approvals, coolOffHours, twoFactor, requirePasskeys, review, training);
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
                || review.looserThan(other.review)
                // dropping an exercise; "all required" and a list are not compared, so moving
                // between them counts as loosening too
                || !training.containsAll(other.training);
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
        if (training.equals(ALL_REQUIRED)) {
            o.put("training", true);
        } else if (!training.isEmpty()) {
            training.forEach(o.putArray("training")::add);
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
                ReviewThresholds.fromStored(n.path("review")),
                storedTraining(n.path("training")));
    }

    private static List<String> storedTraining(JsonNode n) {
        if (n.isBoolean()) {
            return n.asBoolean() ? ALL_REQUIRED : List.of();
        }
        List<String> ids = new ArrayList<>();
        n.forEach(id -> ids.add(id.asText()));
        return ids;
    }
}
