package dev.warden.server;

import java.util.List;

/** What the guide and exercise pages show, as their templates take it (see {@link Views}). */
final class TrainingViews {

    private TrainingViews() {}

    record GuideLink(String slug, String title, String summary) {}

    record GuideIndex(List<GuideLink> guides, boolean signedIn) {}

    /**
     * @param html the guide rendered by awareness's {@code Guides}: Markdown with raw HTML escaped
     */
    record GuidePage(String title, String html, List<GuideLink> guides) {}

    /**
     * @param notice the outcome of the attempt just made, or null
     */
    record Exercises(String user, String csrf, List<Item> items, Notice notice) {}

    /**
     * @param completed when it was completed, or null while open
     * @param prompt a question's prompt, else null
     * @param instructions a step's instructions, else null
     * @param stateNow for an open step, what Warden reads of the account now, else null
     */
    record Item(
            String id,
            String title,
            String guide,
            boolean required,
            String completed,
            String prompt,
            List<Choice> choices,
            String instructions,
            String stateNow) {}

    record Choice(String id, String text) {}

    record Notice(String exercise, String text, boolean ok) {}
}
