package dev.warden.awareness;

/**
 * One next step of a posture: something open that the maintainer can fix, and where.
 *
 * @param id stable identifier, one of {@link StepIds} (training exercises and clients key on it)
 * @param importance important steps keep {@code warden doctor} failing until they are done
 * @param title one line, imperative
 * @param reason names the concrete thing: which token, which package, which co-maintainer
 * @param url where it is fixed (a page of this registry or a client's documentation)
 * @param fix a command that fixes it, or null
 * @param subject the token key, package or account the step is about
 */
public record Step(
        String id,
        Importance importance,
        String title,
        String reason,
        String url,
        String fix,
        String subject) {

    /** How much a step matters; the order is the order steps are listed in. */
    public enum Importance {
        IMPORTANT,
        RECOMMENDED;

        /** The name in JSON and in the terminal. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The one-line form of an {@code npm-notice} header or a checklist line. */
    public String oneLine() {
        return title + ": " + reason + " (" + (fix != null ? fix + "; " : "") + url + ")";
    }
}
