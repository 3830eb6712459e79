package dev.warden.governance;

/**
 * Who makes a change, as far as the decision cares.
 *
 * @param maintainer whether they may maintain the package (a change by anyone else is refused by
 *     the change itself, never held in their name)
 * @param trustedPublisher whether it is a trusted publisher's CI job (it may only publish)
 * @param approved whether this is an approved change request being applied
 */
public record Actor(boolean maintainer, boolean trustedPublisher, boolean approved) {

    public static Actor ofMaintainer() {
        return new Actor(true, false, false);
    }

    /** The requester of a change the quorum approved: it is applied, not held again. */
    public static Actor applyingApproval() {
        return new Actor(true, false, true);
    }
}
