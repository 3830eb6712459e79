package dev.warden.awareness;

import dev.warden.storage.MetadataStore;
import dev.warden.storage.MetadataStore.WriteTx;
import dev.warden.storage.OsvRows;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registry's published OSV records: security advisories that maintainers publish and malware
 * that admins confirm. What clients' audits and {@code /-/osv/} serve comes from here; drafts live
 * elsewhere, so nothing unpublished can leak through it.
 */
public final class OsvRecords {

    /** Confirmed malware, as in the OpenSSF malicious-packages database. */
    public static final String MALWARE = "MAL";

    /** Advisories published on this registry: a local database's prefix, as the schema allows. */
    public static final String ADVISORY = "x_WARDEN";

    /** The most records one page of the export holds. */
    public static final int PAGE = 500;

    private final MetadataStore store;

    public OsvRecords(MetadataStore store) {
        this.store = store;
    }

    /**
     * The next id under {@code prefix} for the year of {@code at}, in the caller's transaction (so
     * two publishes cannot take the same number).
     */
    public static String nextId(WriteTx tx, String prefix, Instant at) {
        int year = at.atZone(ZoneOffset.UTC).getYear();
        return prefix + "-" + year + "-" + (tx.osvRows().lastNumber(prefix, year) + 1);
    }

    /** Stores (or replaces) a record in the caller's transaction. */
    public static void put(WriteTx tx, OsvRecord record) {
        tx.osvRows()
                .put(
                        new OsvRows.Row(
                                record.id(),
                                record.toBytes(),
                                record.modified(),
                                record.withdrawn() != null),
                        record.affected().stream()
                                .map(OsvRecord.Affected::name)
                                .distinct()
                                .toList());
    }

    /** The record with this id, withdrawn or not. */
    public Optional<OsvRecord> get(String id) {
        return store.read(tx -> tx.osvRows().get(id)).map(r -> OsvRecord.fromBytes(r.json()));
    }

    /** The records (not withdrawn) that affect this package, by id. */
    public List<OsvRecord> affecting(String packageName) {
        return store.read(tx -> tx.osvRows().affecting(packageName)).stream()
                .map(r -> OsvRecord.fromBytes(r.json()))
                .toList();
    }

    /**
     * The records (not withdrawn) affecting each of these packages, in one read: the audit
     * endpoints' lookup, one indexed query per name; names with none are left out.
     */
    public Map<String, List<OsvRecord>> affecting(Collection<String> packageNames) {
        return store.read(
                tx -> {
                    Map<String, OsvRecord> parsed = new HashMap<>();
                    Map<String, List<OsvRecord>> out = new LinkedHashMap<>();
                    for (String name : packageNames) {
                        List<OsvRows.Row> rows = tx.osvRows().affecting(name);
                        if (!rows.isEmpty()) {
                            out.put(
                                    name,
                                    rows.stream()
                                            .map(
                                                    r ->
                                                            parsed.computeIfAbsent(
                                                                    r.id(),
                                                                    id ->
                                                                            OsvRecord.fromBytes(
                                                                                    r.json())))
                                            .toList());
                        }
                    }
                    return out;
                });
    }

    /** One page of every record, withdrawn ones too, by id after {@code afterId} (null: first). */
    public List<OsvRecord> page(String afterId) {
        return store.read(tx -> tx.osvRows().page(afterId, PAGE)).stream()
                .map(r -> OsvRecord.fromBytes(r.json()))
                .toList();
    }
}
