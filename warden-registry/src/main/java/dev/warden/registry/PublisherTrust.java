package dev.warden.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.accounts.Principal;
import dev.warden.common.Problem;
import dev.warden.governance.Change;
import dev.warden.governance.PackageGovernance;
import dev.warden.provenance.TrustedPublishing;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.PackageMfa;
import dev.warden.storage.TrustedPublishers.TrustRecord;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A package's trusted publishers ({@code npm trust}) and the rule that only they may publish it.
 * They are a person's to change, never a CI job's token.
 */
final class PublisherTrust {

    private final MetadataStore store;
    private final ObjectMapper json;
    private final Outbox outbox;
    private final PackageGovernance governance;
    private final PackageWrites writes;
    private final Listeners listeners;

    PublisherTrust(
            MetadataStore store,
            ObjectMapper json,
            Outbox outbox,
            PackageGovernance governance,
            PackageWrites writes,
            Listeners listeners) {
        this.store = store;
        this.json = json;
        this.outbox = outbox;
        this.governance = governance;
        this.writes = writes;
        this.listeners = listeners;
    }

    /** A package's trusted publishers, for its maintainers ({@code npm trust list}). */
    List<TrustRecord> list(String name, Principal principal) {
        Authority.requireWriter(principal, name);
        Authority.requirePerson(principal);
        return store.read(
                tx -> {
                    PackageWrites.livePackage(tx, name);
                    Authority.requireMaintainer(tx, name, principal);
                    return tx.trustedPublishers().of(name);
                });
    }

    /** The trusted publishers an ID token may match (for the token exchange; no caller yet). */
    List<TrustRecord> of(String name) {
        return store.read(
                tx -> {
                    PackageWrites.livePackage(tx, name);
                    return tx.trustedPublishers().of(name);
                });
    }

    /**
     * Adds a trusted publisher ({@code npm trust github|gitlab|circleci}). A package has at most
     * one, as on npmjs: to change it, revoke it first.
     */
    Registry.Changed<TrustRecord> add(
            String name, TrustedPublishing.Config config, Principal principal, boolean approved) {
        Authority.requireWriter(principal, name);
        Authority.requirePerson(principal);
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("type", config.type());
        cfg.put("claims", config.claims());
        cfg.put("permissions", config.permissions());
        governance.hold(
                name, new Change.TrustedPublisherAdd(config.type(), cfg), principal, approved);
        List<Outbox.PendingEvent> events = new ArrayList<>(1);
        TrustRecord added =
                store.write(
                        tx -> {
                            PackageWrites.livePackage(tx, name);
                            Authority.requireMaintainer(tx, name, principal);
                            List<TrustRecord> existing = tx.trustedPublishers().of(name);
                            if (!existing.isEmpty()) {
                                throw Problem.conflict(
                                        name
                                                + " already has a trusted publisher ("
                                                + existing.get(0).id()
                                                + "): revoke it first with npm trust revoke "
                                                + name
                                                + " --id "
                                                + existing.get(0).id());
                            }
                            Instant now = writes.now();
                            TrustRecord t =
                                    new TrustRecord(
                                            "oidc:" + java.util.UUID.randomUUID(),
                                            name,
                                            config.type(),
                                            write(config.claims()),
                                            config.permissions(),
                                            now,
                                            principal.user());
                            tx.trustedPublishers().insert(t);
                            outbox.record(
                                    tx,
                                    events,
                                    "package.trusted-publisher-added",
                                    name,
                                    null,
                                    principal.user(),
                                    now,
                                    trustDetail(t));
                            return t;
                        });
        listeners.emit(
                "package.trusted-publisher-added",
                principal.user(),
                name,
                Map.of("id", added.id(), "type", added.type()));
        return new Registry.Changed<>(added, outbox.log(events));
    }

