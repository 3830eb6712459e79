package dev.warden.verify.policy;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * A {@code [[registry]]} of the policy: trust material for one registry, given up front instead of
 * taken on first use.
 *
 * @param url the registry's base URL as written (checked to be an absolute http(s) URL with no
 *     credentials, query or fragment)
 * @param keys its signing keys, as {@code /-/npm/v1/keys} serves them (empty: none pinned here)
 * @param tufRoot a TUF {@code root.json} for its repository at {@code <url>/-/tuf/}, resolved
 *     against the policy file's directory, or {@code null}
 */
public record RegistryPin(String url, List<Key> keys, Path tufRoot) {

    public RegistryPin {
        keys = List.copyOf(keys);
    }

    /** {@link #url()} as a URI. */
    public URI uri() {
        return URI.create(url);
    }

    /**
     * One registry key.
     *
     * @param keyid its id ({@code SHA256:...} for npm's)
     * @param key the public key, base64 of its DER SubjectPublicKeyInfo (checked to be one when the
     *     policy is read)
     */
    public record Key(String keyid, String key) {}
}
