package dev.warden.accounts;

import dev.warden.common.Problem;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * npm's web OTP flow: when a write needs a second factor, the 401 names a page ({@code authUrl})
 * and a poll URL ({@code doneUrl}). The user gives the second factor on the page; the poll then
 * returns a one-shot token that the CLI repeats its request with, as {@code npm-otp}.
 * Requests live in memory for 5 minutes, with separate secrets for the page and the poll.
 */
public final class WebOtps {

    /**
     * A pending approval for {@code user}.
     *
     * @param tokenHash the token the challenged request was made with; the approval works only for it
     * @param operation the request that was challenged, shown on the page
     */
    public record Request(String pageId, String doneId, String user, Instant created, String token, String tokenHash, String operation) {}

    private static final Duration TTL = Duration.ofMinutes(5);

    private final SecondFactors factors;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final ConcurrentHashMap<String, Request> byPage = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> pageByDone = new ConcurrentHashMap<>();

    WebOtps(SecondFactors factors, Clock clock) {
        this.factors = factors;
        this.clock = clock;
    }

    private String id() {
        byte[] b = new byte[24];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** Opens an approval for {@code user}'s request {@code operation}, or empty when too many are pending. */
    public Optional<Request> open(String user, String tokenHash, String operation) {
        purge();
        long mine = byPage.values().stream().filter(x -> x.user().equals(user)).count();
        if (byPage.size() > 10_000 || mine >= 20) {
            return Optional.empty();
        }
        Request r = new Request(id(), id(), user, clock.instant(), null, tokenHash, operation);
        byPage.put(r.pageId(), r);
        pageByDone.put(r.doneId(), r.pageId());
        return Optional.of(r);
    }

    public Optional<Request> page(String pageId) {
        purge();
        return Optional.ofNullable(byPage.get(pageId));
    }

    /** Approves with a code from the account's authenticator (or a recovery code). */
    public void approve(String pageId, String code, InetAddress from) {
        Request r = page(pageId).orElseThrow(() -> Problem.notFound("this approval is unknown or has expired"));
        if (r.token() != null) {
            throw Problem.conflict("this approval is already complete");
        }
        if (code == null || code.isBlank() || code.trim().startsWith(SecondFactors.WEB_PREFIX) || !factors.verify(r.user(), code.trim(), from)) {
            throw Problem.unauthorized("that code is not right");
        }
        String token = factors.issueWebToken(r.user(), r.tokenHash());
        byPage.computeIfPresent(pageId, (k, old) -> new Request(old.pageId(), old.doneId(), old.user(), old.created(), token,
                old.tokenHash(), old.operation()));
    }

    /** Approves with a passkey already verified for {@code user}: the phishing-resistant second factor. */
    public void approveVerified(String pageId, String user) {
        Request r = page(pageId).orElseThrow(() -> Problem.notFound("this approval is unknown or has expired"));
        if (!r.user().equals(user)) {
            throw Problem.forbidden("this approval is for another account");
        }
        if (r.token() != null) {
            throw Problem.conflict("this approval is already complete");
        }
        String token = factors.issueWebToken(r.user(), r.tokenHash());
        byPage.computeIfPresent(pageId, (k, old) -> new Request(old.pageId(), old.doneId(), old.user(), old.created(), token,
                old.tokenHash(), old.operation()));
    }

    /** For the CLI's poll: the one-shot token once approved (then forgotten), else empty. */
    public Optional<String> poll(String doneId) {
        purge();
        String pageId = pageByDone.get(doneId);
        if (pageId == null) {
            throw Problem.notFound("unknown approval");
        }
        Request r = byPage.get(pageId);
        if (r == null || r.token() == null) {
            return Optional.empty();
        }
        byPage.remove(pageId);
        pageByDone.remove(doneId);
        return Optional.of(r.token());
    }

    private void purge() {
        Instant cutoff = clock.instant().minus(TTL);
        byPage.values().removeIf(r -> {
            boolean old = r.created().isBefore(cutoff);
            if (old) {
                pageByDone.remove(r.doneId());
            }
            return old;
        });
    }
}
