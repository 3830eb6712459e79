package dev.warden.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.accounts.Principal;
import dev.warden.common.Problem;
import dev.warden.governance.Actor;
import dev.warden.governance.Change;
import dev.warden.governance.Decision;
import dev.warden.governance.PackageGovernance;
import dev.warden.governance.Rules;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.MetadataStore.WriteTx;
import dev.warden.storage.Packages.PackageRecord;
import dev.warden.storage.Versions.VersionRecord;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Changes a client makes by sending a package's document back ({@code PUT /:pkg/-rev/:rev}): stars,
 * owners, deprecations and version removals, each with its own permission check; and the owner and
 * version changes that governance approved.
 */
final class DocumentUpdates {

    private final MetadataStore store;
    private final ObjectMapper json;
    private final Packuments docs;
    private final Outbox outbox;
    private final PackageGovernance governance;
    private final Registry.SensitiveGuard guard;
    private final Visibility visibility;
    private final PackageWrites writes;
    private final Unpublishing unpublishing;
    private final Listeners listeners;

    DocumentUpdates(
            MetadataStore store,
            ObjectMapper json,
            Packuments docs,
            Outbox outbox,
            PackageGovernance governance,
            Registry.SensitiveGuard guard,
            Visibility visibility,
            PackageWrites writes,
            Unpublishing unpublishing,
            Listeners listeners) {
        this.store = store;
        this.json = json;
        this.docs = docs;
        this.outbox = outbox;
        this.governance = governance;
        this.guard = guard;
        this.visibility = visibility;
        this.writes = writes;
        this.unpublishing = unpublishing;
        this.listeners = listeners;
    }

