package dev.warden.storage;

import java.util.Optional;

/** Per-package two-factor requirements. */
public interface PackageMfa {

    Optional<Policy> find(String name);

    void put(String name, Policy policy);

    /** @param automationOverrides whether a token made to bypass 2FA may publish without an OTP */
    record Policy(boolean publishRequiresTfa, boolean automationOverrides) {}
}
