package dev.warden.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.accounts.Principal;
import dev.warden.storage.BlobStore;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.Packages.PackageRecord;
import dev.warden.storage.Packuments.PackumentRecord;
import dev.warden.storage.Users.UserRecord;
import dev.warden.storage.Versions.VersionRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What readers ask of packages: documents, versions, tarballs, maintainers, stars and the log's
 * statements, each answered only to those who may read the package.
 */
final class Reads {

    private final MetadataStore store;
    private final BlobStore blobs;
    private final ObjectMapper json;
    private final Packuments docs;
    private final DownloadCounter downloads;
    private final Outbox outbox;
    private final Visibility visibility;

    Reads(
            MetadataStore store,
            BlobStore blobs,
            ObjectMapper json,
            Packuments docs,
            DownloadCounter downloads,
            Outbox outbox,
            Visibility visibility) {
        this.store = store;
        this.blobs = blobs;
        this.json = json;
        this.docs = docs;
        this.downloads = downloads;
        this.outbox = outbox;
        this.visibility = visibility;
    }

    /**
     * What opens the log's commitments of a restricted package, for its readers: the package's key
     * and every statement with its log index ({@code GET /-/package/<pkg>/log}); a reader of a
     * public package gets its statements and no key, as they are logged whole.
     */
    ObjectNode logStatements(String pkg, Principal reader) {
        visibility.requireReadable(pkg, reader);
        ObjectNode out = json.createObjectNode();
        out.put("package", pkg);
        byte[] key = visibility.restricted(pkg) ? outbox.keyOf(pkg) : null;
        if (key != null) {
            out.put("key", java.util.Base64.getEncoder().encodeToString(key));
        }
        ArrayNode entries = out.putArray("entries");
        for (dev.warden.storage.RegistryEvents.EventRecord e :
                store.read(tx -> tx.registryEvents().of(pkg))) {
            ObjectNode o = entries.addObject();
            o.put("seq", e.id());
            o.put("kind", e.kind());
            if (e.logIndex() != null) {
                o.put("logIndex", e.logIndex());
            }
            o.put("logged", e.statement());
            if (e.opening() != null) {
                o.put("statement", e.opening());
            }
        }
        return out;
    }

    /** The precomputed documents of a live package the principal may read. */
    Optional<PackumentRecord> packument(String name, Principal reader) {
        PackumentRecord cached = docs.find(name);
        if (cached == null) {
            return Optional.empty();
        }
        if (visibility.restricted(name) && !visibility.canRead(name, reader)) {
            return Optional.empty();
        }
        return Optional.of(cached);
    }

    /** One version's document, or the version a dist-tag points to. */
    Optional<ObjectNode> version(String name, String versionOrTag, Principal reader) {
        if (packument(name, reader).isEmpty()) {
            return Optional.empty();
        }
        return store.read(
                tx -> {
                    String version = tx.tags().of(name).getOrDefault(versionOrTag, versionOrTag);
                    return tx.versions()
                            .find(name, version)
                            .filter(VersionRecord::live)
                            .filter(v -> tx.malwareReports().hold(name, v.version()).isEmpty())
                            .map(docs.builder()::versionDocument);
                });
    }

    /** Where the uploaded manifest of a version disagreed with its tarball (JSON), if it did. */
    Optional<String> differences(String name, String version) {
        return store.read(tx -> tx.versions().find(name, version).map(VersionRecord::differences));
    }

    /**
     * The version a tarball file name ({@code bare-1.2.3.tgz}) of {@code name} stands for, or null.
     */
    static String versionOfTarball(String name, String file) {
        int slash = name.indexOf('/');
        String bare = slash < 0 ? name : name.substring(slash + 1);
        if (file.length() <= bare.length() + 5
                || !file.startsWith(bare)
                || file.charAt(bare.length()) != '-'
                || !file.endsWith(".tgz")) {
            return null;
        }
        return file.substring(bare.length() + 1, file.length() - 4);
    }

    /** Locates the tarball {@code file} of {@code name} and counts the download. */
    Optional<Registry.TarballRef> tarball(String name, String file, Principal reader) {
        String version = versionOfTarball(name, file);
        if (version == null) {
            return Optional.empty();
        }
        Optional<Registry.TarballRef> ref = released(name, version, reader);
        ref.ifPresent(r -> downloads.count(name));
        return ref;
    }

    /** Locates the tarball of a live version {@code reader} may read, counting nothing. */
    Optional<Registry.TarballRef> released(String name, String version, Principal reader) {
        Optional<Registry.TarballRef> ref =
                docs.tarball(
                        name,
                        version,
                        k ->
                                store.read(
                                        tx ->
                                                tx.versions()
                                                        .find(name, version)
                                                        .filter(VersionRecord::live)
                                                        .filter(
                                                                v ->
                                                                        tx.malwareReports()
                                                                                .hold(name, version)
                                                                                .isEmpty())
                                                        .map(
                                                                v ->
                                                                        new Registry.TarballRef(
                                                                                name,
                                                                                version,
                                                                                v.blobKey(),
                                                                                v.tarballSize(),
                                                                                v.integrity()))));
        if (ref.isPresent() && visibility.restricted(name) && !visibility.canRead(name, reader)) {
            return Optional.empty();
        }
        return ref;
    }

    Optional<BlobStore.Blob> blob(Registry.TarballRef ref) {
        try {
            return blobs.get(ref.blobKey());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Map.Entry<String, String>> maintainers(String name, Principal reader) {
        visibility.requireReadable(name, reader);
        return store.read(
                tx ->
                        tx.maintainers().of(name).stream()
                                .map(
                                        u ->
                                                Map.entry(
                                                        u,
                                                        tx.users()
                                                                .find(u)
                                                                .map(UserRecord::email)
                                                                .orElse("")))
                                .toList());
    }

    /**
     * Packages a user maintains, or the packages in a scope ({@code @scope}), with the access the
     * caller sees.
     */
    Map<String, String> packagesOf(String userOrScope, Principal reader) {
        return store.read(
                tx -> {
                    List<String> names =
                            userOrScope.startsWith("@")
                                    ? tx.packages().names(userOrScope)
                                    : tx.maintainers().packagesOf(userOrScope);
                    Map<String, String> out = new LinkedHashMap<>();
                    for (String n : names) {
                        boolean isMaintainer =
                                reader != null && Authority.mayMaintain(tx, n, reader.user());
                        String access =
                                tx.packages().find(n).map(PackageRecord::access).orElse("public");
                        if (access.equals("restricted") && !isMaintainer) {
                            continue;
                        }
                        out.put(n, isMaintainer ? "write" : "read");
                    }
                    return out;
                });
    }

    /** The packages {@code user} starred that {@code reader} may see. */
    List<String> starredBy(String user, Principal reader) {
        return store.read(tx -> tx.stars().starredBy(user)).stream()
                .filter(name -> visibility.readable(name, reader))
                .toList();
    }
}
