package dev.warden.storage;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Private security advisories before they are published: the draft, who was invited to read it, and
 * its discussion. Published advisories are {@link OsvRows}; a draft only remembers the OSV id it
 * became.
 */
public interface AdvisoryDrafts {

    /**
     * A draft.
     *
     * @param id the draft's id (a UUID; not the OSV id)
     * @param pkg the package it is about
     * @param affected the affected versions, an npm range
     * @param severity npm's level (low, moderate, high, critical)
     * @param summary one line
     * @param details Markdown, or null
     * @param patched the first fixed version, or null
     * @param references JSON array of reference URLs
     * @param createdBy who drafted it
     * @param created when
     * @param updated when it last changed
     * @param osvId the OSV id it was published as, or null while a draft
     */
    record Draft(
            String id,
            String pkg,
            String affected,
            String severity,
            String summary,
            String details,
            String patched,
            String references,
            String createdBy,
            Instant created,
            Instant updated,
            String osvId) {}

    /** Someone invited to read a draft and discuss it. */
    record Invite(String user, String invitedBy, Instant at) {}

    /** One message of a draft's private discussion. */
    record Comment(long id, String user, String text, Instant at) {}

    void insert(Draft draft);

    /** Replaces the draft's fields (all but id, package, creator and creation time). */
    void update(Draft draft);

    Optional<Draft> find(String id);

    /** Adds an invitation; false when the user was invited already. */
    boolean invite(String id, String user, String invitedBy, Instant at);

    /** Removes an invitation; false when there was none. */
    boolean uninvite(String id, String user);

    boolean isInvited(String id, String user);

    List<Invite> invites(String id);

    void comment(String id, String user, String text, Instant at);

    List<Comment> comments(String id);

    int commentCount(String id);

    /**
     * Drafts {@code user} created or was invited to, and drafts of {@code packages}, newest first,
     * at most {@code limit}; the caller still checks each.
     */
    List<Draft> candidates(String user, List<String> packages, int limit);
}
