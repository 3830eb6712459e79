package dev.warden.governance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.accounts.Principal;
import dev.warden.storage.Governance.ChangeRequest;
import dev.warden.storage.Governance.StageRecord;
import dev.warden.storage.Versions.VersionRecord;

import java.util.List;
import java.util.Map;

/**
 * What the registry carries out for governance once maintainers approved it: a change to a package,
 * an organization change, a staged release going live; and the review material of a stage.
 * Implemented by the registry, which owns packages, organizations and releases.
 */
public interface Enactment {

    /**
     * Applies an approved change to {@code pkg} as {@code requester} made it; returns the log
     * indexes. The registry handles every kind of {@link Change} it owns (an exhaustive switch: a
     * new kind does not compile until it is handled); governance applies its own (a policy,
     * successors) and never passes them, nor a release, which is approved as a stage.
     *
     * @param approval who approved it, for the statements that name them
     */
    List<Long> apply(String pkg, Change change, String requester, Map<String, Object> approval);

    /**
     * A request of an organization change ({@link RequestGroups#ORG}) reached its quorum: the
     * change is made once every request of its group has. Returns the log indexes, or null while
     * the rest of the group waits.
     */
    List<Long> applyOrgChange(ChangeRequest request, JsonNode payload);

    /**
     * Makes an approved stage live, exactly as the release it keeps (a stage from before stages
     * kept their releases: its publish document checked again); returns the log indexes.
     */
    List<Long> goLive(StageRecord stage, Principal stager);

    /**
     * Adds to a stage's view what the release changes since {@code previous} (the version {@code
     * latest} points to, or null for a first release): files, package.json fields, install scripts.
     */
    void describe(
            ObjectNode item,
            StageRecord stage,
            byte[] tarball,
            VersionRecord previous,
            byte[] previousTarball);

    /**
     * What the release review decided about a stage's release (its action and finding ids), for the
     * statements of its approvals and release; empty when it was not reviewed.
     */
    default Map<String, Object> reviewOf(StageRecord stage) {
        return Map.of();
    }

    /**
     * A stage closed without going live (rejected or expired): what the registry derived from it (a
     * quarantined version named in the packument) is brought up to date.
     */
    default void stageClosed(StageRecord stage) {}
}
