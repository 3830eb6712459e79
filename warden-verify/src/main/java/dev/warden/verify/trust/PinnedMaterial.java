package dev.warden.verify.trust;

import java.util.List;
import java.util.Optional;

/**
 * What a policy's {@code [[registry]]} pins for one registry: its signing keys, the root of its TUF
 * repository, or both. Pinned material replaces what would otherwise be trusted on first use.
 *
 * @param keys the registry keys to trust instead of what the registry serves (empty: none pinned)
 * @param tufRoot the bytes of a {@code root.json} to start the TUF chain from, if pinned
 */
public record PinnedMaterial(List<RegistryKey> keys, Optional<byte[]> tufRoot) {

    public PinnedMaterial {
        keys = List.copyOf(keys);
        tufRoot = tufRoot.map(byte[]::clone);
    }
}
