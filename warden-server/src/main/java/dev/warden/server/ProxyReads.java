package dev.warden.server;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.proxy.Proxy;
import dev.warden.registry.Registry;

import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the npm API and the provenance routes ask the upstream proxy, for names the registry does
 * not have. Names a client could not have meant are not asked upstream. Served upstream tarballs
 * are remembered so that a warm read is answered on the I/O thread like a local one; that memory is
 * forgotten whenever a quarantine changes, so a quarantine is never stepped around.
 */
final class ProxyReads {

    private final Proxy proxy;
    private final TarballMemory served = new TarballMemory();

    ProxyReads(Proxy proxy) {
        this.proxy = proxy;
    }

    Proxy proxy() {
        return proxy;
    }

    /** From memory only, never blocking: for the I/O thread. */
    Proxy.Served cachedPackument(String name) {
        return plausible(name) ? proxy.cachedPackument(name) : null;
    }

    Optional<Proxy.Served> packument(String name) {
        return plausible(name) && proxy.serves(name) ? proxy.packument(name) : Optional.empty();
    }

    Optional<ObjectNode> version(String name, String versionOrTag) {
        return plausible(name) && proxy.serves(name)
                ? proxy.version(name, versionOrTag)
                : Optional.empty();
    }

    /** The tarball {@code file} of {@code name}, ingested first if it is not yet. */
    Optional<Registry.TarballRef> tarball(String name, String file) {
        String version = Registry.versionOfTarball(name, file);
        if (version == null || !plausible(name) || !proxy.serves(name)) {
            return Optional.empty();
        }
        long asked = served.generation();
        Optional<Registry.TarballRef> ref =
                proxy.tarball(name, version)
                        .map(
                                t ->
                                        new Registry.TarballRef(
                                                name,
                                                version,
                                                t.blobKey(),
                                                t.size(),
                                                t.integrity()));
        ref.ifPresent(r -> served.remember(asked, name + "@" + version, r));
        return ref;
    }

    /** A tarball served before, from memory. */
    Registry.TarballRef cachedTarball(String name, String version) {
        return served.get(name + "@" + version);
    }

    Optional<byte[]> attestations(String name, String version) {
        return plausible(name) && proxy.serves(name)
                ? proxy.attestations(name, version)
                : Optional.empty();
    }

    List<Map<String, Object>> upstreamKeys() {
        return proxy.upstreamKeys();
    }

    /**
     * A local package of {@code name} was created: the proxy's copies of it are no longer served.
     */
    void forgetLocal(String name) {
        proxy.forgetLocal(name);
        served.forget(name);
    }

    /** Another node changed what is stored of upstream package {@code name}. */
    void upstreamChanged(String name) {
        proxy.upstreamChanged(name);
        served.forget(name);
    }

    /** Changes from other nodes may have been missed. */
    void forgetEverything() {
        proxy.forgetEverything();
        served.forgetAll();
    }

    /** After a quarantine is placed or lifted (by an admin or the advisory feed). */
    void forgetTarballs() {
        served.forgetAll();
    }

    /** {@code Warden-Uplink: <uplink>; state=<fresh|stale>; checked=<instant>}. */
    static String uplinkHeader(Proxy.Served s) {
        return s.uplink()
                + "; state="
                + (s.stale() ? "stale" : "fresh")
                + "; checked="
                + s.checked().truncatedTo(ChronoUnit.SECONDS);
    }

    /**
     * The shape of a name npm's clients send: anything else is no upstream's business. Upstream
     * names are taken as the uplinks spell them (old ones have capitals), so this is not the rule
     * for a new name.
     */
    static boolean plausible(String name) {
        if (name.isEmpty()
                || name.length() > 214
                || name.startsWith(".")
                || name.startsWith("_")
                || !name.chars()
                        .allMatch(c -> c > 0x20 && c < 0x7f && "\"%\\<>`{}|^".indexOf(c) < 0)) {
            return false;
        }
        int slash = name.indexOf('/');
        return name.startsWith("@")
                ? slash > 1 && slash < name.length() - 1 && slash == name.lastIndexOf('/')
                : slash < 0;
    }
}