    /**
     * Removes a trusted publisher ({@code npm trust revoke}); tokens already issued to it stop
     * working at once.
     */
    List<Long> remove(String name, String id, Principal principal, boolean approved) {
        Authority.requireWriter(principal, name);
        Authority.requirePerson(principal);
        if (store.read(tx -> tx.trustedPublishers().find(name, id)).isPresent()) {
            governance.hold(name, new Change.TrustedPublisherRemove(id), principal, approved);
        }
        List<Outbox.PendingEvent> events = new ArrayList<>(1);
        store.write(
                tx -> {
                    PackageWrites.livePackage(tx, name);
                    Authority.requireMaintainer(tx, name, principal);
                    TrustRecord t =
                            tx.trustedPublishers()
                                    .find(name, id)
                                    .orElseThrow(
                                            () ->
                                                    Problem.notFound(
                                                            name
                                                                    + " has no trusted publisher"
                                                                    + " with id "
                                                                    + Problem.clip(id)));
                    boolean required =
                            tx.packageMfa()
                                    .find(name)
                                    .filter(PackageMfa.Policy::requireTrustedPublisher)
                                    .isPresent();
                    if (required && tx.trustedPublishers().of(name).size() == 1) {
                        throw Problem.conflict(
                                name
                                        + " requires trusted publishing, and this is its only"
                                        + " trusted publisher: stop requiring it first, or nobody"
                                        + " could publish "
                                        + name);
                    }
                    tx.trustedPublishers().delete(name, id);
                    outbox.record(
                            tx,
                            events,
                            "package.trusted-publisher-removed",
                            name,
                            null,
                            principal.user(),
                            writes.now(),
                            trustDetail(t));
                    return null;
                });
        listeners.emit(
                "package.trusted-publisher-removed", principal.user(), name, Map.of("id", id));
        return outbox.log(events);
    }

    /** Turns on or off the rule that only a trusted publisher may publish {@code name}. */
    List<Long> require(String name, boolean required, Principal principal, boolean approved) {
        Authority.requireWriter(principal, name);
        Authority.requirePerson(principal);
        if (!required
                && store.read(tx -> tx.packageMfa().find(name))
                        .map(PackageMfa.Policy::requireTrustedPublisher)
                        .orElse(false)) {
            governance.hold(name, new Change.TrustedPublishingOptional(), principal, approved);
        }
        List<Outbox.PendingEvent> events = new ArrayList<>(1);
        store.write(
                tx -> {
                    PackageWrites.livePackage(tx, name);
                    Authority.requireMaintainer(tx, name, principal);
                    PackageMfa.Policy policy =
                            tx.packageMfa().find(name).orElse(PackageMfa.Policy.NONE);
                    if (policy.requireTrustedPublisher() == required) {
                        return null;
                    }
                    if (required
                            && tx.trustedPublishers().of(name).stream()
                                    .noneMatch(
                                            t ->
                                                    t.permissions()
                                                            .contains(TrustedPublishing.PUBLISH))) {
                        throw Problem.conflict(
                                name
                                        + " has no trusted publisher allowed to publish: add one"
                                        + " first (npm trust github|gitlab|circleci "
                                        + name
                                        + " --allow-publish)");
                    }
                    tx.packageMfa()
                            .put(
                                    name,
                                    new PackageMfa.Policy(
                                            policy.publishRequiresTfa(),
                                            policy.automationOverrides(),
                                            required));
                    outbox.record(
                            tx,
                            events,
                            "package.policy-changed",
                            name,
                            null,
                            principal.user(),
                            writes.now(),
                            Map.of("requireTrustedPublisher", required));
                    return null;
                });
        return outbox.log(events);
    }

    private Map<String, Object> trustDetail(TrustRecord t) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("id", t.id());
        detail.put("type", t.type());
        detail.put("claims", read(t.claims()));
        detail.put("permissions", t.permissions());
        return detail;
    }

    private ObjectNode read(String text) {
        try {
            return (ObjectNode) json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String write(JsonNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
