package dev.warden.awareness;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A posture: the open steps, most important first, and a score computed from them. Never stored: it
 * is derived from the account's and packages' state each time it is asked for.
 *
 * <p>The score starts at 100 and loses 15 for each kind of important step open and 5 for each kind
 * of recommended one (three unexpiring tokens cost as much as one: the score says what kind of
 * weakness is left, the steps list every instance), never below 0.
 */
public record Posture(int score, List<Step> steps) {

    static final int IMPORTANT_WEIGHT = 15;
    static final int RECOMMENDED_WEIGHT = 5;

    public Posture {
        steps = List.copyOf(steps);
    }

    /** The posture of these open steps, in their listing order. */
    public static Posture of(List<Step> open) {
        List<Step> sorted = new ArrayList<>(open);
        sorted.sort(
                Comparator.comparing(Step::importance)
                        .thenComparingInt(s -> StepIds.ALL.indexOf(s.id()))
                        .thenComparing(s -> s.subject() == null ? "" : s.subject()));
        int lost =
                sorted.stream()
                        .map(s -> s.importance() + "/" + s.id())
                        .distinct()
                        .mapToInt(
                                k ->
                                        k.startsWith(Step.Importance.IMPORTANT.name())
                                                ? IMPORTANT_WEIGHT
                                                : RECOMMENDED_WEIGHT)
                        .sum();
        return new Posture(Math.max(0, 100 - lost), sorted);
    }

    /** The single most important open step: what a nudge tells. */
    public Optional<Step> first() {
        return steps.isEmpty() ? Optional.empty() : Optional.of(steps.get(0));
    }

    /** Whether an important step is open. */
    public boolean importantOpen() {
        return steps.stream().anyMatch(s -> s.importance() == Step.Importance.IMPORTANT);
    }
}
