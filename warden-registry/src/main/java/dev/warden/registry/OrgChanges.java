package dev.warden.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.accounts.Organizations;
import dev.warden.accounts.Principal;
import dev.warden.common.HeldForApproval;
import dev.warden.common.Problem;
import dev.warden.governance.PackageGovernance;
import dev.warden.governance.RequestGroups;
import dev.warden.storage.Governance.ChangeRequest;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.MetadataStore.ReadTx;
import dev.warden.storage.MetadataStore.WriteTx;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Changes to an organization's members, roles, teams and grants. Each changes who may act on the
 * org's packages (owners and admins, and members of teams granted a package read-write, may), so
 * for a governed package each is a way to make an approver:
 *
 * <ol>
 *   <li>the change runs in one transaction with a look at the governed packages of the org's scope
 *       before and after it; if anyone would become able to act on one of them, the transaction is
 *       rolled back and the change is held instead: one change request per such package, tied
 *       together as a group, each for that package's quorum (the requester's own approval never
 *       counts, nor does that of the person the change would empower);
 *   <li>when every request of the group has its quorum, the change is made as asked, re-checked as
 *       the organization stands then;
 *   <li>every change, held or not, is a transparency-log statement ({@code org.*}) written in the
 *       change's transaction, and an entry in the actor's security history.
 * </ol>
 */
public final class OrgChanges {

    /** One change; fields a kind does not use are null. */
    record Change(
            String op,
            String org,
            String user,
            String role,
            String team,
            String pkg,
            String permission,
            String description) {

        Map<String, Object> detail() {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("org", org);
            put(d, "user", user);
            put(d, "role", role);
            put(d, "team", team);
            put(d, "package", pkg);
            put(d, "permission", permission);
            put(d, "description", description);
            return d;
        }

        private static void put(Map<String, Object> d, String key, String value) {
            if (value != null) {
                d.put(key, value);
            }
        }

        static Change of(String op, JsonNode p) {
            return new Change(
                    op,
                    text(p, "org"),
                    text(p, "user"),
                    text(p, "role"),
                    text(p, "team"),
                    text(p, "package"),
                    text(p, "permission"),
                    text(p, "description"));
        }

        private static String text(JsonNode p, String field) {
            return p.hasNonNull(field) ? p.get(field).asText() : null;
        }

        String describe() {
            return switch (op) {
                case "member-set" -> "making " + user + " " + role + " of " + org;
                case "team-member-added" -> "adding " + user + " to team " + org + ":" + team;
                case "granted" ->
                        "granting team " + org + ":" + team + " " + permission + " on " + pkg;
                default -> op + " in " + org;
            };
        }
    }

    /**
     * Thrown inside the change's transaction to roll it back when it would add approvers to
     * governed packages.
     */
    private static final class AddsApprovers extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient Map<String, List<String>> gained;

