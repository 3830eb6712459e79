package dev.warden.registry;

/**
 * How the request behind a change proves a second factor when a package's rule asks for one: the
 * HTTP layer checks the one-time password it carries (or its web approval) and throws the {@code
 * Problem} that asks for one when there is none. The rule that asks is the registry's.
 */
@FunctionalInterface
public interface SecondFactor {

    /**
     * Throws a {@code Problem} (OTP_REQUIRED or FORBIDDEN) unless the request carries a valid
     * second factor.
     */
    void require();

    /** For changes made without a request (an approved change being applied, tools): never asks. */
    SecondFactor NONE = () -> {};
}
