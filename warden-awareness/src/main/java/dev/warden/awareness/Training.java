package dev.warden.awareness;

import dev.warden.awareness.Exercise.Question;
import dev.warden.awareness.Exercise.Step;
import dev.warden.common.Problem;
import dev.warden.storage.ExerciseCompletions.Completion;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.MetadataStore.ReadTx;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Exercises and their completion, per maintainer. A question is completed by answering it right; a
 * step by asking Warden to check it when the account's state has it done ({@link StateCheck}). Only
 * the maintainer's own request completes their exercise: every method takes the acting user, never
 * a target, so no one completes another's. A completion is kept once made (training is not undone
 * by later state; the posture reports state as it is now).
 */
public final class Training {

    /** Where the exercises are done, relative to the registry's address. */
    public static final String PAGE = "/-/web/exercises";

    private final MetadataStore store;
    private final Clock clock;
    private final StateCheck state;
    private final Map<String, Exercise> exercises = new LinkedHashMap<>();

    public Training(MetadataStore store, Clock clock, StateCheck state) {
        this(store, clock, state, Catalogue.ALL);
    }

    Training(MetadataStore store, Clock clock, StateCheck state, List<Exercise> catalogue) {
        this.store = store;
        this.clock = clock;
        this.state = state;
        catalogue.forEach(e -> exercises.put(e.id(), e));
    }

    public List<Exercise> exercises() {
        return List.copyOf(exercises.values());
    }

    /** The exercise {@code id}, or a 404 naming it. */
    public Exercise exercise(String id) {
        return Optional.ofNullable(id == null ? null : exercises.get(id))
                .orElseThrow(
                        () ->
                                Problem.notFound(
                                        "no exercise with id " + Problem.clip(String.valueOf(id))));
    }

    /**
     * @param completed when it was completed, or null
     * @param now for an open step, what its check reads now; else null
     */
    public record Status(Exercise exercise, Instant completed, StateCheck.Outcome now) {}

    /** Every exercise with {@code user}'s status; open steps say what their check reads now. */
    public List<Status> statuses(String user) {
        return store.read(
                tx -> {
                    Map<String, Instant> done = completions(tx, user);
                    List<Status> out = new ArrayList<>();
                    for (Exercise e : exercises.values()) {
                        Instant at = done.get(e.id());
                        StateCheck.Outcome now =
                                at == null && e instanceof Step s
                                        ? state.check(tx, user, s.check())
                                        : null;
                        out.add(new Status(e, at, now));
                    }
                    return out;
                });
    }

    /**
     * What an attempt did.
     *
     * @param correct for a question: whether the answer was right; for a step: whether its state is
     *     done
     * @param newly whether this attempt completed it (false when it was completed before)
     * @param message what to tell the maintainer: the explanation, or what is still missing
     */
    public record Attempt(
            Exercise exercise, boolean correct, boolean newly, Instant completed, String message) {}

    /**
     * {@code user} answers question {@code id} with choice {@code answer}: a 404 for no such
     * exercise, a 400 when it is not a question or the answer is none of its choices.
     */
    public Attempt answer(String user, String id, String answer) {
        if (!(exercise(id) instanceof Question q)) {
            throw Problem.badRequest(
                    id + " is a practical step: ask Warden to check it (no answer is needed)");
        }
        Set<String> choices =
                q.choices().stream().map(Exercise.Choice::id).collect(Collectors.toSet());
        if (answer == null || !choices.contains(answer)) {
            throw Problem.badRequest(
                    "answer must be one of the choices' ids: "
                            + q.choices().stream()
                                    .map(Exercise.Choice::id)
                                    .collect(Collectors.joining(", ")));
        }
        if (!answer.equals(q.answer())) {
            Instant before = store.read(tx -> completions(tx, user).get(id));
            return new Attempt(
                    q,
                    false,
                    false,
                    before,
                    "That is not the right answer. Read the guide \""
                            + q.guide()
                            + "\" and try again.");
        }
        return complete(user, q, "answer", q.explanation());
    }

    /** {@code user} asks Warden to check step {@code id} against their account's state now. */
    public Attempt check(String user, String id) {
        if (!(exercise(id) instanceof Step s)) {
            throw Problem.badRequest(id + " is a question: answer it with one of its choices");
        }
        StateCheck.Outcome now = store.read(tx -> state.check(tx, user, s.check()));
        if (!now.done()) {
            Instant before = store.read(tx -> completions(tx, user).get(id));
            return new Attempt(s, false, false, before, now.detail());
        }
        return complete(user, s, "state", now.detail());
    }

    private Attempt complete(String user, Exercise e, String how, String message) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        return store.write(
                tx -> {
                    boolean added =
                            tx.exerciseCompletions().add(new Completion(user, e.id(), now, how));
                    Instant at = added ? now : completions(tx, user).get(e.id());
                    return new Attempt(e, true, added, at, message);
                });
    }

    /**
     * The exercises of {@code required} ({@code ["*"]}: every required one) that {@code user} has
     * not completed, in {@code tx}.
     */
    public List<String> missing(ReadTx tx, String user, List<String> required) {
        List<String> asked =
                required.equals(List.of("*"))
                        ? exercises.values().stream()
                                .filter(Exercise::required)
                                .map(Exercise::id)
                                .toList()
                        : required;
        Map<String, Instant> done = completions(tx, user);
        return asked.stream().filter(id -> !done.containsKey(id)).toList();
    }

    /** The ids of {@code ids} that name no exercise ({@code ["*"]} names them all). */
    public List<String> unknown(List<String> ids) {
        if (ids.equals(List.of("*"))) {
            return List.of();
        }
        return ids.stream().filter(id -> !exercises.containsKey(id)).toList();
    }

    private static Map<String, Instant> completions(ReadTx tx, String user) {
        Map<String, Instant> out = new LinkedHashMap<>();
        for (Completion c : tx.exerciseCompletions().of(user)) {
            out.put(c.exercise(), c.at());
        }
        return out;
    }
}
