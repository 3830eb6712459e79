package dev.warden.storage;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Published OSV records (a package's security advisories and confirmed malware), each kept as the
 * JSON document served, with the packages it affects for lookups by name.
 */
public interface OsvRows {

    /**
     * A stored record.
     *
     * @param id the OSV id ({@code MAL-2026-1}, {@code x_WARDEN-2026-1})
     * @param json the record as served
     * @param modified when it last changed
     * @param withdrawn whether it is withdrawn (still served by id, no longer by package)
     */
    record Row(String id, byte[] json, Instant modified, boolean withdrawn) {}

    /** Stores a new record or replaces one with the same id, with the packages it affects. */
    void put(Row row, Collection<String> packages);

    Optional<Row> get(String id);

    /** Records affecting this package that are not withdrawn, by id. */
    List<Row> affecting(String packageName);

    /** Up to {@code limit} records (withdrawn ones too) with ids after {@code afterId}, by id. */
    List<Row> page(String afterId, int limit);

    /** The highest number {@code n} among ids {@code prefix-year-n}, or 0 when there is none. */
    int lastNumber(String prefix, int year);
}
