package dev.warden.accounts;

import dev.warden.common.Problem;
import dev.warden.storage.MetadataStore;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * npm's web OTP flow: when a write needs a second factor, the 401 names a page ({@code authUrl})
 * and a poll URL ({@code doneUrl}). The user gives the second factor on the page; the poll then
 * returns a one-shot token that the CLI repeats its request with, as {@code npm-otp}. Requests live
 * in the metadata store for 5 minutes ({@link PendingRequests}: any node answers the page and the
 * poll), with separate secrets for the page and the poll; the token is made when the poll takes the
 * approved request, so it is never stored.
 */
public final class WebOtps {

    /**
     * A pending approval for {@code user}.
     *
     * @param doneId the poll id; null in a request read back by {@link #page} (the store keeps only
     *     its hash)
     * @param finished whether it was approved
     * @param tokenHash the token the challenged request was made with; the approval works only for
     *     it
     * @param operation the request that was challenged, shown on the page
     */
    public record Request(
            String pageId,
            String doneId,
            String user,
            Instant created,
            boolean finished,
            String tokenHash,
            String operation)
            implements PendingRequests.Pending {}

    private static final PendingRequests.Codec<Request> CODEC =
            new PendingRequests.Codec<>() {
                @Override
                public Map<String, String> fields(Request r) {
                    Map<String, String> f = new HashMap<>();
                    f.put("user", r.user());
                    f.put("tokenHash", r.tokenHash());
                    f.put("operation", r.operation());
                    return f;
                }

                @Override
                public Request request(
                        String pageId, Instant created, boolean finished, Map<String, String> f) {
                    return new Request(
                            pageId,
                            null,
                            f.get("user"),
                            created,
                            finished,
                            f.get("tokenHash"),
                            f.get("operation"));
                }
            };

    private final SecondFactors factors;
    private final PendingRequests<Request> pending;

    WebOtps(SecondFactors factors, MetadataStore store, Clock clock) {
        this.factors = factors;
        this.pending =
                new PendingRequests<>(
                        store, "web-otp", CODEC, clock, Duration.ofMinutes(5), 10_000);
    }

    /**
     * Opens an approval for {@code user}'s request {@code operation}, or empty when too many are
     * pending.
     */
    public Optional<Request> open(String user, String tokenHash, String operation) {
        Request r =
                new Request(
                        pending.newId(),
                        pending.newId(),
                        user,
                        pending.now(),
                        false,
                        tokenHash,
                        operation);
        return pending.open(r, user, 20);
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
        if (r.finished()) {
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
        if (r.finished()) {
            throw Problem.conflict("this approval is already complete");
        }
        approveWith(r);
    }

    private void approveWith(Request r) {
        if (!pending.claim(r.pageId())) {
            throw Problem.conflict("this approval is already being completed");
        }
        pending.finish(r.pageId(), Map.of());
    }

    /** For the CLI's poll: the one-shot token once approved (then forgotten), else empty. */
    public Optional<String> poll(String doneId) {
        return pending.poll(doneId)
                .map(f -> factors.issueWebToken(f.get("user"), f.get("tokenHash")));
    }
}
