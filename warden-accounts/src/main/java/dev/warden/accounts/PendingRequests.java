package dev.warden.accounts;

import dev.warden.common.Problem;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Requests the CLI opens and polls while a person finishes them on a web page (npm's web login and
 * web OTP flows). Each has two unrelated random ids, one in the page URL and one in the poll URL,
 * so a leaked page URL does not reveal what the poll hands out. Requests live in memory for {@code
 * ttl}; the token a finished request carries is handed to the poll once, then forgotten.
 */
final class PendingRequests<R extends PendingRequests.Pending> {

    /** What every pending request has. */
    interface Pending {
        String pageId();

        String doneId();

        Instant created();

        /** What the poll receives once the request is finished; null while pending. */
        String token();
    }

    private final Clock clock;
    private final Duration ttl;
    private final int capacity;
    private final SecureRandom random = new SecureRandom();
    private final ConcurrentHashMap<String, R> byPage = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> pageByDone = new ConcurrentHashMap<>();
    private final java.util.Set<String> claimed = ConcurrentHashMap.newKeySet();

    PendingRequests(Clock clock, Duration ttl, int capacity) {
        this.clock = clock;
        this.ttl = ttl;
        this.capacity = capacity;
    }

    String newId() {
        byte[] b = new byte[24];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    Instant now() {
        return clock.instant();
    }

    /**
     * Whether another request may be opened, given how many already match {@code mine} (and at most
     * {@code perOwner} of those).
     */
    boolean hasRoom(Predicate<R> mine, int perOwner) {
        purge();
        return byPage.size() < capacity && byPage.values().stream().filter(mine).count() < perOwner;
    }

    void add(R request) {
        byPage.put(request.pageId(), request);
        pageByDone.put(request.doneId(), request.pageId());
    }

    Optional<R> page(String pageId) {
        purge();
        return Optional.ofNullable(byPage.get(pageId));
    }

    /** Takes the right to finish a request: true for exactly one caller. */
    boolean claim(String pageId) {
        return byPage.containsKey(pageId) && claimed.add(pageId);
    }

    void finish(String pageId, UnaryOperator<R> withToken) {
        byPage.computeIfPresent(pageId, (k, old) -> withToken.apply(old));
    }

    /**
     * The token of a finished request (then forgotten), empty while pending; unknown ids are a 404.
     */
    Optional<String> poll(String doneId) {
        purge();
        String pageId = pageByDone.get(doneId);
        if (pageId == null) {
            throw Problem.notFound("unknown request");
        }
        R r = byPage.get(pageId);
        if (r == null || r.token() == null) {
            return Optional.empty();
        }
        remove(r);
        return Optional.of(r.token());
    }

    private void remove(R r) {
        byPage.remove(r.pageId());
        pageByDone.remove(r.doneId());
        claimed.remove(r.pageId());
    }

    private void purge() {
        Instant cutoff = clock.instant().minus(ttl);
        byPage.values().stream()
                .filter(r -> r.created().isBefore(cutoff))
                .toList()
                .forEach(this::remove);
    }
}
