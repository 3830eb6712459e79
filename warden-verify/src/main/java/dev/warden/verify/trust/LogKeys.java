package dev.warden.verify.trust;

import dev.warden.log.NoteKey;

import java.net.URI;

/**
 * A registry's transparency log, as its TUF target {@code transparency_log.json} names it.
 *
 * @param url the log's tlog-tiles prefix ({@code checkpoint} and {@code tile/...} below it)
 * @param origin the origin line its checkpoints must carry
 * @param logKey the key that signs its checkpoints
 * @param registryStatementKey the key that signs the registry's statements (its entries)
 */
public record LogKeys(
        URI url, String origin, NoteKey.Verifier logKey, NoteKey.Verifier registryStatementKey) {}
