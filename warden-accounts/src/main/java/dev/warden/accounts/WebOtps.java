package dev.warden.accounts;

import dev.warden.common.Problem;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * npm's web OTP flow: when a write needs a second factor, the 401 names a page ({@code authUrl})
 * and a poll URL ({@code doneUrl}). The user gives the second factor on the page; the poll then
 * returns a one-shot token that the CLI repeats its request with, as {@code npm-otp}. Requests live
 * in memory for 5 minutes, with separate secrets for the page and the poll.
 */
public final class WebOtps {

    /**
     * A pending approval for {@code user}.
     *
     * @param tokenHash the token the challenged request was made with; the approval works only for
     *     it
     * @param operation the request that was challenged, shown on the page
     */
    public record Request(
            String pageId,
            String doneId,
            String user,
            Instant created,
            String token,
            String tokenHash,
            String operation)
            implements PendingRequests.Pending {}

    private final SecondFactors factors;
    private final PendingRequests<Request> pending;

    WebOtps(SecondFactors factors, Clock clock) {
        this.factors = factors;
        this.pending = new PendingRequests<>(clock, Duration.ofMinutes(5), 10_000);
    }

    /**
     * Opens an approval for {@code user}'s request {@code operation}, or empty when too many are
     * pending.
     */
    public Optional<Request> open(String user, String tokenHash, String operation) {
        if (!pending.hasRoom(x -> x.user().equals(user), 20)) {
            return Optional.empty();
        }
        Request r =
                new Request(
                        pending.newId(),
                        pending.newId(),
                        user,
                        pending.now(),
                        null,
                        tokenHash,
                        operation);
        pending.add(r);
        return Optional.of(r);
    }

    public Optional<Request> page(String pageId) {
        return pending.page(pageId);
    }

    /** Approves with a code from the account's authenticator (or a recovery code). */
    public void approve(String pageId, String code, InetAddress from) {
        Request r =
                page(pageId)
                        .orElseThrow(
                                () -> Problem.notFound("this approval is unknown or has expired"));
        if (r.token() != null) {
            throw Problem.conflict("this approval is already complete");
        }
        if (code == null
                || code.isBlank()
                || code.trim().startsWith(SecondFactors.WEB_PREFIX)
                || !factors.verify(r.user(), code.trim(), from)) {
            throw Problem.unauthorized("that code is not right");
        }
        approveWith(r);
    }

    /**
     * Approves with a passkey already verified for {@code user}: the phishing-resistant second
     * factor.
     */
    public void approveVerified(String pageId, String user) {
        Request r =
                page(pageId)
                        .orElseThrow(
                                () -> Problem.notFound("this approval is unknown or has expired"));
        if (!r.user().equals(user)) {
            throw Problem.forbidden("this approval is for another account");
        }
        if (r.token() != null) {
            throw Problem.conflict("this approval is already complete");
        }
        approveWith(r);
    }

    private void approveWith(Request r) {
        if (!pending.claim(r.pageId())) {
            throw Problem.conflict("this approval is already being completed");
        }
        String token = factors.issueWebToken(r.user(), r.tokenHash());
        pending.finish(
                r.pageId(),
                old ->
                        new Request(
                                old.pageId(),
                                old.doneId(),
                                old.user(),
                                old.created(),
                                token,
                                old.tokenHash(),
                                old.operation()));
    }

    /** For the CLI's poll: the one-shot token once approved (then forgotten), else empty. */
    public Optional<String> poll(String doneId) {
        return pending.poll(doneId);
    }
}
