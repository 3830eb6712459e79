package dev.warden.governance;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.accounts.Principal;
import dev.warden.common.Problem;
import dev.warden.storage.Governance.Notice;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.MetadataStore.ReadTx;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Succession planned in the open. Maintainers name successors; when no maintainer of a package has
 * signed in or published for {@code inactive}, the registry posts a public notice and mails every
 * maintainer; if no maintainer objects within {@code window}, the first named successor is offered
 * maintainership and accepts it with a second factor. A package whose maintainers are all inactive
 * and that has no successor can be claimed: the claim is a public notice too, and any maintainer's
 * objection ends it. Nothing changes hands silently: every step is logged.
 */
public final class Succession {

    private static final Logger LOG = LoggerFactory.getLogger(Succession.class);

    /**
     * What counts as a maintainer being active: signing in, publishing, making a token, objecting
     * to a handover.
     */
    static final List<String> ACTIVITY =
            List.of(
                    "login",
                    "package.published",
                    "account.created",
                    "token.created",
                    "succession.objected");

    static final String NOTICE = "notice";
    static final String OFFERED = "offered";
    static final List<String> OPEN = List.of(NOTICE, OFFERED);
    static final int MAX_SUCCESSORS = 10;

    /** Tells a user of a notice that concerns them (by mail). */
    public interface Notifier {
        void notify(String user, String subject, String body);
    }

    private final PackageFacts facts;
    private final Events events;
    private final Enactment enactment;
    private final MetadataStore store;
    private final ObjectMapper json;
    private final Clock clock;
    private final Hold hold;
    private final Duration inactive;
    private final Duration window;
    private final Notifier notifier;

    /**
     * Holds a critical change to a governed package for approval (see {@link ChangeRequests#hold}).
     */
    interface Hold {
        void hold(String pkg, Change change, Principal principal, boolean approved);
    }

    /**
     * @param hold holds the naming of successors of a governed package for its quorum
     * @param settings how long every maintainer must have been inactive before a notice is posted,
     *     how long a notice stays open for objections, and who mails the maintainers
     */
    Succession(
            PackageFacts facts,
            Events events,
            Enactment enactment,
            MetadataStore store,
            ObjectMapper json,
            Clock clock,
            Hold hold,
            GovernanceSettings settings) {
        this.inactive = settings.successionInactive();
        this.window = settings.successionWindow();
        this.notifier = settings.notifier();
        this.facts = facts;
        this.events = events;
        this.enactment = enactment;
        this.store = store;
        this.json = json;
        this.clock = clock;
        this.hold = hold;
    }

    /** Names the successors of {@code pkg} (replacing earlier ones; an empty list removes them). */
    public List<Long> nameSuccessors(String pkg, List<String> users, Principal principal) {
        return nameSuccessors(pkg, users, principal, false);
    }

    /**
     * @param approved whether the quorum approved it (a change request being applied)
     */
    List<Long> nameSuccessors(
            String pkg, List<String> users, Principal principal, boolean approved) {
        if (users.size() > MAX_SUCCESSORS) {
            throw Problem.badRequest("name at most " + MAX_SUCCESSORS + " successors");
        }
        store.read(
                tx -> {
                    checkSuccessors(tx, pkg, users, principal);
                    return null;
                });
        // successors are who takes over one day: for a governed package, naming them is the
        // quorum's decision
        hold.hold(pkg, new Change.Successors(users), principal, approved);
        Events.Batch events = this.events.batch();
        store.write(
                tx -> {
                    checkSuccessors(tx, pkg, users, principal);
                    Instant now = PackageGovernance.now(clock);
                    tx.governance().setSuccessors(pkg, users, principal.user(), now);
                    events.record(
                            tx,
                            "succession.successors-named",
                            pkg,
                            null,
                            principal.user(),
                            now,
                            Map.of("successors", users));
                    return null;
                });
        return events.log();
    }

    private void checkSuccessors(ReadTx tx, String pkg, List<String> users, Principal principal) {
        livePackage(tx, pkg);
        requireMaintainer(tx, pkg, principal);
        List<String> maintainers = tx.maintainers().of(pkg);
        for (String u : users) {
            if (tx.users().find(u).isEmpty()) {
                throw Problem.notFound("user " + Problem.clip(u) + " does not exist");
            }
            if (maintainers.contains(u)) {
                throw Problem.badRequest(
                        Problem.clip(u) + " is a maintainer already, not a successor");
            }
        }
        if (users.stream().distinct().count() != users.size()) {
            throw Problem.badRequest("a successor is named twice");
        }
    }

