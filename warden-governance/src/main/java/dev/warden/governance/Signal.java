package dev.warden.governance;

/**
 * Something the registry's review of a release noticed, with its weight in the decision.
 *
 * @param id a stable name of the kind of signal (for example {@code install-script-added})
 * @param hold whether it alone holds the release for approval
 * @param summary what was seen, for the approvers
 */
public record Signal(String id, boolean hold, String summary) {}
