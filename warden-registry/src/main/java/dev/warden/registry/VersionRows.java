package dev.warden.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.accounts.Principal;
import dev.warden.provenance.TrustedPublishing;
import dev.warden.storage.MetadataStore.ReadTx;
import dev.warden.storage.MetadataStore.WriteTx;
import dev.warden.storage.Packages.PackageRecord;
import dev.warden.storage.Users.UserRecord;
import dev.warden.storage.Versions.VersionRecord;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The rows a live release writes in its commit: the package (created, revived or touched), who
 * published it and the maintainers in the served manifest, the version, its dependency edges and
 * its dist-tags.
 */
final class VersionRows {

    private final ObjectMapper json;

    VersionRows(ObjectMapper json) {
        this.json = json;
    }

    /**
     * Writes the release's rows in {@code tx}; returns what the log statement says of it (digests
     * and the tags that now point to it).
     *
     * @param served the manifest as it will be served, signed; who published it and the maintainers
     *     are added here
     * @param existing the package's row as the permission check read it
     */
    Map<String, Object> write(
            WriteTx tx,
            Release r,
            ObjectNode served,
            Principal principal,
            Instant now,
            Optional<PackageRecord> existing) {
        PackageName name = r.name();
        String version = r.version();
        PackageRecord pkg;
        if (existing.isEmpty() || !existing.get().live()) {
            if (name.scope() != null) {
                tx.scopes().claim(name.scope(), principal.user(), now);
            }
            pkg =
                    existing.isPresent()
                            ? new PackageRecord(
                                    name.full(),
                                    now,
                                    now,
                                    existing.get().rev() + 1,
                                    r.access(),
                                    null)
                            : new PackageRecord(name.full(), now, now, 1, r.access(), null);
            if (existing.isPresent()) {
                tx.packages().update(pkg);
            } else {
                tx.packages().insert(pkg);
            }
            tx.maintainers().add(name.full(), principal.user(), now);
        } else {
            pkg = existing.get().touched(now);
            tx.packages().update(pkg);
        }
        Map<String, String> emails = new HashMap<>();
        putPublisher(tx, served, principal, emails);
        ArrayNode maint = served.putArray("maintainers");
        for (String m : tx.maintainers().of(name.full())) {
            maint.addObject()
                    .put("name", m)
                    .put("email", emails.computeIfAbsent(m, u -> email(tx, u)));
        }
        tx.versions()
                .insert(
                        new VersionRecord(
                                name.full(),
                                version,
                                write(served),
                                r.integrity(),
                                r.shasum(),
                                r.blobKey(),
                                r.size(),
                                r.fileCount(),
                                r.unpackedSize(),
                                now,
                                principal.user(),
                                null,
                                r.differences() == null ? null : write(r.differences()),
                                null));
        tx.dependencies().put(name.full(), version, dependencyNames(served));
        Map<String, String> tags = new TreeMap<>(tx.tags().of(name.full()));
        r.tags().forEach((tag, v) -> tx.tags().put(name.full(), tag, v));
        tags.putAll(r.tags());
        if (!tags.containsKey("latest")) {
            tx.tags().put(name.full(), "latest", version);
            tags.put("latest", version);
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("integrity", r.integrity());
        detail.put("shasum", r.shasum());
        Map<String, String> moved = new TreeMap<>();
        tags.forEach(
                (tag, v) -> {
                    if (v.equals(version)) {
                        moved.put(tag, v);
                    }
                });
        detail.put("tags", moved);
        if (principal.publisher() != null) {
            detail.put("trustedPublisher", served.path("_npmUser").path("trustedPublisher"));
        }
        return detail;
    }

    /** Writes who published; a user's address read here is kept in {@code emails}. */
    private void putPublisher(
            ReadTx tx, ObjectNode served, Principal principal, Map<String, String> emails) {
        ObjectNode npmUser = served.putObject("_npmUser");
        Principal.Publisher publisher = principal.publisher();
        if (publisher == null) {
            UserRecord user = tx.users().find(principal.user()).orElseThrow();
            npmUser.put("name", user.name()).put("email", user.email());
            emails.put(user.name(), user.email());
            return;
        }
        npmUser.put("name", TrustedPublishing.publisherName(publisher.type()))
                .put("email", TrustedPublishing.publisherEmail(publisher.type()));
        ObjectNode trusted = npmUser.putObject("trustedPublisher");
        trusted.put("id", publisher.type());
        trusted.put("oidcConfigId", publisher.trustId());
        readObject(publisher.identity())
                .properties()
                .forEach(
                        e -> {
                            if (!trusted.has(e.getKey())) {
                                trusted.set(e.getKey(), e.getValue());
                            }
                        });
    }

    private static String email(ReadTx tx, String user) {
        return tx.users().find(user).map(UserRecord::email).orElse("");
    }

    private static Set<String> dependencyNames(ObjectNode manifest) {
        Set<String> names = new TreeSet<>();
        for (String field : List.of("dependencies", "optionalDependencies", "peerDependencies")) {
            manifest.path(field).fieldNames().forEachRemaining(names::add);
        }
        return names;
    }

    private ObjectNode readObject(String text) {
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