    /** The public record of a package's succession: successors, activity and every notice. */
    public ObjectNode document(String pkg, Principal reader) {
        sweep();
        facts.requireReadable(pkg, reader);
        return store.read(
                tx -> {
                    livePackage(tx, pkg);
                    ObjectNode out = json.createObjectNode();
                    out.put("package", pkg);
                    out.set("successors", json.valueToTree(tx.governance().successors(pkg)));
                    lastActivity(tx, pkg)
                            .ifPresent(at -> out.put("lastMaintainerActivity", at.toString()));
                    out.put("inactiveAfterDays", inactive.toDays());
                    ArrayNode notices = out.putArray("notices");
                    tx.governance()
                            .notices(
                                    pkg,
                                    List.of(NOTICE, OFFERED, "accepted", "granted", "objected"))
                            .forEach(n -> notices.add(view(n)));
                    return out;
                });
    }

    /** Every open notice: the public board of handovers in progress. */
    public ArrayNode openNotices(Principal reader) {
        sweep();
        List<Notice> open = store.read(tx -> tx.governance().notices(null, OPEN));
        ArrayNode out = json.createArrayNode();
        open.stream().filter(n -> facts.readable(n.pkg(), reader)).forEach(n -> out.add(view(n)));
        return out;
    }

    /**
     * Asks for an abandoned package: every maintainer inactive for the period, and no successor
     * named.
     */
    public ObjectNode claim(String pkg, Principal principal) {
        facts.requireReadable(pkg, principal);
        Events.Batch events = this.events.batch();
        Instant now = PackageGovernance.now(clock);
        Notice notice =
                store.write(
                        tx -> {
                            livePackage(tx, pkg);
                            facts.requirePerson(principal, pkg, "cannot take part in succession");
                            if (tx.maintainers().of(pkg).contains(principal.user())) {
                                throw Problem.badRequest("you maintain " + pkg + " already");
                            }
                            if (!tx.governance().successors(pkg).isEmpty()) {
                                throw Problem.conflict(
                                        pkg
                                                + " has named successors: it passes to them, and"
                                                + " cannot be claimed");
                            }
                            if (!tx.governance().notices(pkg, OPEN).isEmpty()) {
                                throw Problem.conflict(
                                        pkg + " has an open succession notice already");
                            }
                            Optional<Instant> last = lastActivity(tx, pkg);
                            if (last.isPresent() && last.get().plus(inactive).isAfter(now)) {
                                throw Problem.conflict(
                                        pkg
                                                + " is maintained (last activity "
                                                + last.get()
                                                + "): it can be claimed only after "
                                                + inactive.toDays()
                                                + " days without any maintainer signing in or"
                                                + " publishing");
                            }
                            Notice n =
                                    new Notice(
                                            UUID.randomUUID().toString(),
                                            pkg,
                                            "claim",
                                            principal.user(),
                                            now,
                                            now.plus(window),
                                            NOTICE,
                                            null,
                                            null);
                            tx.governance().insertNotice(n);
                            events.record(
                                    tx,
                                    "succession.claim-posted",
                                    pkg,
                                    null,
                                    principal.user(),
                                    now,
                                    noticeDetail(n));
                            return n;
                        });
        events.log();
        tellMaintainers(
                notice,
                principal.user()
                        + " asks to take over "
                        + pkg
                        + ", whose maintainers have all been inactive. "
                        + "If you object, sign in and object before "
                        + notice.windowEnds()
                        + " (POST /-/succession/"
                        + notice.id()
                        + "/object); "
                        + "otherwise "
                        + principal.user()
                        + " becomes a maintainer then.");
        return store.read(tx -> view(notice));
    }