        AddsApprovers(Map<String, List<String>> gained) {
            super(null, null, false, false);
            this.gained = gained;
        }
    }

    static final String KIND = RequestGroups.ORG;

    /** A request of a group that has its approvals, waiting for the others'. */
    static final String WAITING = RequestGroups.WAITING;

    private final Registry registry;
    private final Outbox outbox;
    private final MetadataStore store;
    private final Organizations orgs;
    private final ObjectMapper json;

    OrgChanges(
            Registry registry,
            Outbox outbox,
            MetadataStore store,
            Organizations orgs,
            ObjectMapper json) {
        this.outbox = outbox;
        this.registry = registry;
        this.store = store;
        this.orgs = orgs;
        this.json = json;
    }

    /**
     * Creates {@code org}, owned by {@code caller}. Its owner may act on every package of the
     * scope, so over a scope with governed packages that the caller cannot act on already it is
     * refused: it would make an approver without their quorum.
     */
    public void create(String org, Principal caller) {
        change(
                new Change("created", org, caller.user(), "owner", null, null, null, null),
                caller.user(),
                null,
                null);
    }

    /** Adds a member or changes a role; returns the org's size. */
    public int setMember(String org, Principal caller, String user, String role, InetAddress from) {
        return (Integer)
                change(
                                new Change("member-set", org, user, role, null, null, null, null),
                                caller.user(),
                                from,
                                null)
                        .result();
    }

    public int removeMember(String org, Principal caller, String user, InetAddress from) {
        return (Integer)
                change(
                                new Change(
                                        "member-removed", org, user, null, null, null, null, null),
                                caller.user(),
                                from,
                                null)
                        .result();
    }

    public void addTeamMember(
            String org, Principal caller, String team, String user, InetAddress from) {
        change(
                        new Change("team-member-added", org, user, null, team, null, null, null),
                        caller.user(),
                        from,
                        null)
                .result();
    }

    public void removeTeamMember(
            String org, Principal caller, String team, String user, InetAddress from) {
        change(
                        new Change("team-member-removed", org, user, null, team, null, null, null),
                        caller.user(),
                        from,
                        null)
                .result();
    }

    public void createTeam(
            String org, Principal caller, String team, String description, InetAddress from) {
        change(
                        new Change("team-created", org, null, null, team, null, null, description),
                        caller.user(),
                        from,
                        null)
                .result();
    }

    public void deleteTeam(String org, Principal caller, String team, InetAddress from) {
        change(
                        new Change("team-deleted", org, null, null, team, null, null, null),
                        caller.user(),
                        from,
                        null)
                .result();
    }

    public void grant(
            String org,
            Principal caller,
            String team,
            String pkg,
            String permission,
            InetAddress from) {
        change(
                        new Change("granted", org, null, null, team, pkg, permission, null),
                        caller.user(),
                        from,
                        null)
                .result();
    }

    public void revoke(String org, Principal caller, String team, String pkg, InetAddress from) {
        change(
                        new Change("revoked", org, null, null, team, pkg, null, null),
                        caller.user(),
                        from,
                        null)
                .result();
    }

    private Object apply(WriteTx tx, Change c, String caller, Instant now) {
        return switch (c.op()) {
            case "created" -> {
                // who may not create it learns that first; the packages of the scope are named to
                // nobody
                boolean governedElsewhere =
                        tx.packages().names("@" + c.org()).stream()
                                .anyMatch(
                                        pkg ->
                                                registry.governance().policy(tx, pkg).approvals()
                                                                > 0
                                                        && !Authority.mayMaintain(tx, pkg, caller));
                orgs.create(tx, c.org(), caller, now);
                if (governedElsewhere) {
                    throw Problem.conflict(
                            "the scope @"
                                    + c.org()
                                    + " has governed packages you do not maintain: an organization"
                                    + " over it would make you their approver");
                }
                yield null;
            }
            case "member-set" -> orgs.setMember(tx, c.org(), caller, c.user(), c.role(), now);
            case "member-removed" -> orgs.removeMember(tx, c.org(), caller, c.user());
            case "team-member-added" -> {
                orgs.addTeamMember(tx, c.org(), caller, c.team(), c.user(), now);
                yield null;
            }
            case "team-member-removed" -> {
                orgs.removeTeamMember(tx, c.org(), caller, c.team(), c.user());
                yield null;
            }
            case "team-created" -> {
                orgs.createTeam(tx, c.org(), caller, c.team(), c.description());
                yield null;
            }
            case "team-deleted" -> {
                orgs.deleteTeam(tx, c.org(), caller, c.team());
                yield null;
            }
            case "granted" -> {
                orgs.grant(tx, c.org(), caller, c.team(), c.pkg(), c.permission(), now);
                yield null;
            }
            case "revoked" -> {
                orgs.revoke(tx, c.org(), caller, c.team(), c.pkg());
                yield null;
            }
            default -> throw new IllegalStateException("unknown organization change " + c.op());
        };
    }

    private record Done(Object result, List<Long> logIndexes) {}

    /**
     * Makes {@code c}, or holds it when it would let someone new act on a governed package.
     *
     * @param approved for a change the quorums approved: who it was approved to empower, by
     *     package; null for a change just asked for
     */
    private Done change(
            Change c, String caller, InetAddress from, Map<String, Set<String>> approved) {
        Instant now = registry.now();
        List<Outbox.PendingEvent> events = new ArrayList<>(1);
        Object result;
        try {
            result =
                    store.write(
                            tx -> {
                                Map<String, Set<String>> before = actors(tx, c);
                                Object r = apply(tx, c, caller, now);
                                Map<String, List<String>> gained = gained(tx, c, before);
                                if (approved == null && !gained.isEmpty()) {
                                    throw new AddsApprovers(gained);
                                }
                                gained.forEach(
                                        (pkg, users) -> {
                                            List<String> beyond =
                                                    users.stream()
                                                            .filter(
                                                                    u ->
                                                                            !approved.getOrDefault(
                                                                                            pkg,
                                                                                            Set
                                                                                                    .of())
                                                                                    .contains(u))
                                                            .toList();
                                            if (!beyond.isEmpty()) {
                                                throw Problem.conflict(
                                                        "the organization changed since this change"
                                                            + " was requested: it would now also"
                                                            + " let "
                                                                + String.join(", ", beyond)
                                                                + " act on "
                                                                + pkg
                                                                + ", which nobody approved; request"
                                                                + " it again");
                                            }
                                        });
                                // a grant names its package: stated under it, so a restricted
                                // package's is a commitment
                                outbox.record(
                                        tx,
                                        events,
                                        "org." + c.op(),
                                        c.pkg() != null ? c.pkg() : "@" + c.org(),
                                        null,
                                        caller,
                                        now,
                                        c.detail());
                                return r;
                            });
        } catch (AddsApprovers held) {
            throw hold(c, caller, held.gained, now);
        }
        List<Long> indexes = outbox.log(events);
        orgs.recordChange(caller, "org." + c.op(), from, c.detail());
        return new Done(result, indexes);
    }

    /**
     * The governed packages of the org's scope, each with those among the change's people who may
     * act on it.
     */
    private Map<String, Set<String>> actors(ReadTx tx, Change c) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        List<String> people = people(tx, c);
        if (people.isEmpty()) {
            return out;
        }
        for (String pkg : tx.packages().names("@" + c.org())) {
            if (registry.governance().policy(tx, pkg).approvals() > 0) {
                Set<String> may = new LinkedHashSet<>();
                people.stream().filter(u -> Authority.mayMaintain(tx, pkg, u)).forEach(may::add);
                out.put(pkg, may);
            }
        }
        return out;
    }

    /** Who the change may empower: the member it names, or every member of the team it grants. */
    private static List<String> people(ReadTx tx, Change c) {
        return switch (c.op()) {
            case "member-set", "team-member-added" -> List.of(c.user());
            case "granted" ->
                    tx.orgs().teamExists(c.org(), c.team())
                            ? tx.orgs().teamMembers(c.org(), c.team())
                            : List.of();
            default -> List.of(); // removals and revocations take power away
        };
    }

    private Map<String, List<String>> gained(ReadTx tx, Change c, Map<String, Set<String>> before) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        actors(tx, c)
                .forEach(
                        (pkg, after) -> {
                            List<String> added =
                                    after.stream()
                                            .filter(
                                                    u ->
                                                            !before.getOrDefault(pkg, Set.of())
                                                                    .contains(u))
                                            .toList();
                            if (!added.isEmpty()) {
                                out.put(pkg, added);
                            }
                        });
        return out;
    }

    /**
     * Records one change request per governed package the change would open, as a group, and says
     * so.
     */
    private HeldForApproval hold(
            Change c, String caller, Map<String, List<String>> gained, Instant now) {
        String group = UUID.randomUUID().toString();
        List<Outbox.PendingEvent> events = new ArrayList<>(gained.size());
        Principal requester = new Principal(caller, false, null);
        List<String> ids =
                store.write(
                        tx -> {
                            List<String> out = new ArrayList<>();
                            for (Map.Entry<String, List<String>> e : gained.entrySet()) {
                                Map<String, Object> payload = new LinkedHashMap<>();
                                payload.put("op", c.op());
                                payload.putAll(c.detail());
                                payload.put("newApprovers", e.getValue());
                                payload.put(
                                        "group",
                                        group); // (the other packages are not named: one of them
                                // may be restricted)
                                int approvals =
                                        registry.governance().policy(tx, e.getKey()).approvals();
                                out.add(
                                        registry.governance()
                                                .requestChange(
                                                        tx,
                                                        GovernanceLink.over(outbox, events),
                                                        e.getKey(),
                                                        KIND,
                                                        payload,
                                                        requester,
                                                        approvals,
                                                        now));
                            }
                            return out;
                        });
        List<Long> indexes = outbox.log(events);
        orgs.recordChange(
                caller, "org.change-held", null, Map.of("change", c.detail(), "requests", ids));
        Set<String> people = new LinkedHashSet<>();
        gained.values().forEach(people::addAll);
        return new HeldForApproval(
                ids.get(0),
                "warden: "
                        + c.describe()
                        + " would let "
                        + String.join(", ", people)
                        + " act on "
                        + String.join(", ", gained.keySet())
                        + ", which "
                        + (gained.size() == 1 ? "is" : "are")
                        + " governed: it needs the approval of each package's other maintainers; it"
                        + " is pending as change request(s) "
                        + String.join(", ", ids)
                        + " (warden governance approve <id>)",
                indexes);
    }

    /**
     * A request of an org change reached its quorum: the change is made once every request of its
     * group has; until then this one waits. Returns the log indexes, or null while waiting.
     */
    List<Long> applyApproved(ChangeRequest r, JsonNode payload, PackageGovernance governance) {
        String group = payload.path("group").asText();
        List<ChangeRequest> open =
                store.read(
                        tx -> {
                            List<ChangeRequest> out =
                                    new ArrayList<>(
                                            tx.governance()
                                                    .requests(null, PackageGovernance.PENDING));
                            out.addAll(tx.governance().requests(null, WAITING));
                            return out.stream()
                                    .filter(
                                            x ->
                                                    x.kind().equals(KIND)
                                                            && group.equals(
                                                                    read(x.payload())
                                                                            .path("group")
                                                                            .asText()))
                                    .toList();
                        });
        boolean all = store.read(tx -> open.stream().allMatch(x -> governance.hasQuorum(tx, x)));
        if (!all) {
            store.write(
                    tx -> {
                        tx.governance().decideRequest(r.id(), WAITING, registry.now(), null);
                        return null;
                    });
            return null;
        }
        Map<String, Set<String>> approved = new LinkedHashMap<>();
        for (ChangeRequest x : open) {
            Set<String> users = approved.computeIfAbsent(x.pkg(), k -> new LinkedHashSet<>());
            read(x.payload()).path("newApprovers").forEach(u -> users.add(u.asText()));
        }
        Change c = Change.of(payload.path("op").asText(), payload);
        List<Long> indexes;
        try {
            indexes = change(c, r.actor(), null, approved).logIndexes();
        } catch (Problem e) {
            store.write(
                    tx -> {
                        open.forEach(
                                x ->
                                        tx.governance()
                                                .decideRequest(
                                                        x.id(),
                                                        PackageGovernance.FAILED,
                                                        registry.now(),
                                                        null));
                        return null;
                    });
            throw e;
        }
        store.write(
                tx -> {
                    open.forEach(
                            x ->
                                    tx.governance()
                                            .decideRequest(
                                                    x.id(), "applied", registry.now(), null));
                    return null;
                });
        return indexes;
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
