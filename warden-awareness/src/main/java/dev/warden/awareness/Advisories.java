package dev.warden.awareness;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.accounts.Principal;
import dev.warden.common.Problem;
import dev.warden.storage.AdvisoryDrafts;
import dev.warden.storage.AdvisoryDrafts.Draft;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.MetadataStore.ReadTx;

import org.semver4j.Semver;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Private security advisories: a maintainer of a package drafts one, invites others (maintainers of
 * dependent packages, the reporter) to read and discuss it, and publishes it as an OSV record.
 *
 * <p>Design note: whether a draft exists is itself confidential. Everyone who may not read a draft
 * (anonymous callers, other maintainers, admins, a token limited to other packages) gets the same
 * 404 as for an id that was never issued, and every check that could tell them apart runs after
 * that one. Those who may read it are the package's maintainers (with a credential covering the
 * package) and the invited; only maintainers change it. Drafting, invitations and comments are not
 * logged publicly (that would reveal the draft); publishing and withdrawing are transparency-log
 * statements ({@code advisory.published}, {@code advisory.withdrawn}) recorded in the transaction
 * that stores the record.
 */
public final class Advisories {

    static final int MAX_INVITES = 100;
    static final int MAX_COMMENTS = 1000;
    static final int MAX_COMMENT = 16 * 1024;
    static final int MAX_LISTED = 500;

    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern USER = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Who is reading a draft. */
    enum Role {
        MAINTAINER,
        INVITED
    }

    /** A change and the transparency-log indexes of its statements. */
    public record Logged<T>(T value, List<Long> logIndexes) {}

    private final MetadataStore store;
    private final AdvisoryFacts facts;
    private final Clock clock;

    public Advisories(MetadataStore store, AdvisoryFacts facts, Clock clock) {
        this.store = store;
        this.facts = facts;
        this.clock = clock;
    }

    /** Drafts an advisory about a package {@code by} maintains; answers the draft. */
    public Map<String, Object> create(DraftInput in, Principal by) {
        requirePerson(by);
        Instant now = clock.instant();
        String id = UUID.randomUUID().toString();
        return store.write(
                tx -> {
                    if (!facts.covers(by, in.pkg())
                            || !facts.mayMaintain(tx, in.pkg(), by.user())) {
                        // not "not a maintainer": a restricted package's name stays unconfirmed
                        throw Problem.forbidden(
                                "only maintainers of "
                                        + Problem.clip(in.pkg())
                                        + " may draft advisories about it");
                    }
                    Draft d =
                            new Draft(
                                    id,
                                    in.pkg(),
                                    in.affected().strip(),
                                    in.severity().npm(),
                                    in.summary().strip(),
                                    in.details(),
                                    emptyToNull(in.patched()),
                                    references(
                                            in.references() == null ? List.of() : in.references()),
                                    by.user(),
                                    now,
                                    now,
                                    null);
                    checkPatched(tx, d);
                    tx.advisoryDrafts().insert(d);
                    return view(tx, d, Role.MAINTAINER);
                });
    }

    /** The draft, its invitations and discussion, for those who may read it; 404 for others. */
    public Map<String, Object> get(String id, Principal by) {
        return store.read(
                tx -> {
                    Draft d = visible(tx, id, by);
                    return view(tx, d, role(tx, d, by).orElseThrow());
                });
    }

    /** Drafts {@code by} may read: of packages they maintain, and those they were invited to. */
    public List<Map<String, Object>> mine(Principal by) {
        if (by == null) {
            throw Problem.unauthorized("you must be logged in to do this: run npm login");
        }
        return store.read(
                tx -> {
                    List<Map<String, Object>> out = new ArrayList<>();
                    for (Draft d :
                            tx.advisoryDrafts()
                                    .candidates(
                                            by.user(),
                                            facts.maintainedBy(tx, by.user()),
                                            MAX_LISTED)) {
                        Optional<Role> r = role(tx, d, by);
                        if (r.isPresent()) {
                            out.add(summary(d, r.get()));
                        }
                    }
                    return out;
                });
    }