    /** A maintainer objects: the notice ends and nothing changes hands. */
    public List<Long> object(String id, Principal principal) {
        Events.Batch events = this.events.batch();
        Notice notice =
                store.write(
                        tx -> {
                            Notice n =
                                    tx.governance()
                                            .notice(id)
                                            .orElseThrow(
                                                    () ->
                                                            Problem.notFound(
                                                                    "no succession notice with id "
                                                                            + Problem.clip(id)));
                            requireMaintainer(tx, n.pkg(), principal);
                            if (!OPEN.contains(n.state())) {
                                throw Problem.conflict("this notice is " + n.state());
                            }
                            Instant now = PackageGovernance.now(clock);
                            tx.governance().decideNotice(id, "objected", now, principal.user());
                            events.record(
                                    tx,
                                    "succession.objected",
                                    n.pkg(),
                                    null,
                                    principal.user(),
                                    now,
                                    Map.of("noticeId", id));
                            return n;
                        });
        List<Long> indexes = events.log();
        // in the objector's history: an objection shows the maintainer is active
        this.events.emit(
                "succession.objected", principal.user(), notice.pkg(), Map.of("noticeId", id));
        return indexes;
    }

    /** The named successor accepts maintainership (its second factor checked by the caller). */
    public List<Long> accept(String id, Principal principal) {
        sweep();
        Notice n =
                store.read(tx -> tx.governance().notice(id))
                        .orElseThrow(
                                () ->
                                        Problem.notFound(
                                                "no succession notice with id "
                                                        + Problem.clip(id)));
        facts.requirePerson(principal, n.pkg(), "cannot take part in succession");
        if (!n.candidate().equals(principal.user())) {
            throw Problem.forbidden(
                    "this notice offers " + n.pkg() + " to " + n.candidate() + ", not to you");
        }
        if (!n.state().equals(OFFERED)) {
            throw Problem.conflict(
                    n.state().equals(NOTICE)
                            ? "the notice period runs until "
                                    + n.windowEnds()
                                    + "; maintainers may still object"
                            : "this notice is " + n.state());
        }
        return handOver(n, "accepted");
    }

    /**
     * Posts notices for inactive packages with successors, and moves notices whose window has
     * ended.
     */
    public int sweep() {
        Instant now = PackageGovernance.now(clock);
        List<Notice> posted = new ArrayList<>();
        List<Notice> offered = new ArrayList<>();
        List<Notice> granted = new ArrayList<>();
        Events.Batch events = this.events.batch();
        List<String> due =
                store.read(
                        tx ->
                                tx.governance().packagesWithSuccessors().stream()
                                        .filter(
                                                pkg ->
                                                        tx.packages()
                                                                .find(pkg)
                                                                .filter(p -> p.live())
                                                                .isPresent())
                                        .filter(pkg -> tx.governance().notices(pkg, OPEN).isEmpty())
                                        .filter(
                                                pkg ->
                                                        lastActivity(tx, pkg)
                                                                .map(
                                                                        at ->
                                                                                !at.plus(inactive)
                                                                                        .isAfter(
                                                                                                now))
                                                                .orElse(true))
                                        .toList());
        List<Notice> lapsed =
                store.read(
                        tx ->
                                tx.governance().notices(null, List.of(NOTICE)).stream()
                                        .filter(n -> !now.isBefore(n.windowEnds()))
                                        .toList());
        if (due.isEmpty() && lapsed.isEmpty()) {
            return 0;
        }
        store.write(
                tx -> {
                    for (String pkg : due) {
                        List<String> successors =
                                tx.governance().successors(pkg).stream()
                                        .filter(u -> tx.users().find(u).isPresent())
                                        .toList();
                        if (successors.isEmpty() || !tx.governance().notices(pkg, OPEN).isEmpty()) {
                            continue;
                        }
                        Notice n =
                                new Notice(
                                        UUID.randomUUID().toString(),
                                        pkg,
                                        "succession",
                                        successors.get(0),
                                        now,
                                        now.plus(window),
                                        NOTICE,
                                        null,
                                        null);
                        tx.governance().insertNotice(n);
                        events.record(
                                tx,
                                "succession.notice-posted",
                                pkg,
                                null,
                                "registry",
                                now,
                                noticeDetail(n));
                        posted.add(n);
                    }
                    for (Notice n : lapsed) {
                        if (n.kind().equals("succession")) {
                            tx.governance().decideNotice(n.id(), OFFERED, now, null);
                            events.record(
                                    tx,
                                    "succession.offered",
                                    n.pkg(),
                                    null,
                                    "registry",
                                    now,
                                    noticeDetail(n));
                            offered.add(n);
                        } else {
                            granted.add(n);
                        }
                    }
                    return null;
                });
        events.log();
        for (Notice n : posted) {
            LOG.info("succession notice {} posted for {}", n.id(), n.pkg());
            tellMaintainers(
                    n,
                    "No maintainer of "
                            + n.pkg()
                            + " has signed in or published for "
                            + inactive.toDays()
                            + " days. "
                            + "Unless a maintainer objects before "
                            + n.windowEnds()
                            + " (POST /-/succession/"
                            + n.id()
                            + "/object), "
                            + n.candidate()
                            + ", the successor you named, will be offered maintainership.");
        }
        for (Notice n : offered) {
            notifier.notify(
                    n.candidate(),
                    "Warden: you are offered maintainership of " + n.pkg(),
                    "The maintainers of "
                            + n.pkg()
                            + " named you their successor, and none objected to the notice. Accept"
                            + " with two-factor authentication: POST /-/succession/"
                            + n.id()
                            + "/accept with your one-time password.");
        }
        for (Notice n : granted) {
            try {
                handOver(n, "granted");
            } catch (Problem e) {
                LOG.warn(
                        "claim {} of {} could not be granted: {}", n.id(), n.pkg(), e.getMessage());
            }
        }
        return posted.size() + lapsed.size();
    }

