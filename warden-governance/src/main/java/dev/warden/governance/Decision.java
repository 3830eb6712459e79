package dev.warden.governance;

/**
 * What happens to a change: it goes live now, waits as a stage for the approvals its package's
 * policy asks, or is held by the registry (a critical change to a governed package, or a release
 * the registry will not let through alone) until maintainers approve it.
 */
public sealed interface Decision {

    Live LIVE = new Live();

    /** The change is made now. */
    record Live() implements Decision {}

    /**
     * A release waits for approvals as a stage.
     *
     * @param approvals distinct maintainers' approvals it needs
     * @param selfApproval whether the stager's own approval counts (npm's staging with no policy:
     *     one approval with a second factor, which may be the stager's)
     * @param coolOffHours hours between the last approval and the release going live
     */
    record Staged(int approvals, boolean selfApproval, int coolOffHours) implements Decision {}

    /**
     * The change is held until maintainers approve it: a release as a stage, any other change as a
     * change request.
     *
     * @param reason why, for the person who made the change
     */
    record Held(String reason, int approvals, boolean selfApproval, int coolOffHours)
            implements Decision {}
}
