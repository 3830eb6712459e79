package dev.warden.storage;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Packages' governance policies (each change a new version) and their staged releases. */
public interface Governance {

    /** The newest policy of {@code pkg}, if it ever had one. */
    Optional<PolicyRecord> policy(String pkg);

    List<PolicyRecord> policies(String pkg);

    void addPolicy(PolicyRecord policy);

    /**
     * @param policy JSON
     */
    record PolicyRecord(
            String pkg, int version, String policy, Instant created, String createdBy) {}

    void insertStage(StageRecord stage);

    Optional<StageRecord> stage(String id);

    /** Stages in {@code state} of {@code packages} (all packages when null), newest first. */
    List<StageRecord> stages(List<String> packages, String state, int offset, int limit);

    int countStages(List<String> packages, String state);

    /** Stages in {@code state} whose expiry is before {@code now}. */
    List<StageRecord> stagesExpiredBy(String state, Instant now);

    /** Stages in {@code state} whose cool-off ended by {@code now}. */
    List<StageRecord> stagesCooledOffBy(String state, Instant now);

    void decide(String id, String state, Instant at, String by);

    /** Records an approval; false if this user had approved already. */
    boolean approve(String stageId, String user, Instant at);

    List<String> approvers(String stageId);

    void insertRequest(ChangeRequest request);

    Optional<ChangeRequest> request(String id);

    /** Requests in {@code state} of {@code packages}, oldest first. */
    List<ChangeRequest> requests(List<String> packages, String state);

    void decideRequest(String id, String state, Instant at, String by);

    /** Records an approval of a change request; false if this user had approved it already. */
    boolean approveRequest(String requestId, String user, Instant at);

    List<String> requestApprovers(String requestId);

    /** Replaces the successors named for {@code pkg}. */
    void setSuccessors(String pkg, List<String> users, String namedBy, Instant at);

    List<String> successors(String pkg);

    /** Packages that have successors named. */
    List<String> packagesWithSuccessors();

    void insertNotice(Notice notice);

    Optional<Notice> notice(String id);

    /** Notices of {@code pkg} (every package when null) in one of {@code states}, oldest first. */
    List<Notice> notices(String pkg, List<String> states);

    void decideNotice(String id, String state, Instant at, String by);

    /**
     * A public notice of a handover.
     *
     * @param kind "succession" (a named successor takes over an inactive package) or "claim"
     *     (someone asks for an abandoned one)
     * @param candidate who would become a maintainer
     * @param state "notice" (window open), "offered" (to the successor), "accepted", "granted",
     *     "objected" or "withdrawn"
     */
    record Notice(
            String id,
            String pkg,
            String kind,
            String candidate,
            Instant posted,
            Instant windowEnds,
            String state,
            Instant decided,
            String decidedBy) {}

    /**
     * A critical change to a governed package, held until enough maintainers approve it.
     *
     * @param kind what it changes, e.g. "owners"
     * @param payload JSON: the change itself (for owners: who is added and who removed)
     * @param state "pending", "applied", "rejected", "expired" or "failed"
     */
    record ChangeRequest(
            String id,
            String pkg,
            String kind,
            String payload,
            String actor,
            int required,
            Instant created,
            Instant expires,
            String state,
            Instant decided,
            String decidedBy) {}

    /**
     * A staged release.
     *
     * @param document the publish document (JSON) without the tarball's data
     * @param actorType "user" or "trusted publisher"
     * @param publisher JSON of the trusted publisher that staged it, or null
     * @param required approvals needed from maintainers
     * @param selfApproval whether the one who staged it may approve it (npm's single-approver
     *     staging)
     * @param state "pending", "approved" (quorum met, cooling off), "published", "rejected" or
     *     "expired"
     * @param holdReason why the registry held a release no policy asked to stage (a break in
     *     provenance continuity), or null
     * @param release JSON: the checked release it goes live as once approved (served manifest,
     *     digests, sizes, tags, access, provenance), or null for a stage made before releases were
     *     kept with their stages
     */
    record StageRecord(
            String id,
            String pkg,
            String version,
            String tag,
            String document,
            String blobKey,
            String shasum,
            String integrity,
            String actor,
            String actorType,
            String publisher,
            int required,
            boolean selfApproval,
            Instant coolOffUntil,
            Instant created,
            Instant expires,
            String state,
            Instant decided,
            String decidedBy,
            String holdReason,
            String release) {}
}
