package dev.warden.registry;

import dev.warden.accounts.Principal;
import dev.warden.common.Problem;
import dev.warden.governance.Change;
import dev.warden.governance.PackageGovernance;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.Versions.VersionRecord;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A package's dist-tags: reading them, pointing one at a version, removing one; moving latest
 * backwards is governed.
 */
final class DistTags {

    private final MetadataStore store;
    private final Outbox outbox;
    private final PackageGovernance governance;
    private final PackageWrites writes;
    private final Visibility visibility;

    DistTags(
            MetadataStore store,
            Outbox outbox,
            PackageGovernance governance,
            PackageWrites writes,
            Visibility visibility) {
        this.store = store;
        this.outbox = outbox;
        this.governance = governance;
        this.writes = writes;
        this.visibility = visibility;
    }

    Map<String, String> of(String name, Principal reader) {
        visibility.requireReadable(name, reader);
        return store.read(tx -> tx.tags().of(name));
    }

    List<Long> set(String name, String tag, String version, Principal principal, boolean approved) {
        Authority.requireWriter(principal, name);
        checkTag(tag);
        VersionNumber.check(version);
        if (tag.equals("latest")) {
            String current = store.read(tx -> tx.tags().of(name).get("latest"));
            if (current != null && VersionNumber.ORDER.compare(version, current) < 0) {
                governance.hold(
                        name, new Change.DistTag(tag, version, current, true), principal, approved);
            }
        }
        List<Outbox.PendingEvent> events = new ArrayList<>(1);
        writes.mutate(
                name,
                principal,
                (tx, now) -> {
                    if (tx.versions().find(name, version).filter(VersionRecord::live).isEmpty()) {
                        throw Problem.notFound(
                                "version " + version + " of " + name + " does not exist");
                    }
                    String previous = tx.tags().of(name).get(tag);
                    if (version.equals(previous)) {
                        return;
                    }
                    tx.tags().put(name, tag, version);
                    Map<String, Object> detail = new LinkedHashMap<>();
                    detail.put("tag", tag);
                    detail.put("previous", previous);
                    outbox.record(
                            tx,
                            events,
                            "dist-tag.set",
                            name,
                            version,
                            principal.user(),
                            now,
                            detail);
                });
        return outbox.log(events);
    }

    List<Long> remove(String name, String tag, Principal principal) {
        Authority.requireWriter(principal, name);
        if (tag.equals("latest")) {
            throw Problem.badRequest("the latest tag cannot be removed");
        }
        List<Outbox.PendingEvent> events = new ArrayList<>(1);
        writes.mutate(
                name,
                principal,
                (tx, now) -> {
                    String previous = tx.tags().of(name).get(tag);
                    if (previous == null) {
                        throw Problem.notFound(
                                "dist-tag " + Problem.clip(tag) + " does not exist on " + name);
                    }
                    tx.tags().remove(name, tag);
                    Map<String, Object> detail = new LinkedHashMap<>();
                    detail.put("tag", tag);
                    detail.put("previous", previous);
                    outbox.record(
                            tx,
                            events,
                            "dist-tag.removed",
                            name,
                            null,
                            principal.user(),
                            now,
                            detail);
                });
        return outbox.log(events);
    }

    static void checkTag(String tag) {
        if (tag == null
                || tag.isEmpty()
                || tag.length() > 128
                || !tag.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw Problem.badRequest(
                    "invalid dist-tag name \"" + Problem.clip(String.valueOf(tag)) + "\"");
        }
        if (VersionNumber.parseOrNull(tag.startsWith("v") ? tag.substring(1) : tag) != null
                || tag.matches("[v=^~<>]*[0-9xX*]+(\\.[0-9xX*]+){0,2}")) {
            throw Problem.badRequest(
                    "a dist-tag may not look like a version or range: " + Problem.clip(tag));
        }
    }
}
