package dev.warden.accounts;

import dev.warden.common.Problem;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The browser half of {@code npm login} (web auth type): the CLI opens a login request and polls;
 * the user signs in on a page; the poll then receives a session token (2 hours by default).
 *
 * <p>Design: a request has two unrelated secrets, one in the page URL and one in the poll URL, so a
 * leaked page URL does not reveal the token. Requests live in memory for 10 minutes (a restart
 * cancels logins in progress, and the CLI then reports the failure); the token a poll receives is
 * handed out once and forgotten.
 */
public final class WebLogins {

    /** A login in progress. */
    public record Request(
            String pageId,
            String doneId,
            Instant created,
            String client,
            String user,
            String token,
            boolean create)
            implements PendingRequests.Pending {}

    private final Accounts accounts;
    private final Duration sessionLifetime;
    private final PendingRequests<Request> pending;

    WebLogins(Accounts accounts, Clock clock, Duration sessionLifetime) {
        this.accounts = accounts;
        this.sessionLifetime = sessionLifetime;
        this.pending = new PendingRequests<>(clock, Duration.ofMinutes(10), 10_000);
    }

    /** Opens a request for a CLI at {@code client}; returns it (its page and poll ids). */
    public Request open(String client) {
        return open(client, false);
    }

    /**
     * @param create whether the CLI asked to create an account ({@code npm adduser})
     */
    public Request open(String client, boolean create) {
        if (!pending.hasRoom(r -> r.client().equals(client), 100)) {
            throw new Problem(
                    Problem.Kind.TOO_MANY_REQUESTS,
                    "too many logins in progress; try again shortly");
        }
        Request r =
                new Request(
                        pending.newId(),
                        pending.newId(),
                        pending.now(),
                        client,
                        null,
                        null,
                        create);
        pending.add(r);
        return r;
    }

    /** How a sign-in through npm's web login is named in mail and history. */
    static final String CLIENT = "npm login (web)";

    public Optional<Request> page(String pageId) {
        return pending.page(pageId);
    }

    /**
     * Signs in on the page: password, and a one-time password when the account has 2FA. The poll
     * then gets a new session token.
     */
    public void complete(
            String pageId, String user, String password, String otp, InetAddress from) {
        Request r =
                page(pageId)
                        .orElseThrow(
                                () ->
                                        Problem.notFound(
                                                "this login request is unknown or has expired: run"
                                                        + " npm login again"));
        if (r.token() != null) {
            throw Problem.conflict("this login request is already complete");
        }
        accounts.checkPassword(user, password, from);
        boolean has2fa = accounts.secondFactors().activeMode(user).isPresent();
        if (has2fa) {
            if (otp == null
                    || otp.isBlank()
                    || !accounts.secondFactors().verify(user, otp.trim(), from)) {
                throw Accounts.otpRequired();
            }
        }
        accounts.signInCheck().afterPassword(user, from, CLIENT, has2fa, has2fa, otp);
        finish(r, user, from, "web");
    }

    /** Completes a request for a user already verified another way (a passkey). */
    public void completeVerified(String pageId, String user, InetAddress from) {
        Request r =
                page(pageId)
                        .orElseThrow(
                                () ->
                                        Problem.notFound(
                                                "this login request is unknown or has expired: run"
                                                        + " npm login again"));
        if (r.token() != null) {
            throw Problem.conflict("this login request is already complete");
        }
        finish(r, user, from, "passkey");
    }

    /** A web session for the browser itself (the account pages), 2 hours like CLI sessions. */
    public Accounts.IssuedToken browserSession(String user) {
        return accounts.browserSession(user);
    }

    private void finish(Request r, String user, InetAddress from, String via) {
        if (!pending.claim(r.pageId())) {
            throw Problem.conflict("this login request is already being completed");
        }
        Accounts.IssuedToken token =
                accounts.issue(user, false, pending.now().plus(sessionLifetime), List.of());
        accounts.securityLog()
                .record(
                        user,
                        "login",
                        from,
                        java.util.Map.of("via", via, "token", token.record().key()));
        accounts.signInCheck().signedIn(user, from, CLIENT);
        pending.finish(
                r.pageId(),
                old ->
                        new Request(
                                old.pageId(),
                                old.doneId(),
                                old.created(),
                                old.client(),
                                user,
                                token.secret(),
                                old.create()));
    }

    /**
     * For the CLI's poll: the token once the user has signed in (then forgotten), else empty while
     * pending.
     */
    public Optional<String> poll(String doneId) {
        return pending.poll(doneId);
    }
}