    /** Changes the fields given; maintainers only, and only while it is a draft. */
    public Map<String, Object> edit(String id, DraftInput in, Principal by) {
        return store.write(
                tx -> {
                    Draft d = writable(tx, id, by, "edit");
                    Draft changed =
                            new Draft(
                                    d.id(),
                                    d.pkg(),
                                    in.affected() == null ? d.affected() : in.affected().strip(),
                                    in.severity() == null ? d.severity() : in.severity().npm(),
                                    in.summary() == null ? d.summary() : in.summary().strip(),
                                    in.details() == null ? d.details() : in.details(),
                                    in.patched() == null ? d.patched() : emptyToNull(in.patched()),
                                    in.references() == null
                                            ? d.references()
                                            : references(in.references()),
                                    d.createdBy(),
                                    d.created(),
                                    clock.instant(),
                                    null);
                    checkPatched(tx, changed);
                    tx.advisoryDrafts().update(changed);
                    return view(tx, changed, Role.MAINTAINER);
                });
    }

    /** Lets {@code user} read the draft and take part in its discussion. */
    public Map<String, Object> invite(String id, String user, Principal by) {
        return store.write(
                tx -> {
                    Draft d = writable(tx, id, by, "invite people to");
                    String name = userName(user);
                    if (tx.users().find(name).isEmpty()) {
                        throw Problem.notFound("there is no user " + name + " to invite");
                    }
                    if (tx.advisoryDrafts().invites(id).size() >= MAX_INVITES) {
                        throw Problem.conflict(
                                "a draft has at most " + MAX_INVITES + " invited people");
                    }
                    tx.advisoryDrafts().invite(id, name, by.user(), clock.instant());
                    return view(tx, d, Role.MAINTAINER);
                });
    }

    /** Takes an invitation back: the user no longer learns anything about the draft. */
    public Map<String, Object> uninvite(String id, String user, Principal by) {
        return store.write(
                tx -> {
                    Draft d = writable(tx, id, by, "remove people from");
                    if (!tx.advisoryDrafts().uninvite(id, userName(user))) {
                        throw Problem.notFound(
                                Problem.clip(user) + " is not invited to this draft");
                    }
                    return view(tx, d, Role.MAINTAINER);
                });
    }

    /** Adds a message to the draft's private discussion (maintainers and the invited). */
    public Map<String, Object> comment(String id, String text, Principal by) {
        if (text == null || text.isBlank()) {
            throw Problem.badRequest("a comment has text");
        }
        if (text.length() > MAX_COMMENT) {
            throw Problem.badRequest(
                    "a comment is at most " + MAX_COMMENT + " characters (" + text.length() + ")");
        }
        if (text.indexOf('\0') >= 0) {
            throw Problem.badRequest("a comment contains a NUL character");
        }
        return store.write(
                tx -> {
                    Draft d = visible(tx, id, by);
                    Role r = role(tx, d, by).orElseThrow();
                    requireWriter(by);
                    if (tx.advisoryDrafts().commentCount(id) >= MAX_COMMENTS) {
                        throw Problem.conflict(
                                "this draft's discussion is full (" + MAX_COMMENTS + " comments)");
                    }
                    tx.advisoryDrafts().comment(id, by.user(), text, clock.instant());
                    return view(tx, d, r);
                });
    }

