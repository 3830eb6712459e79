package dev.warden.accounts;

import java.net.InetAddress;

/**
 * What the registry adds to every sign-in (npm login, the web, a token made with a password), as a
 * port another module implements: a sign-in from an address new to the account may be stepped up
 * (refused until a second factor, or a code mailed for it, is given), and a successful one makes
 * the address known.
 */
public interface SignInCheck {

    /** What the message of every step-up refusal contains, so pages can show it as it is. */
    String NEW_ADDRESS = "this sign-in is from an address new to your account";

    /** No check: every address is as good as another. */
    SignInCheck NONE =
            new SignInCheck() {
                @Override
                public void afterPassword(
                        String user,
                        InetAddress from,
                        String client,
                        boolean hasSecondFactor,
                        boolean secondFactorGiven,
                        String otp) {}

                @Override
                public void signedIn(String user, InetAddress from, String client) {}
            };

    /**
     * Called once the password is right, before anything is issued; throws a {@link
     * dev.warden.common.Problem} to step the sign-in up.
     *
     * @param hasSecondFactor whether the account has two-factor authentication on
     * @param secondFactorGiven whether this sign-in verified a second factor (a TOTP or recovery
     *     code, a passkey)
     * @param otp what the client sent as its one-time password, if anything
     */
    void afterPassword(
            String user,
            InetAddress from,
            String client,
            boolean hasSecondFactor,
            boolean secondFactorGiven,
            String otp);

    /** Called once a sign-in succeeded. */
    void signedIn(String user, InetAddress from, String client);
}
