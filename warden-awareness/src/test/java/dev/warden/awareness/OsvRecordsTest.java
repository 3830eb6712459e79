package dev.warden.awareness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.storage.MetadataStore;
import dev.warden.storage.embedded.EmbeddedStorage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

class OsvRecordsTest {

    @TempDir Path dir;
    MetadataStore store;
    OsvRecords records;

    @BeforeEach
    void open() {
        store = EmbeddedStorage.metadata(dir.resolve("warden.db"));
        records = new OsvRecords(store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private String next(String prefix) {
        return store.<String>write(tx -> OsvRecords.nextId(tx, prefix, OsvRecordTest.AT));
    }

    @Test
    void idsAreNumberedPerPrefixAndYear() {
        assertThat(next(OsvRecords.MALWARE)).isEqualTo("MAL-2026-1");
        store.write(
                tx -> {
                    OsvRecords.put(tx, OsvRecordTest.malware());
                    return null;
                });
        assertThat(next(OsvRecords.MALWARE)).isEqualTo("MAL-2026-4");
        assertThat(next(OsvRecords.ADVISORY)).isEqualTo("x_WARDEN-2026-1");
    }

    @Test
    void aRecordIsFoundByIdAndByEachPackageItAffects() {
        store.write(
                tx -> {
                    OsvRecords.put(tx, OsvRecordTest.advisory());
                    OsvRecords.put(tx, OsvRecordTest.malware());
                    return null;
                });
        assertThat(records.get("x_WARDEN-2026-1")).contains(OsvRecordTest.advisory());
        assertThat(records.affecting("left-padd")).containsExactly(OsvRecordTest.malware());
        assertThat(records.affecting("@acme/merge")).containsExactly(OsvRecordTest.advisory());
        assertThat(records.affecting("merge")).isEmpty();
        assertThat(records.page(null))
                .extracting(OsvRecord::id)
                .containsExactly("MAL-2026-3", "x_WARDEN-2026-1");
        assertThat(records.page("MAL-2026-3"))
                .extracting(OsvRecord::id)
                .containsExactly("x_WARDEN-2026-1");
    }

    @Test
    void aWithdrawnRecordIsServedByIdButNoLongerAffectsItsPackage() {
        OsvRecord m = OsvRecordTest.malware();
        OsvRecord withdrawn =
                new OsvRecord(
                        m.id(),
                        m.published(),
                        OsvRecordTest.AT.plusSeconds(60),
                        OsvRecordTest.AT.plusSeconds(60),
                        m.summary(),
                        m.details(),
                        m.severity(),
                        m.affected(),
                        List.of(),
                        List.of());
        store.write(
                tx -> {
                    OsvRecords.put(tx, m);
                    OsvRecords.put(tx, withdrawn);
                    return null;
                });
        assertThat(records.affecting("left-padd")).isEmpty();
        assertThat(records.get(m.id())).contains(withdrawn);
    }
}