    private List<Long> handOver(Notice n, String state) {
        Map<String, Object> detail = new LinkedHashMap<>(noticeDetail(n));
        detail.put("handover", state);
        List<Long> indexes =
                new ArrayList<>(
                        enactment.apply(
                                n.pkg(),
                                new Change.Owners(List.of(n.candidate()), List.of()),
                                n.candidate(),
                                detail));
        Events.Batch events = this.events.batch();
        store.write(
                tx -> {
                    Instant now = PackageGovernance.now(clock);
                    tx.governance().decideNotice(n.id(), state, now, n.candidate());
                    events.record(
                            tx,
                            "succession." + state,
                            n.pkg(),
                            null,
                            n.candidate(),
                            now,
                            noticeDetail(n));
                    return null;
                });
        indexes.addAll(events.log());
        LOG.info("{} is now a maintainer of {} ({} {})", n.candidate(), n.pkg(), n.kind(), state);
        return indexes;
    }

    private void tellMaintainers(Notice n, String body) {
        List<String> maintainers = store.read(tx -> tx.maintainers().of(n.pkg()));
        for (String m : maintainers) {
            notifier.notify(m, "Warden: public notice about " + n.pkg(), body);
        }
    }

    /** The newest activity of any maintainer of {@code pkg}. */
    private static Optional<Instant> lastActivity(ReadTx tx, String pkg) {
        Instant last = null;
        for (String m : tx.maintainers().of(pkg)) {
            Optional<Instant> at = tx.securityEvents().latestOf(m, ACTIVITY);
            if (at.isPresent() && (last == null || at.get().isAfter(last))) {
                last = at.get();
            }
        }
        return Optional.ofNullable(last);
    }

    private static Map<String, Object> noticeDetail(Notice n) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("noticeId", n.id());
        d.put("kind", n.kind());
        d.put("candidate", n.candidate());
        d.put("windowEnds", n.windowEnds().toString());
        return d;
    }

    private ObjectNode view(Notice n) {
        ObjectNode o = json.createObjectNode();
        o.put("id", n.id());
        o.put("package", n.pkg());
        o.put("kind", n.kind());
        o.put("candidate", n.candidate());
        o.put("posted", n.posted().toString());
        o.put("windowEnds", n.windowEnds().toString());
        o.put("state", n.state());
        if (n.decided() != null) {
            o.put("decided", n.decided().toString());
        }
        return o;
    }

    private static void livePackage(ReadTx tx, String pkg) {
        tx.packages()
                .find(pkg)
                .filter(p -> p.live())
                .orElseThrow(() -> Problem.notFound("package " + Problem.clip(pkg) + " not found"));
    }

    private void requireMaintainer(ReadTx tx, String pkg, Principal principal) {
        facts.requireMaintainer(tx, pkg, principal, "cannot take part in succession");
    }
}
