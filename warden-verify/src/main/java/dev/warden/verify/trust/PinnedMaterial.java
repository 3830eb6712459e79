package dev.warden.verify.trust;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a policy's {@code [[registry]]} pins for one registry: its signing keys, the root of its TUF
 * repository, or both. Pinned material replaces what would otherwise be trusted on first use.
 *
 * @param keys the registry keys to trust instead of what the registry serves (empty: none pinned)
 * @param tufRoot the bytes of a {@code root.json} to start the TUF chain from, or null
 */
public record PinnedMaterial(List<RegistryKey> keys, byte[] tufRoot) {

    public PinnedMaterial {
        keys = List.copyOf(keys);
        tufRoot = tufRoot == null ? null : tufRoot.clone();
    }

    /** The pinned TUF root, if any. */
    public Optional<byte[]> root() {
        return Optional.ofNullable(tufRoot).map(byte[]::clone);
    }

    /**
     * A policy's pins: {@code keys} by keyid (each a base64 SPKI DER, as {@code /-/npm/v1/keys}
     * serves it), and the path of a {@code root.json} (or null).
     */
    public static PinnedMaterial load(Map<String, String> keys, Path tufRoot)
            throws TrustException {
        List<RegistryKey> out = new ArrayList<>();
        for (Map.Entry<String, String> k : keys.entrySet()) {
            out.add(
                    new RegistryKey(
                            k.getKey(),
                            KeysDocument.publicKey(k.getValue(), "pinned key " + k.getKey()),
                            null));
        }
        byte[] root = null;
        if (tufRoot != null) {
            try {
                root = Files.readAllBytes(tufRoot);
            } catch (IOException e) {
                throw new TrustException(
                        "cannot read the pinned TUF root " + tufRoot + ": " + e.getMessage(), e);
            }
            TufMetadata.parse(root, "root", "pinned TUF root " + tufRoot);
        }
        return new PinnedMaterial(out, root);
    }
}
