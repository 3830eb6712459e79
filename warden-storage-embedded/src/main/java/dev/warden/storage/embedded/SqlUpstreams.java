package dev.warden.storage.embedded;

import dev.warden.storage.Upstreams;

import org.jdbi.v3.core.Handle;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@link Upstreams} over the transaction's handle. PLACEHOLDER: the storage helper replaces it. */
final class SqlUpstreams implements Upstreams {

    private final Handle h;

    SqlUpstreams(Handle h) {
        this.h = h;
    }

    private static UnsupportedOperationException todo() {
        return new UnsupportedOperationException("proxy storage is not built yet");
    }

    @Override
    public Optional<UpstreamPackument> packument(String name) {
        throw todo();
    }

    @Override
    public void putPackument(UpstreamPackument p) {
        throw todo();
    }

    @Override
    public void checked(String name, Instant at) {
        throw todo();
    }

    @Override
    public Optional<IngestedVersion> version(String name, String version) {
        throw todo();
    }

    @Override
    public List<IngestedVersion> versions(String name) {
        throw todo();
    }

    @Override
    public boolean insertVersion(IngestedVersion v) {
        throw todo();
    }

    @Override
    public void setState(String name, String version, String state, String reason) {
        throw todo();
    }

    @Override
    public void setLogIndex(String name, String version, long index) {
        throw todo();
    }

    @Override
    public List<Quarantine> quarantines(String name) {
        throw todo();
    }

    @Override
    public List<Quarantine> quarantines(int limit) {
        throw todo();
    }

    @Override
    public void quarantine(Quarantine q) {
        throw todo();
    }

    @Override
    public boolean lift(String name, String version) {
        throw todo();
    }

    @Override
    public void addEvent(UpstreamEvent e) {
        throw todo();
    }

    @Override
    public List<UpstreamEvent> events(int limit) {
        throw todo();
    }
}
