package dev.warden.common;

import java.util.List;

/**
 * A change that was not made but held as a change request for other maintainers to approve (a
 * critical change to a governed package). The HTTP layer answers it with 202 and an {@code
 * npm-notice} that says so; nothing else was changed.
 */
public final class HeldForApproval extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String requestId;
    private final transient List<Long> logIndexes;

    public HeldForApproval(String requestId, String notice, List<Long> logIndexes) {
        super(notice, null, false, false);
        this.requestId = requestId;
        this.logIndexes = List.copyOf(logIndexes);
    }

    public String requestId() {
        return requestId;
    }

    public List<Long> logIndexes() {
        return logIndexes;
    }
}
