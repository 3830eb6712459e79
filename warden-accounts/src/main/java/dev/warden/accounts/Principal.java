package dev.warden.accounts;

/**
 * Who a request acts for and with what limits.
 *
 * @param tokenHash the hash of the token used, or null when authenticated by password
 */
public record Principal(String user, boolean readOnly, String tokenHash) {

    public boolean canWrite() {
        return !readOnly;
    }
}
