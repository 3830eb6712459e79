package dev.warden.storage;

import java.time.Instant;
import java.util.List;

/** The append-only security history of each account. */
public interface SecurityEvents {

    void append(String user, String kind, Instant at, String address, String detailJson);

    /**
     * The newest events first, at most {@code limit}, with ids below {@code beforeId} (0 for the
     * newest).
     */
    List<Event> list(String user, long beforeId, int limit);

    /** When the newest event of one of {@code kinds} happened, if any. */
    java.util.Optional<Instant> latestOf(String user, List<String> kinds);

    /** Whether {@code user} has an event of {@code kind} from {@code address}. */
    boolean seen(String user, String kind, String address);

    /**
     * Whether {@code user} has an event of {@code kind} whose detail names {@code client} (its
     * {@code client} field).
     */
    boolean seenClient(String user, String kind, String client);

    record Event(
            long id, String user, String kind, Instant at, String address, String detailJson) {}
}