    /**
     * Publishes the draft as an OSV record, in the transaction that marks it published, with its
     * log statement; {@code by} proved a second factor.
     */
    public Logged<OsvRecord> publish(String id, Principal by) {
        AdvisoryFacts.Statements log = facts.statements();
        OsvRecord record =
                store.write(
                        tx -> {
                            Draft d = writable(tx, id, by, "publish");
                            checkPatched(tx, d);
                            Instant now = clock.instant();
                            OsvRecord r =
                                    new OsvRecord(
                                            OsvRecords.nextId(tx, OsvRecords.ADVISORY, now),
                                            now,
                                            now,
                                            null,
                                            d.summary(),
                                            d.details(),
                                            AdvisorySeverity.parse(d.severity()),
                                            List.of(
                                                    new OsvRecord.Affected(
                                                            d.pkg(),
                                                            NpmRanges.parse(d.affected()),
                                                            List.of())),
                                            List.of(),
                                            readReferences(d.references()).stream()
                                                    .map(u -> new OsvRecord.Reference("WEB", u))
                                                    .toList());
                            OsvRecords.put(tx, r);
                            tx.advisoryDrafts()
                                    .update(
                                            new Draft(
                                                    d.id(),
                                                    d.pkg(),
                                                    d.affected(),
                                                    d.severity(),
                                                    d.summary(),
                                                    d.details(),
                                                    d.patched(),
                                                    d.references(),
                                                    d.createdBy(),
                                                    d.created(),
                                                    now,
                                                    r.id()));
                            log.record(
                                    tx, "advisory.published", d.pkg(), by.user(), now, detail(r));
                            return r;
                        });
        return new Logged<>(record, log.log());
    }

    /** Withdraws a published advisory: still served by id, no longer by the audit endpoints. */
    public Logged<OsvRecord> withdraw(String id, Principal by) {
        AdvisoryFacts.Statements log = facts.statements();
        OsvRecord record =
                store.write(
                        tx -> {
                            Draft d = visible(tx, id, by);
                            requireMaintainer(tx, d, by, "withdraw");
                            if (d.osvId() == null) {
                                throw Problem.conflict(
                                        "this draft is not published: there is nothing to"
                                                + " withdraw");
                            }
                            OsvRecord r =
                                    tx.osvRows()
                                            .get(d.osvId())
                                            .map(row -> OsvRecord.fromBytes(row.json()))
                                            .orElseThrow(
                                                    () ->
                                                            new IllegalStateException(
                                                                    "draft "
                                                                            + id
                                                                            + " names a missing"
                                                                            + " record"));
                            if (r.withdrawn() != null) {
                                throw Problem.conflict(
                                        r.id() + " was withdrawn at " + r.withdrawn());
                            }
                            Instant now = clock.instant();
                            OsvRecord w =
                                    new OsvRecord(
                                            r.id(),
                                            r.published(),
                                            now,
                                            now,
                                            r.summary(),
                                            r.details(),
                                            r.severity(),
                                            r.affected(),
                                            r.aliases(),
                                            r.references());
                            OsvRecords.put(tx, w);
                            log.record(
                                    tx, "advisory.withdrawn", d.pkg(), by.user(), now, detail(w));
                            return w;
                        });
        return new Logged<>(record, log.log());
    }

    // ---------------------------------------------------------------- who may do what

    /** The draft if {@code by} may read it; the same 404 as a forged id otherwise. */
    private Draft visible(ReadTx tx, String id, Principal by) {
        Optional<Draft> d =
                id != null && UUID_TEXT.matcher(id).matches()
                        ? tx.advisoryDrafts().find(id)
                        : Optional.empty();
        if (d.isEmpty() || by == null || role(tx, d.get(), by).isEmpty()) {
            throw Problem.notFound(
                    "there is no advisory draft " + Problem.clip(String.valueOf(id)));
        }
        return d.get();
    }

    private Optional<Role> role(ReadTx tx, Draft d, Principal by) {
        if (by == null || by.publisher() != null || !facts.covers(by, d.pkg())) {
            return Optional.empty();
        }
        if (facts.mayMaintain(tx, d.pkg(), by.user())) {
            return Optional.of(Role.MAINTAINER);
        }
        return tx.advisoryDrafts().isInvited(d.id(), by.user())
                ? Optional.of(Role.INVITED)
                : Optional.empty();
    }

    /** A draft a maintainer changes: visible, a maintainer's, writable, not yet published. */
    private Draft writable(ReadTx tx, String id, Principal by, String what) {
        Draft d = visible(tx, id, by);
        requireMaintainer(tx, d, by, what);
        if (d.osvId() != null) {
            throw Problem.conflict(
                    "this draft was published as "
                            + d.osvId()
                            + "; it cannot change any more (withdraw it and draft a new one)");
        }
        return d;
    }

