package dev.warden.verify.trust;

/*
 * PLACEHOLDER on main until the trust material and log inclusion land: the engine compiles against it. Its owner replaces this
 * file whole (when merging main, keep your own version).
 */

public final class TrustException extends Exception {
    public TrustException(String m) {
        super(m);
    }
}
