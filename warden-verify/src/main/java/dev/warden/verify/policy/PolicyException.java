package dev.warden.verify.policy;

/*
 * PLACEHOLDER on main until the policy and report output land: the engine compiles against it. Its owner replaces this
 * file whole (when merging main, keep your own version).
 */

public final class PolicyException extends Exception {
    public PolicyException(String m) {
        super(m);
    }
}
