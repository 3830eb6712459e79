package dev.warden.proxy;

import dev.warden.storage.MetadataStore.WriteTx;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** An {@link IngestLog} that keeps what was recorded and what was logged after the commit. */
final class StatementLog implements IngestLog {

    record Statement(
            String kind, String name, String version, Map<String, Object> detail, Instant at)
            implements Pending {}

    final List<Statement> recorded = new ArrayList<>();
    final List<Statement> logged = new ArrayList<>();

    @Override
    public Pending record(
            WriteTx tx,
            String kind,
            String name,
            String version,
            Map<String, Object> detail,
            Instant at) {
        Statement s = new Statement(kind, name, version, Map.copyOf(detail), at);
        recorded.add(s);
        return s;
    }

    @Override
    public List<Long> log(List<Pending> pending) {
        List<Long> indexes = new ArrayList<>();
        for (Pending p : pending) {
            logged.add((Statement) p);
            indexes.add((long) logged.size() - 1);
        }
        return indexes;
    }
}