    Registry.Updated updateDocument(
            String name, String rev, ObjectNode body, Principal principal, boolean approved) {
        if (isStarOnly(body)) {
            Authority.requireWriter(principal);
        } else {
            Authority.requireWriter(principal, name);
        }
        if (body.has("_attachments") && body.get("_attachments").size() > 0) {
            throw Problem.badRequest("attachments are only accepted when publishing a new version");
        }
        String bodyName = body.path("_id").asText(body.path("name").asText(name));
        if (!bodyName.equals(name)) {
            throw Problem.badRequest("document _id does not match the URL");
        }
        Instant now = writes.now();
        boolean[] removedAll = {false};
        visibility.requireReadable(name, principal);
        holdVersionChanges(name, body, principal, approved);
        List<String> affected = new ArrayList<>();
        List<java.util.Map<String, Object>> ownerChanges = new ArrayList<>(1);
        List<Outbox.PendingEvent> events = new ArrayList<>(2);
        List<String> notices = new ArrayList<>(1);
        store.write(
                tx -> {
                    PackageRecord pkg = PackageWrites.livePackage(tx, name);
                    PackageWrites.checkRev(
                            name, pkg, rev != null ? rev : body.path("_rev").asText(null));
                    boolean maintainer = Authority.mayMaintain(tx, name, principal.user());
                    boolean changed = false;

                    JsonNode users = body.get("users");
                    if (users != null && users.isObject()) {
                        boolean starred = tx.stars().of(name).contains(principal.user());
                        boolean wants = users.path(principal.user()).asBoolean(false);
                        if (starred != wants) {
                            if (wants) {
                                tx.stars().add(name, principal.user());
                            } else {
                                tx.stars().remove(name, principal.user());
                            }
                            changed = true;
                        }
                        for (Iterator<String> it = users.fieldNames(); it.hasNext(); ) {
                            String u = it.next();
                            if (!u.equals(principal.user()) && !tx.stars().of(name).contains(u)) {
                                throw Problem.forbidden("you can only star or unstar as yourself");
                            }
                        }
                    }

                    JsonNode maintainers = body.get("maintainers");
                    if (maintainers != null) {
                        java.util.Map<String, Object> ownerChange =
                                ownerChange(tx, name, maintainers, principal, maintainer);
                        Decision decision =
                                ownerChange == null
                                        ? Decision.LIVE
                                        : Rules.decide(
                                                new Rules.Facts(
                                                        governance.policy(tx, name),
                                                        new Actor(
                                                                maintainer,
                                                                principal.publisher() != null,
                                                                approved),
                                                        new Change.Owners(
                                                                strings(ownerChange.get("added")),
                                                                strings(
                                                                        ownerChange.get(
                                                                                "removed")))));
                        if (decision instanceof Decision.Held held) {
                            int approvals = held.approvals();
                            // a critical change to a governed package: held until the quorum
                            // approves it
                            Map<String, Object> payload = new LinkedHashMap<>();
                            payload.put("added", ownerChange.get("added"));
                            payload.put("removed", ownerChange.get("removed"));
                            String id =
                                    governance.requestChange(
                                            tx,
                                            GovernanceLink.over(outbox, events),
                                            name,
                                            "owners",
                                            payload,
                                            principal,
                                            approvals,
                                            now);
                            notices.add(
                                    "warden: "
                                            + name
                                            + " is governed: adding or removing maintainers needs "
                                            + approvals
                                            + " other maintainer(s)' approval; it is pending as"
                                            + " change request "
                                            + id
                                            + " (warden governance approve "
                                            + id
                                            + ")");
                        } else if (ownerChange != null) {
                            applyOwnerChange(tx, name, ownerChange, now);
                            ownerChanges.add(ownerChange);
                            outbox.record(
                                    tx,
                                    events,
                                    "package.owners-changed",
                                    name,
                                    null,
                                    principal.user(),
                                    now,
                                    ownerChange);
                            changed = true;
                        }
                    }

                    JsonNode versions = body.get("versions");
                    if (versions != null && versions.isObject()) {
                        List<VersionRecord> live =
                                tx.versions().all(name).stream()
                                        .filter(VersionRecord::live)
                                        .toList();
                        List<VersionRecord> removed = new ArrayList<>();
                        for (VersionRecord v : live) {
                            JsonNode sent = versions.get(v.version());
                            if (sent == null) {
                                removed.add(v);
                                continue;
                            }
                            JsonNode dep = sent.get("deprecated");
                            String wanted = dep == null || dep.isNull() ? "" : dep.asText();
                            String current = v.deprecated() == null ? "" : v.deprecated();
                            if (!wanted.equals(current)) {
                                Authority.requireMaintainerFlag(maintainer, name);
                                if (wanted.length() > 1024) {
                                    throw Problem.badRequest(
                                            "deprecation message is longer than 1024 characters");
                                }
                                tx.versions()
                                        .setDeprecated(
                                                name,
                                                v.version(),
                                                wanted.isEmpty() ? null : wanted);
                                changed = true;
                            }
                        }
                        for (Iterator<String> it = versions.fieldNames(); it.hasNext(); ) {
                            String v = it.next();
                            if (live.stream().noneMatch(r -> r.version().equals(v))) {
                                throw Problem.badRequest(
                                        "version "
                                                + Problem.clip(v)
                                                + " is not published; use npm publish to add"
                                                + " versions");
                            }
                        }
                        if (!removed.isEmpty()) {
                            Authority.requireMaintainerFlag(maintainer, name);
                            if (removed.size() == live.size()) {
                                unpublishing.checkUnpublishAllowed(tx, pkg, removed, now);
                                removed.forEach(v -> affected.add(v.version()));
                                Unpublishing.unpublishWhole(tx, pkg, now);
                                outbox.record(
                                        tx,
                                        events,
                                        "package.unpublished",
                                        name,
                                        null,
                                        principal.user(),
                                        now,
                                        Map.of("versions", List.copyOf(affected), "whole", true));
                                removedAll[0] = true;
                                return null;
                            }
                            unpublishing.checkUnpublishAllowed(tx, pkg, removed, now);
                            for (VersionRecord v : removed) {
                                affected.add(v.version());
                                tx.versions().setUnpublished(name, v.version(), now);
                                tx.dependencies().removeVersion(name, v.version());
                            }
                            retag(tx, name, body.get("dist-tags"));
                            outbox.record(
                                    tx,
                                    events,
                                    "package.unpublished",
                                    name,
                                    null,
                                    principal.user(),
                                    now,
                                    Map.of(
                                            "versions",
                                            List.copyOf(affected),
                                            "whole",
                                            false,
                                            "tags",
                                            tx.tags().of(name)));
                            changed = true;
                        }
                    }
                    if (changed) {
                        tx.packages().update(pkg.touched(now));
                        docs.rebuild(tx, name);
                    }
                    return null;
                });
        if (removedAll[0]) {
            docs.drop(name, affected);
        } else {
            docs.refresh(name, affected);
        }
        List<Long> indexes = outbox.log(events);
        ownerChanges.forEach(
                owners -> listeners.emit("package.owners-changed", principal.user(), name, owners));
        if (!affected.isEmpty()) {
            listeners.emit(
                    "package.unpublished",
                    principal.user(),
                    name,
                    java.util.Map.of("versions", affected));
        }
        return new Registry.Updated(indexes, notices);
    }

