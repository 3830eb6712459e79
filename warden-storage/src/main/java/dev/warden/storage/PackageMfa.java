package dev.warden.storage;

import java.util.Optional;

/** Per-package publishing requirements: two-factor authentication and trusted publishing. */
public interface PackageMfa {

    Optional<Policy> find(String name);

    void put(String name, Policy policy);

    /**
     * @param automationOverrides whether a token made to bypass 2FA may publish without an OTP
     * @param requireTrustedPublisher whether only a trusted publisher may publish (token publishes
     *     are refused)
     */
    record Policy(
            boolean publishRequiresTfa,
            boolean automationOverrides,
            boolean requireTrustedPublisher) {
        public static final Policy NONE = new Policy(false, false, false);
    }
}
