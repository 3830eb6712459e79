package dev.warden.awareness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.common.Problem;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.embedded.EmbeddedStorage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Answers are checked on the server, steps from state, and completions are each user's own. */
class TrainingTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir Path dir;
    MetadataStore store;
    Training training;

    /** The state the fake check reads: step -> done, per user. */
    final Map<String, Boolean> state = new HashMap<>();

    @BeforeEach
    void open() {
        store = EmbeddedStorage.metadata(dir.resolve("warden.db"));
        StateCheck check =
                (tx, user, step) ->
                        state.getOrDefault(user + "/" + step, false)
                                ? new StateCheck.Outcome(true, "done")
                                : new StateCheck.Outcome(false, user + " has not done " + step);
        training = new Training(store, Clock.fixed(T0, ZoneOffset.UTC), check);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aRightAnswerCompletesTheQuestionAndAWrongOneDoesNot() {
        Training.Attempt wrong = training.answer("alice", "phishing-basics", "a");
        assertThat(wrong.correct()).isFalse();
        assertThat(wrong.completed()).isNull();
        assertThat(wrong.message())
                .as("a wrong answer does not give the right one away")
                .startsWith("That is not the right answer")
                .doesNotContain("verification code");

        Training.Attempt right = training.answer("alice", "phishing-basics", "c");
        assertThat(right.correct()).isTrue();
        assertThat(right.newly()).isTrue();
        assertThat(right.completed()).isEqualTo(T0);
        assertThat(right.message()).contains("npmjs.help");

        Training.Attempt again = training.answer("alice", "phishing-basics", "c");
        assertThat(again.newly()).as("completed once, kept at its first time").isFalse();
        assertThat(again.completed()).isEqualTo(T0);
        Training.Attempt wrongAfter = training.answer("alice", "phishing-basics", "b");
        assertThat(wrongAfter.completed()).as("a later wrong answer undoes nothing").isEqualTo(T0);
    }

    @Test
    void completionsAreEachUsersOwn() {
        training.answer("alice", "leaked-token-response", "b");

        assertThat(status("alice", "leaked-token-response").completed()).isEqualTo(T0);
        assertThat(status("bob", "leaked-token-response").completed()).isNull();
        assertThat(missing("bob", List.of("leaked-token-response")))
                .containsExactly("leaked-token-response");
    }

    @Test
    void malformedAnswersAndUnknownExercisesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> training.answer("alice", "phishing-basics", "z"))
                .isInstanceOfSatisfying(
                        Problem.class,
                        p -> {
                            assertThat(p.kind()).isEqualTo(Problem.Kind.BAD_REQUEST);
                            assertThat(p.getMessage())
                                    .isEqualTo(
                                            "answer must be one of the choices' ids: a, b, c, d");
                        });
        assertThatThrownBy(() -> training.answer("alice", "phishing-basics", null))
                .hasMessageStartingWith("answer must be one of the choices' ids");
        assertThatThrownBy(() -> training.answer("alice", "no-such-thing", "a"))
                .isInstanceOfSatisfying(
                        Problem.class,
                        p -> {
                            assertThat(p.kind()).isEqualTo(Problem.Kind.NOT_FOUND);
                            assertThat(p.getMessage())
                                    .isEqualTo("no exercise with id no-such-thing");
                        });
        assertThatThrownBy(() -> training.answer("alice", "add-passkey", "a"))
                .hasMessage(
                        "add-passkey is a practical step: ask Warden to check it (no answer is"
                                + " needed)");
        assertThatThrownBy(() -> training.check("alice", "phishing-basics"))
                .hasMessage("phishing-basics is a question: answer it with one of its choices");
        List<?> recorded = store.read(tx -> tx.exerciseCompletions().of("alice"));
        assertThat(recorded).as("nothing recorded").isEmpty();
    }

    @Test
    void aStepIsCompletedWhenItsStateIsRightAtTheCheck() {
        Training.Attempt early = training.check("alice", "add-passkey");
        assertThat(early.correct()).isFalse();
        assertThat(early.message()).isEqualTo("alice has not done add-passkey");
        assertThat(status("alice", "add-passkey").now().done()).isFalse();

        state.put("alice/add-passkey", true);
        assertThat(status("alice", "add-passkey").completed())
                .as("reading the list records nothing")
                .isNull();
        Training.Attempt done = training.check("alice", "add-passkey");
        assertThat(done.correct()).isTrue();
        assertThat(done.completed()).isEqualTo(T0);

        state.put("alice/add-passkey", false);
        assertThat(status("alice", "add-passkey").completed())
                .as("a completion is kept")
                .isEqualTo(T0);
        assertThat(status("alice", "add-passkey").now()).as("no state shown once done").isNull();
    }

    @Test
    void allRequiredMeansTheQuestionsMarkedRequired() {
        assertThat(missing("alice", List.of("*")))
                .containsExactly(
                        "phishing-basics", "passkeys-resist-phishing", "leaked-token-response");
        training.answer("alice", "passkeys-resist-phishing", "b");
        assertThat(missing("alice", List.of("*")))
                .containsExactly("phishing-basics", "leaked-token-response");
        assertThat(missing("alice", List.of("worm-tokens"))).containsExactly("worm-tokens");
    }

    @Test
    void unknownIdsAreNamed() {
        assertThat(training.unknown(List.of("phishing-basics", "nope", "add-passkey")))
                .containsExactly("nope");
        assertThat(training.unknown(List.of("*"))).isEmpty();
    }

    @Test
    void theCatalogueHasUniqueIdsAndEveryAnswerKeyIsOneOfItsChoices() {
        List<String> ids = training.exercises().stream().map(Exercise::id).toList();
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(ids)
                .contains(
                        "add-passkey",
                        "replace-unexpiring-token",
                        "limit-write-token-cidr",
                        "name-successor",
                        "set-up-trusted-publishing");
        assertThatThrownBy(
                        () ->
                                new Exercise.Question(
                                        "q",
                                        "t",
                                        "g",
                                        false,
                                        "p",
                                        List.of(new Exercise.Choice("a", "A")),
                                        "b",
                                        "e"))
                .hasMessage("q: its answer is none of its choices");
    }

    private List<String> missing(String user, List<String> required) {
        return store.read(tx -> training.missing(tx, user, required));
    }

    private Training.Status status(String user, String id) {
        return training.statuses(user).stream()
                .filter(s -> s.exercise().id().equals(id))
                .findFirst()
                .orElseThrow();
    }
}
