package dev.warden.server;

import java.util.List;

/**
 * What the log explorer's pages show ({@code log*.jte}), as plain values: hashes as hex and base64
 * strings, times as ISO-8601 text, verdicts as sentences.
 */
final class LogViews {

    private LogViews() {}

    /**
     * What the browser's check needs, in the page's data attributes.
     *
     * @param origin the log's origin line, which a checkpoint must name
     * @param logKey the log's verifier key ({@code name+id+base64}), for the checkpoint signature
     */
    record Trust(String origin, String logKey) {}

    /**
     * @param text the whole signed note, as served at {@code /-/log/checkpoint}
     */
    record Checkpoint(
            String origin,
            long size,
            String rootHex,
            String rootBase64,
            String text,
            List<Signature> signatures) {}

    /**
     * @param role "log", "witness" or "unknown"
     * @param time a witness's cosignature time, or null
     */
    record Signature(String role, String name, String keyId, String time, boolean verified) {}

    /**
     * @param subject "name@version" or the package alone, or "" when the entry names none
     */
    record EntryLine(long index, String kind, String subject, String time) {}

    /**
     * The log's page.
     *
     * @param older the {@code before} of the next older page, or -1 when there is none
     * @param newer the {@code before} of the next newer page, or -1 when this is the newest
     */
    record Home(
            Checkpoint checkpoint,
            Trust trust,
            List<EntryLine> entries,
            long older,
            long newer,
            List<String> witnessKeys) {}

    record Field(String name, String value) {}

    /**
     * An entry decoded for a person.
     *
     * @param kind the statement's kind, or null when the entry is not a registry statement
     * @param signature whether (and by whom) the registry's signature on the statement verifies
     * @param fields the statement's fields in order (values as text, or JSON when not text)
     * @param raw the statement as logged (its JSON) or, for an entry that is none, its bytes as
     *     text
     * @param packageLink the package version's page, or null
     */
    record Statement(
            String kind,
            boolean signed,
            String signature,
            List<Field> fields,
            String raw,
            String packageLink) {}

    record Verdict(boolean ok, String text) {}

    /**
     * One entry with its inclusion proof against the latest checkpoint.
     *
     * @param entryBase64 the entry's bytes, from which the browser computes the leaf hash
     * @param previous the previous entry's index, or -1
     * @param next the next entry's index, or -1
     */
    record Entry(
            long index,
            long size,
            String leafHex,
            String leafBase64,
            String entryBase64,
            int entryBytes,
            Statement statement,
            List<String> proof,
            Verdict verdict,
            Checkpoint checkpoint,
            Trust trust,
            long previous,
            long next) {}

    /**
     * The consistency form and, once sizes are given, the proof.
     *
     * @param proof null when no sizes were given yet (the form only)
     * @param pastedNote the checkpoint the reader pasted (its root is the old root), or null
     * @param latest whether {@code to} is the size of the latest checkpoint
     */
    record Consistency(
            long size,
            long from,
            long to,
            String oldRootHex,
            String oldRootBase64,
            String newRootHex,
            String newRootBase64,
            List<String> proof,
            Verdict verdict,
            String pastedNote,
            boolean latest,
            Trust trust,
            int maxPasted) {}
}
