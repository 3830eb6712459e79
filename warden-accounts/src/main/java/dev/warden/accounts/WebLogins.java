package dev.warden.accounts;

import dev.warden.common.Problem;
import dev.warden.storage.MetadataStore;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The browser half of {@code npm login} (web auth type): the CLI opens a login request and polls;
 * the user signs in on a page; the poll then receives a session token (2 hours by default).
 *
 * <p>Design: a request has two unrelated secrets, one in the page URL and one in the poll URL, so a
 * leaked page URL does not reveal the token. Requests live for 10 minutes in the metadata store
 * ({@link PendingRequests}), so the page and the poll may reach different nodes and a restart
 * cancels none; the session token is made when the poll takes the finished request, so it is handed
 * out once and never stored.
 */
public final class WebLogins {

    /**
     * A login in progress.
     *
     * @param doneId the poll id; null in a request read back by {@link #page} (the store keeps only
     *     its hash)
     * @param user who signed in, once finished
     * @param finished whether the user signed in on the page
     */
    public record Request(
            String pageId,
            String doneId,
            Instant created,
            String client,
            String user,
            boolean finished,
            boolean create)
            implements PendingRequests.Pending {}

    /**
     * How a request is kept: its client and whether it creates an account; who signed in, how and
     * from where, once finished.
     */
    private static final PendingRequests.Codec<Request> CODEC =
            new PendingRequests.Codec<>() {
                @Override
                public Map<String, String> fields(Request r) {
                    Map<String, String> f = new HashMap<>();
                    f.put("client", r.client());
                    f.put("create", Boolean.toString(r.create()));
                    return f;
                }

                @Override
                public Request request(
                        String pageId, Instant created, boolean finished, Map<String, String> f) {
                    return new Request(
                            pageId,
                            null,
                            created,
                            f.get("client"),
                            f.get("user"),
                            finished,
                            Boolean.parseBoolean(f.get("create")));
                }
            };

    private final Accounts accounts;
    private final Duration sessionLifetime;
    private final PendingRequests<Request> pending;

    WebLogins(Accounts accounts, MetadataStore store, Clock clock, Duration sessionLifetime) {
        this.accounts = accounts;
        this.sessionLifetime = sessionLifetime;
        this.pending =
                new PendingRequests<>(
                        store, "web-login", CODEC, clock, Duration.ofMinutes(10), 10_000);
    }

    /** Opens a request for a CLI at {@code client}; returns it (its page and poll ids). */
    public Request open(String client) {
        return open(client, false);
    }

    /**
     * @param create whether the CLI asked to create an account ({@code npm adduser})
     */
    public Request open(String client, boolean create) {
        Request r =
                new Request(
                        pending.newId(),
                        pending.newId(),
                        pending.now(),
                        client,
                        null,
                        false,
                        create);
        return pending.open(r, client, 100)
                .orElseThrow(
                        () ->
                                new Problem(
                                        Problem.Kind.TOO_MANY_REQUESTS,
                                        "too many logins in progress; try again shortly"));
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
        if (r.finished()) {
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
        if (r.finished()) {
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
        accounts.signInCheck().signedIn(user, from, CLIENT);
        pending.finish(
                r.pageId(),
                Map.of(
                        "user",
                        user,
                        "via",
                        via,
                        "from",
                        from == null ? "" : from.getHostAddress()));
    }

    /**
     * For the CLI's poll: the token once the user has signed in (then forgotten), else empty while
     * pending.
     */
    public Optional<String> poll(String doneId) {
        return pending.poll(doneId).map(this::issue);
    }

    /** The session token of a finished request, made once, when its poll takes it. */
    private String issue(Map<String, String> finished) {
        String user = finished.get("user");
        Accounts.IssuedToken token =
                accounts.issue(user, false, pending.now().plus(sessionLifetime), List.of());
        accounts.securityLog()
                .record(
                        user,
                        "login",
                        address(finished.get("from")),
                        Map.of("via", finished.get("via"), "token", token.record().key()));
        return token.secret();
    }

    /** An address as the request recorded it (a literal, so no name is looked up). */
    static InetAddress address(String literal) {
        if (literal == null || !literal.matches("[0-9a-fA-F:.]+(%\\w+)?")) {
            return null;
        }
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }
}
