package dev.warden.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.warden.common.Problem;
import dev.warden.review.Action;
import dev.warden.review.Ecosystem;
import dev.warden.review.Finding;
import dev.warden.review.Findings;
import dev.warden.review.ReviewPolicy;
import dev.warden.review.ReviewSettings;
import dev.warden.review.Reviewer;
import dev.warden.review.Subject;
import dev.warden.verify.TarballFacts;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * The release review's signals on an upstream version: warden-review's {@link Reviewer} on its
 * tarball and the previous version's ({@link ReviewBaseline}), mapped by the registry's default
 * {@link ReviewPolicy}. A hold or quarantine holds the version with the findings; a flag serves it
 * and is recorded. A review that cannot run holds the version (fail closed: an upstream that can
 * make the reviewer throw must not get a version past it); one that runs out of time decides
 * nothing (the client gets 502 and asks again), so a busy moment leaves no lasting hold.
 */
final class ReviewSignals {

    /**
     * What the review decided, and the findings as the ingest statement records them.
     *
     * @param unbaselined the hold the review would have made had it had a release to compare with,
     *     or null: without one every file counts as new, so a hold becomes a flag
     */
    record Outcome(Action action, String reason, Map<String, Object> detail, String unbaselined) {}

    /** How long the review of one version may take before the version is held instead. */
    static final Duration BUDGET = Duration.ofSeconds(20);

    private final Reviewer reviewer;
    private final ReviewPolicy policy;
    private final ReviewBaseline baseline;

    ReviewSignals(Ecosystem ecosystem, ReviewBaseline baseline) {
        this.reviewer = new Reviewer(ReviewSettings.DEFAULTS, ecosystem);
        this.policy = ReviewPolicy.DEFAULT;
        this.baseline = baseline;
    }

    /**
     * Reviews {@code name@version}.
     *
     * @param doc the upstream packument, for the version before this one
     * @param at the upstream's publish time, or now when it gives none
     */
    Outcome review(
            Uplink uplink,
            String name,
            String version,
            byte[] tarball,
            JsonNode versionDoc,
            JsonNode doc,
            boolean provenance,
            Instant at) {
        Subject.Previous previous = baseline.of(uplink, name, version, doc);
        JsonNode user = versionDoc.path("_npmUser");
        boolean trusted = Continuity.trustedPublisher(versionDoc);
        String publisher = user.path("name").asText("unknown");
        Subject subject =
                new Subject(
                        name,
                        version,
                        tarball,
                        manifest(tarball),
                        previous,
                        previous == null ? null : previous.version(),
                        new Subject.Publisher(
                                publisher,
                                trusted,
                                !trusted,
                                provenance,
                                previous != null && !publisher.equals(previous.publisher()),
                                null,
                                null,
                                false,
                                null,
                                false),
                        at);
        Findings findings;
        try {
            findings = Reviewer.within("proxy-review", BUDGET, () -> reviewer.examine(subject));
        } catch (TimeoutException e) {
            // Likely a busy machine, not the release: nothing is decided, the next request retries.
            throw Problem.badGateway(
                    "the release review of "
                            + name
                            + "@"
                            + version
                            + " took longer than "
                            + BUDGET.toSeconds()
                            + " s; ask again later");
        } catch (RuntimeException | StackOverflowError e) {
            String why = e.getClass().getSimpleName();
            return new Outcome(
                    Action.HOLD,
                    "the release review could not run (" + why + ")",
                    Map.of("action", "hold", "failed", why),
                    null);
        }
        Action action = Action.ALLOW;
        List<Map<String, String>> judged = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (Finding f : findings.findings()) {
            Action a = policy.actionOf(f);
            judged.add(
                    Map.of(
                            "id", f.id(),
                            "severity", f.severity().name().toLowerCase(Locale.ROOT),
                            "action", word(a),
                            "summary", f.summary()));
            if (a.compareTo(Action.HOLD) >= 0) {
                reasons.add(f.id() + ": " + f.summary());
            }
            if (a.compareTo(action) > 0) {
                action = a;
            }
        }
        String reason =
                reasons.isEmpty()
                        ? null
                        : "the release review holds it: " + String.join("; ", reasons);
        String unbaselined = null;
        if (previous == null && action == Action.HOLD) {
            // A first release (or one whose predecessor cannot be had) has nothing to compare
            // with: everything in it is "new". What only that makes suspicious is flagged.
            unbaselined = reason;
            action = Action.FLAG;
            reason = null;
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("action", word(action));
        detail.put("baseline", previous == null ? "none" : previous.version());
        detail.put("findings", judged);
        if (!findings.notComputed().isEmpty()) {
            detail.put("notComputed", findings.notComputed());
        }
        return new Outcome(action, reason, detail, unbaselined);
    }

    /**
     * The tarball's own package.json (what a client installs, whatever the packument says), or an
     * empty one when it cannot be read: never the packument's manifest, which the publisher writes
     * apart from the tarball (manifest confusion).
     */
    private static JsonNode manifest(byte[] tarball) {
        JsonNode own = TarballFacts.packageJson(tarball);
        return own != null && own.isObject() ? own : JsonNodeFactory.instance.objectNode();
    }

    private static String word(Action a) {
        return a.name().toLowerCase(Locale.ROOT);
    }
}