    /** The owner change a document asks for, checked but not applied; null when it asks none. */
    private java.util.Map<String, Object> ownerChange(
            WriteTx tx,
            String name,
            JsonNode maintainers,
            Principal principal,
            boolean maintainer) {
        if (!maintainers.isArray()) {
            throw Problem.badRequest("maintainers must be an array");
        }
        Set<String> wanted = new LinkedHashSet<>();
        for (JsonNode m : maintainers) {
            String user = m.isTextual() ? m.asText() : m.path("name").asText("");
            if (user.isEmpty()) {
                throw Problem.badRequest("each maintainer needs a name");
            }
            wanted.add(user);
        }
        List<String> current = tx.maintainers().of(name);
        if (wanted.equals(new LinkedHashSet<>(current))) {
            return null;
        }
        Authority.requireMaintainerFlag(maintainer, name);
        if (wanted.isEmpty()) {
            throw Problem.badRequest("a package must keep at least one maintainer");
        }
        guard.check(principal.user());
        for (String user : wanted) {
            if (!current.contains(user) && tx.users().find(user).isEmpty()) {
                throw Problem.notFound("user " + Problem.clip(user) + " does not exist");
            }
        }
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("before", List.copyOf(current));
        change.put("after", List.copyOf(wanted));
        change.put("added", wanted.stream().filter(u -> !current.contains(u)).toList());
        change.put("removed", current.stream().filter(u -> !wanted.contains(u)).toList());
        return change;
    }

    /**
     * Deprecations and version removals in a document update of a governed package are held for
     * approval.
     */
    private void holdVersionChanges(
            String name, ObjectNode body, Principal principal, boolean approved) {
        JsonNode versions = body.get("versions");
        if (versions == null || !versions.isObject()) {
            return;
        }
        ObjectNode deprecate = json.createObjectNode();
        List<String> unpublish = new ArrayList<>();
        store.read(
                tx -> {
                    for (VersionRecord v : tx.versions().all(name)) {
                        if (!v.live()) {
                            continue;
                        }
                        JsonNode sent = versions.get(v.version());
                        if (sent == null) {
                            unpublish.add(v.version());
                            continue;
                        }
                        JsonNode dep = sent.get("deprecated");
                        String wanted = dep == null || dep.isNull() ? "" : dep.asText();
                        if (!wanted.equals(v.deprecated() == null ? "" : v.deprecated())) {
                            deprecate.put(v.version(), wanted);
                        }
                    }
                    return null;
                });
        if (deprecate.isEmpty() && unpublish.isEmpty()) {
            return;
        }
        Map<String, String> deprecations = new LinkedHashMap<>();
        deprecate.properties().forEach(e -> deprecations.put(e.getKey(), e.getValue().asText()));
        governance.hold(name, new Change.Versions(deprecations, unpublish), principal, approved);
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object list) {
        return (List<String>) list;
    }

    /**
     * Applies approved deprecations and version removals: the current document with just those
     * changes, so whatever happened meanwhile stays.
     */
    List<Long> applyVersionChanges(
            String name,
            Map<String, String> deprecate,
            List<String> unpublish,
            Principal requester) {
        ObjectNode body = json.createObjectNode();
        body.put("_id", name);
        ObjectNode versions = body.putObject("versions");
        Map<String, String> tags =
                store.read(
                        tx -> {
                            for (VersionRecord v : tx.versions().all(name)) {
                                if (v.live() && !unpublish.contains(v.version())) {
                                    ObjectNode o = versions.putObject(v.version());
                                    String d = deprecate.get(v.version());
                                    String message = d != null ? d : v.deprecated();
                                    if (message != null && !message.isEmpty()) {
                                        o.put("deprecated", message);
                                    }
                                }
                            }
                            return tx.tags().of(name);
                        });
        ObjectNode distTags = body.putObject("dist-tags");
        tags.forEach(
                (tag, v) -> {
                    if (!unpublish.contains(v)) {
                        distTags.put(tag, v);
                    }
                });
        return updateDocument(name, null, body, requester, true).logIndexes();
    }