    private void requireMaintainer(ReadTx tx, Draft d, Principal by, String what) {
        if (role(tx, d, by).orElseThrow() != Role.MAINTAINER) {
            throw Problem.forbidden(
                    "only maintainers of " + d.pkg() + " may " + what + " this draft");
        }
        requireWriter(by);
    }

    private static void requireWriter(Principal by) {
        if (!by.canWrite()) {
            throw Problem.forbidden("this token is read-only");
        }
    }

    private static void requirePerson(Principal by) {
        if (by == null) {
            throw Problem.unauthorized("you must be logged in to do this: run npm login");
        }
        requireWriter(by);
        if (by.publisher() != null) {
            throw Problem.forbidden("a trusted publisher's token cannot draft advisories");
        }
    }

    /**
     * The first fixed version, when given, must be published and lie above every affected version,
     * so that it is a real upgrade.
     */
    private void checkPatched(ReadTx tx, Draft d) {
        if (d.patched() == null) {
            return;
        }
        if (!facts.published(tx, d.pkg(), d.patched())) {
            throw Problem.badRequest(
                    "patched version " + d.patched() + " of " + d.pkg() + " is not published");
        }
        Semver p = new Semver(d.patched());
        for (AffectedRange r : NpmRanges.parse(d.affected())) {
            boolean below =
                    r.fixed() != null
                            ? !p.isLowerThan(r.fixed())
                            : r.lastAffected() != null && p.isGreaterThan(r.lastAffected());
            if (!below) {
                throw Problem.badRequest(
                        "patched version "
                                + d.patched()
                                + " is not above the affected versions '"
                                + r.npm()
                                + "'");
            }
        }
    }

    // ---------------------------------------------------------------- views

    private static Map<String, Object> summary(Draft d, Role role) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", d.id());
        out.put("package", d.pkg());
        out.put("affected", d.affected());
        out.put("severity", d.severity());
        out.put("summary", d.summary());
        out.put("state", d.osvId() == null ? "draft" : "published");
        if (d.osvId() != null) {
            out.put("osvId", d.osvId());
        }
        out.put("role", role.name().toLowerCase(java.util.Locale.ROOT));
        out.put("createdBy", d.createdBy());
        out.put("created", d.created().toString());
        out.put("updated", d.updated().toString());
        return out;
    }

    private static Map<String, Object> view(ReadTx tx, Draft d, Role role) {
        Map<String, Object> out = summary(d, role);
        if (d.osvId() != null) {
            tx.osvRows()
                    .get(d.osvId())
                    .filter(dev.warden.storage.OsvRows.Row::withdrawn)
                    .ifPresent(r -> out.put("state", "withdrawn"));
        }
        out.put("details", d.details());
        out.put("patched", d.patched());
        out.put("references", readReferences(d.references()));
        List<Map<String, Object>> invited = new ArrayList<>();
        for (AdvisoryDrafts.Invite i : tx.advisoryDrafts().invites(d.id())) {
            invited.add(
                    Map.of("user", i.user(), "invitedBy", i.invitedBy(), "at", i.at().toString()));
        }
        out.put("invited", invited);
        List<Map<String, Object>> comments = new ArrayList<>();
        for (AdvisoryDrafts.Comment c : tx.advisoryDrafts().comments(d.id())) {
            comments.add(Map.of("user", c.user(), "text", c.text(), "at", c.at().toString()));
        }
        out.put("comments", comments);
        return out;
    }

    private static Map<String, Object> detail(OsvRecord r) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("advisory", r.id());
        detail.put("severity", r.severity().npm());
        detail.put("affected", r.affected().get(0).npmRange());
        detail.put("summary", r.summary());
        return detail;
    }

    private static String userName(String user) {
        String u = user == null ? "" : user.strip();
        if (!USER.matcher(u).matches()) {
            throw Problem.badRequest(
                    "'" + Problem.clip(String.valueOf(user)) + "' is not a user name");
        }
        return u;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static String references(List<String> urls) {
        try {
            return JSON.writeValueAsString(urls);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> readReferences(String json) {
        try {
            return List.of(JSON.readValue(json, String[].class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored references are not a JSON list", e);
        }
    }
}
