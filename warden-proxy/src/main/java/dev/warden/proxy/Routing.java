package dev.warden.proxy;

import dev.warden.storage.MetadataStore;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which uplink serves a name, if any. Dependency confusion is decided here: a name in an internal
 * scope is never looked up upstream, and a name this registry has a package row for (live,
 * unpublished or restricted) is never taken from an uplink, whatever the uplinks have.
 */
final class Routing {

    /** npm's rules for a name, loosely (old names may have capitals): what may go into a URL. */
    private static final Pattern NAME =
            Pattern.compile("(@[A-Za-z0-9][A-Za-z0-9._~-]*/)?[A-Za-z0-9][A-Za-z0-9._~-]*");

    private final ProxySettings settings;
    private final MetadataStore store;

    Routing(ProxySettings settings, MetadataStore store) {
        this.settings = settings;
        this.store = store;
    }

    static boolean validName(String name) {
        return name != null && name.length() <= 214 && NAME.matcher(name).matches();
    }

    /** True when the name's scope is declared internal. */
    boolean internal(String name) {
        if (!name.startsWith("@")) {
            return false;
        }
        // Scopes are compared lowercased: @Acme/tool must not leak an internal @acme's names
        // upstream (the configuration's scopes are lowercase).
        String scope = name.substring(0, name.indexOf('/')).toLowerCase(Locale.ROOT);
        // The configuration may write a scope with or without its "@".
        return settings.internalScopes().contains(scope)
                || settings.internalScopes().contains(scope.substring(1));
    }

    /**
     * The first uplink whose patterns match a valid name outside the internal scopes, without
     * asking the store.
     */
    Optional<Uplink> uplinkFor(String name) {
        if (!validName(name) || internal(name)) {
            return Optional.empty();
        }
        for (Uplink u : settings.uplinks()) {
            if (NamePatterns.any(u.packages(), name)) {
                return Optional.of(u);
            }
        }
        return Optional.empty();
    }

    /** The uplink serving {@code name}: {@link #uplinkFor} and no local package of that name. */
    Optional<Uplink> serving(String name) {
        Optional<Uplink> uplink = uplinkFor(name);
        if (uplink.isEmpty() || local(name)) {
            return Optional.empty();
        }
        return uplink;
    }

    /**
     * Whether this registry has a package of the name, or of its lowercase spelling (a new local
     * name has no capitals: a local @acme/tool also keeps @acme/Tool from being taken upstream).
     */
    boolean local(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return store.read(
                tx ->
                        tx.packages().find(name).isPresent()
                                || (!lower.equals(name) && tx.packages().find(lower).isPresent()));
    }
}
