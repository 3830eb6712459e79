package dev.warden.awareness;

import java.util.List;

/**
 * A short security exercise: a question answered on the server (its answer key never leaves it) or
 * a practical step checked from the account's real state.
 */
public sealed interface Exercise {

    /** A stable id, also the one a governance policy names. */
    String id();

    String title();

    /** The guide that teaches it. */
    String guide();

    /** Whether a policy's {@code "training": true} asks it. */
    boolean required();

    /**
     * @param answer the id of the right choice: never sent to a client
     * @param explanation why it is right, shown once answered right
     */
    record Question(
            String id,
            String title,
            String guide,
            boolean required,
            String prompt,
            List<Choice> choices,
            String answer,
            String explanation)
            implements Exercise {

        public Question {
            choices = List.copyOf(choices);
            if (choices.stream().noneMatch(c -> c.id().equals(answer))) {
                throw new IllegalArgumentException(id + ": its answer is none of its choices");
            }
        }
    }

    record Choice(String id, String text) {}

    /**
     * @param check the {@link StateCheck} step it asks (the same id as the posture's step)
     * @param instructions what to do, and where
     */
    record Step(
            String id,
            String title,
            String guide,
            boolean required,
            String instructions,
            String check)
            implements Exercise {}
}
