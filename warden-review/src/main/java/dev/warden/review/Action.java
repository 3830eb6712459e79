package dev.warden.review;

/** What the registry does with a release, given its findings. */
public enum Action {
    /** goes live */
    ALLOW,
    /** goes live; the maintainers are told what was found */
    FLAG,
    /** becomes a stage that needs a maintainer's approval, with the review material */
    HOLD,
    /** kept but installable by no one until a maintainer's approval releases it */
    QUARANTINE
}
