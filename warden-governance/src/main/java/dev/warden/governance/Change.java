package dev.warden.governance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.common.Problem;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A change to a package, as governance judges it and as a change request stores it. Each kind knows
 * whether it is critical (held for approval on a governed package), how it is described to the
 * people who approve it, and its payload: the JSON a change request keeps, read back by {@link
 * #fromRequest} when the approved change is applied.
 */
public sealed interface Change {

    /** The name a change request and the log give this kind of change. */
    String kind();

    /** What the change does, as the notice and the approvers read it. */
    String description();

    /** Whether a governed package's maintainers must approve it. */
    default boolean critical() {
        return true;
    }

    /** What a change request keeps of it. */
    Map<String, Object> payload();

    /** A new version. */
    record Release(String version, boolean explicitStage, String provenanceBreak)
            implements Change {
        public String kind() {
            return "release";
        }

        public String description() {
            return "releasing " + version;
        }

        public Map<String, Object> payload() {
            return Map.of("version", version);
        }
    }

    /** A dist-tag moved; critical when it moves {@code latest} to a lower version. */
    record DistTag(String tag, String version, String latest, boolean lowersLatest)
            implements Change {
        public String kind() {
            return "dist-tag";
        }

        public String description() {
            return lowersLatest
                    ? "moving latest down from " + latest + " to " + version
                    : "pointing " + tag + " at " + version;
        }

        public boolean critical() {
            return lowersLatest;
        }

        public Map<String, Object> payload() {
            return Map.of("tag", tag, "version", version);
        }
    }

    /** Maintainers added or removed. */
    record Owners(List<String> added, List<String> removed) implements Change {
        public Owners {
            added = List.copyOf(added);
            removed = List.copyOf(removed);
        }

        public String kind() {
            return "owners";
        }

        public String description() {
            return "adding or removing maintainers";
        }

        public Map<String, Object> payload() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("added", added);
            m.put("removed", removed);
            return m;
        }
    }

    /** Versions deprecated (version to message; empty un-deprecates) or unpublished. */
    record Versions(Map<String, String> deprecate, List<String> unpublish) implements Change {
        public Versions {
            deprecate = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(deprecate));
            unpublish = List.copyOf(unpublish);
        }

        public String kind() {
            return "versions";
        }

        public String description() {
            return (deprecate.isEmpty()
                            ? ""
                            : "deprecating " + String.join(", ", deprecate.keySet()))
                    + (!deprecate.isEmpty() && !unpublish.isEmpty() ? " and " : "")
                    + (unpublish.isEmpty() ? "" : "unpublishing " + String.join(", ", unpublish));
        }

        public Map<String, Object> payload() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("deprecate", deprecate);
            m.put("unpublish", unpublish);
            return m;
        }
    }

    /** The whole package unpublished. */
    record Unpublish() implements Change {
        public String kind() {
            return "unpublish";
        }

        public String description() {
            return "unpublishing the whole package";
        }

        public Map<String, Object> payload() {
            return Map.of();
        }
    }

    /** Public or restricted. */
    record Access(String access) implements Change {
        public String kind() {
            return "access";
        }

        public String description() {
            return "changing its access to " + access;
        }

        public Map<String, Object> payload() {
            return Map.of("access", access);
        }
    }

    /**
     * The package's two-factor rule ({@code npm access set mfa=...}); critical when it relaxes it.
     */
    record Mfa(boolean publishRequiresTfa, boolean automationOverrides, boolean relaxes)
            implements Change {
        public String kind() {
            return "mfa";
        }

        public String description() {
            return "relaxing its two-factor rule";
        }

        public boolean critical() {
            return relaxes;
        }

        public Map<String, Object> payload() {
            return Map.of(
                    "publishRequiresTfa",
                    publishRequiresTfa,
                    "automationOverrides",
                    automationOverrides);
        }
    }

    /** A trusted publisher added: {@code config} is its type, claims and permissions. */
    record TrustedPublisherAdd(String type, Map<String, Object> config) implements Change {
        public String kind() {
            return "trusted-publisher-add";
        }

        public String description() {
            return "adding a " + type + " trusted publisher";
        }

        public Map<String, Object> payload() {
            return Map.of("config", config);
        }
    }

    record TrustedPublisherRemove(String id) implements Change {
        public String kind() {
            return "trusted-publisher-remove";
        }

        public String description() {
            return "removing trusted publisher " + Problem.clip(id);
        }

        public Map<String, Object> payload() {
            return Map.of("id", id);
        }
    }

    /** Publishing with tokens allowed again beside the trusted publisher. */
    record TrustedPublishingOptional() implements Change {
        public String kind() {
            return "trusted-publishing-optional";
        }

        public String description() {
            return "no longer requiring trusted publishing";
        }

        public Map<String, Object> payload() {
            return Map.of();
        }
    }

    /** A new governance policy; critical when it asks less than the current one. */
    record Policy(GovernancePolicy next, GovernancePolicy current) implements Change {
        public String kind() {
            return "policy";
        }

        public String description() {
            return "loosening its policy (from "
                    + current.framework()
                    + " to "
                    + next.framework()
                    + ")";
        }

        public boolean critical() {
            return next.looserThan(current);
        }

        public Map<String, Object> payload() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("framework", next.framework());
            m.put("approvals", next.approvals());
            m.put("coolOffHours", next.coolOffHours());
            m.put("twoFactor", next.twoFactor());
            return m;
        }
    }

    /** Who takes over the package one day. */
    record Successors(List<String> users) implements Change {
        public Successors {
            users = List.copyOf(users);
        }

        public String kind() {
            return "successors";
        }

        public String description() {
            return "naming its successors (" + String.join(", ", users) + ")";
        }

        public Map<String, Object> payload() {
            return Map.of("successors", users);
        }
    }

    /**
     * The change a stored change request of {@code kind} holds (its critical-ness no longer
     * matters: it was approved).
     */
    static Change fromRequest(String kind, JsonNode payload, ObjectMapper json) {
        return switch (kind) {
            case "dist-tag" ->
                    new DistTag(
                            payload.path("tag").asText(),
                            payload.path("version").asText(),
                            null,
                            true);
            case "owners" ->
                    new Owners(strings(payload.path("added")), strings(payload.path("removed")));
            case "versions" -> {
                Map<String, String> deprecate = new LinkedHashMap<>();
                payload.path("deprecate")
                        .properties()
                        .forEach(e -> deprecate.put(e.getKey(), e.getValue().asText()));
                yield new Versions(deprecate, strings(payload.path("unpublish")));
            }
            case "unpublish" -> new Unpublish();
            case "access" -> new Access(payload.path("access").asText());
            case "mfa" ->
                    new Mfa(
                            payload.path("publishRequiresTfa").asBoolean(),
                            payload.path("automationOverrides").asBoolean(),
                            true);
            case "trusted-publisher-add" -> {
                @SuppressWarnings("unchecked")
                Map<String, Object> config = json.convertValue(payload.path("config"), Map.class);
                yield new TrustedPublisherAdd(payload.path("config").path("type").asText(), config);
            }
            case "trusted-publisher-remove" ->
                    new TrustedPublisherRemove(payload.path("id").asText());
            case "trusted-publishing-optional" -> new TrustedPublishingOptional();
            case "policy" -> new Policy(GovernancePolicy.fromJson(payload), GovernancePolicy.SOLO);
            case "successors" -> new Successors(strings(payload.path("successors")));
            default -> throw new IllegalStateException("unknown change kind " + kind);
        };
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