    @SuppressWarnings("unchecked")
    private static void applyOwnerChange(
            WriteTx tx, String name, Map<String, Object> change, Instant now) {
        ((List<String>) change.get("added")).forEach(u -> tx.maintainers().add(name, u, now));
        ((List<String>) change.get("removed")).forEach(u -> tx.maintainers().remove(name, u));
    }

    /**
     * Applies an owner change that the quorum approved: the users added that still exist join,
     * those removed leave, as long as one maintainer remains.
     */
    List<Long> applyApprovedOwners(
            String name,
            List<String> added,
            List<String> removed,
            String requester,
            Map<String, Object> approval) {
        List<Outbox.PendingEvent> events = new ArrayList<>(1);
        Instant now = writes.now();
        Map<String, Object> change =
                store.write(
                        tx -> {
                            PackageWrites.livePackage(tx, name);
                            List<String> before = tx.maintainers().of(name);
                            Set<String> after = new LinkedHashSet<>(before);
                            added.stream()
                                    .filter(u -> tx.users().find(u).isPresent())
                                    .forEach(after::add);
                            removed.forEach(after::remove);
                            if (after.isEmpty()) {
                                throw Problem.conflict(
                                        "the approved change would leave "
                                                + name
                                                + " with no maintainer");
                            }
                            Map<String, Object> c = new LinkedHashMap<>();
                            c.put("before", List.copyOf(before));
                            c.put("after", List.copyOf(after));
                            c.put(
                                    "added",
                                    after.stream().filter(u -> !before.contains(u)).toList());
                            c.put(
                                    "removed",
                                    before.stream().filter(u -> !after.contains(u)).toList());
                            applyOwnerChange(tx, name, c, now);
                            Map<String, Object> detail = new LinkedHashMap<>(c);
                            detail.putAll(approval);
                            outbox.record(
                                    tx,
                                    events,
                                    "package.owners-changed",
                                    name,
                                    null,
                                    requester,
                                    now,
                                    detail);
                            tx.packages()
                                    .update(tx.packages().find(name).orElseThrow().touched(now));
                            docs.rebuild(tx, name);
                            return c;
                        });
        docs.refresh(name, List.of());
        listeners.emit("package.owners-changed", requester, name, change);
        return outbox.log(events);
    }

    /**
     * After versions are removed: drop tags pointing at them, take the client's latest if valid,
     * else the highest release.
     */
    private static void retag(WriteTx tx, String name, JsonNode sentTags) {
        Set<String> live = new LinkedHashSet<>();
        tx.versions().all(name).stream()
                .filter(VersionRecord::live)
                .forEach(v -> live.add(v.version()));
        Map<String, String> tags = tx.tags().of(name);
        tags.forEach(
                (tag, version) -> {
                    if (!live.contains(version)) {
                        tx.tags().remove(name, tag);
                    }
                });
        String latest = sentTags == null ? null : sentTags.path("latest").asText(null);
        if (latest == null || !live.contains(latest)) {
            latest = tx.tags().of(name).get("latest");
        }
        if (latest == null) {
            latest =
                    live.stream()
                            .filter(v -> !VersionNumber.isPrerelease(v))
                            .max(VersionNumber.ORDER)
                            .orElseGet(() -> live.stream().max(VersionNumber.ORDER).orElseThrow());
        }
        tx.tags().put(name, "latest", latest);
    }

    /**
     * Whether a document update only stars or unstars ({@code {_id, _rev, users}}, as npm star
     * sends it).
     */
    static boolean isStarOnly(ObjectNode body) {
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("_id") && !f.equals("_rev") && !f.equals("users")) {
                return false;
            }
        }
        return body.has("users");
    }
}
