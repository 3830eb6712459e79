package dev.warden.storage;

import java.time.Instant;
import java.util.List;

/** The security exercises each maintainer completed: one row per account and exercise. */
public interface ExerciseCompletions {

    /** {@code user}'s completions, oldest first. */
    List<Completion> of(String user);

    /**
     * Records that {@code user} completed {@code exercise}; false (and nothing changed) when they
     * already had.
     */
    boolean add(Completion completion);

    /**
     * @param how "answer" (a question answered right) or "state" (a step checked from the account's
     *     state)
     */
    record Completion(String user, String exercise, Instant at, String how) {}
}
