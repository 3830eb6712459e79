package dev.warden.review.eval;

import dev.warden.review.Subject;

/**
 * One release of a corpus, ready to review: the subject, its world, and what it is labelled.
 *
 * @param label {@code name previous -> version}
 * @param note for a reconstruction, the attack it follows; empty for a real release
 * @param unpackedBytes the release's unpacked content (what the throughput counts)
 * @param previousUnpackedBytes the previous release's unpacked content
 */
record Release(
        String label,
        String note,
        Subject subject,
        MemoryEcosystem.Overlay facts,
        long unpackedBytes,
        long previousUnpackedBytes) {}
