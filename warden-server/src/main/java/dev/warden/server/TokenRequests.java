package dev.warden.server;

import dev.warden.accounts.Accounts;
import dev.warden.accounts.Cidr;
import dev.warden.accounts.Principal;
import dev.warden.common.Problem;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Making a token with limits, the one path for {@code npm token create} ({@link ProfileApi}) and
 * the account's tokens page ({@link AccountTokenPages}): the same limits, lifetimes and checks of
 * the creating credential, password and second factor, in the same order.
 */
final class TokenRequests {

    static final int WRITE_TOKEN_DEFAULT_DAYS = 7;
    static final int WRITE_TOKEN_MAX_DAYS = 90;
    static final int READ_TOKEN_DEFAULT_DAYS = 30;
    static final int READ_TOKEN_MAX_DAYS = 365;

    private TokenRequests() {}

    /**
     * What was asked, validated into a request.
     *
     * @param days the token's lifetime, or null for the default of its permission
     * @param all whether the token covers every package of the account (no package or scope limits)
     */
    static Accounts.TokenRequest request(
            String name,
            String description,
            boolean readOnly,
            List<String> packages,
            List<String> scopeNames,
            boolean all,
            Integer days,
            List<String> cidrs,
            boolean bypass2fa,
            Clock clock) {
        List<String> scopes = new ArrayList<>();
        for (String s : scopeNames) {
            String scope = s.startsWith("@") ? s : "@" + s;
            if (!scope.matches("@[a-z0-9][a-z0-9._-]*")) {
                throw Problem.badRequest("invalid scope " + scope);
            }
            scopes.add(scope);
        }
        Principal.TokenLimits limits =
                all ? Principal.TokenLimits.NONE : new Principal.TokenLimits(packages, scopes);
        int maxDays = readOnly ? READ_TOKEN_MAX_DAYS : WRITE_TOKEN_MAX_DAYS;
        int lifetime = readOnly ? READ_TOKEN_DEFAULT_DAYS : WRITE_TOKEN_DEFAULT_DAYS;
        if (days != null) {
            if (days < 1) {
                throw Problem.badRequest("expires must be a number of days, at least 1");
            }
            if (days > maxDays) {
                throw Problem.badRequest(
                        (readOnly ? "read-only" : "read-write")
                                + " tokens may live at most "
                                + maxDays
                                + " days");
            }
            lifetime = days;
        }
        cidrs.forEach(Cidr::parse);
        return new Accounts.TokenRequest(
                name,
                description,
                readOnly,
                clock.instant().plus(Duration.ofDays(lifetime)),
                cidrs,
                limits,
                bypass2fa);
    }

    /** How the caller asks for the account's second factor: throws when it is not given. */
    interface SecondFactor {
        void require();
    }

    /**
     * Creates the token once the creating credential, the password, the second factor (when the
     * account has one) and the sign-in check (a new address is stepped up) allow it.
     *
     * @param client how the sign-in is named in mail and history
     * @param otp what the client sent as its one-time password, if anything
     */
    static Accounts.IssuedToken create(
            Accounts accounts,
            Principal creator,
            Accounts.TokenRequest request,
            String password,
            InetAddress from,
            String client,
            SecondFactor secondFactor,
            String otp) {
        // before the password and the second factor are taken: a credential that may not is
        // refused whatever it sends
        accounts.checkMayCreateToken(creator, request);
        accounts.checkPassword(creator.user(), password, from);
        boolean has2fa = accounts.secondFactors().activeMode(creator.user()).isPresent();
        if (has2fa) {
            secondFactor.require();
        }
        accounts.signInCheck().afterPassword(creator.user(), from, client, has2fa, has2fa, otp);
        Accounts.IssuedToken issued = accounts.createToken(creator, request, from);
        accounts.signInCheck().signedIn(creator.user(), from, client);
        return issued;
    }
}
