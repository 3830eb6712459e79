package dev.warden.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.provenance.sigstore.TrustRoot;
import dev.warden.provenance.testing.TestSigstore;
import dev.warden.storage.BlobStore;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.MetadataStore.WriteTx;
import dev.warden.storage.Upstreams.IngestedVersion;
import dev.warden.storage.Upstreams.UpstreamEvent;
import dev.warden.storage.embedded.EmbeddedStorage;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One proxy's ingest over the embedded storage, a {@link FakeUplink} and a test Sigstore whose root
 * is trusted as public-good is in production: everything real but the network.
 */
final class Fixture implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    static final TestSigstore SIGSTORE = new TestSigstore("ci");

    final FakeUplink up;
    final MovableClock clock = new MovableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    final MetadataStore store;
    final BlobStore blobs;
    final RecordingLog log = new RecordingLog();
    final Path trustDir;
    final ProxySettings settings;
    final UpstreamTrust trust;
    final Judge judge;
    final Ingest ingest;

    Fixture(
            Path dir,
            ProxySettings.UnsignedUpstream unsigned,
            boolean denyScripts,
            List<String> allow)
            throws Exception {
        up = new FakeUplink();
        store = EmbeddedStorage.metadata(dir.resolve("meta.db"));
        blobs = EmbeddedStorage.blobs(dir.resolve("blobs"));
        trustDir = dir.resolve("trust");
        settings =
                new ProxySettings(
                        List.of(up.uplink),
                        Duration.ZERO,
                        List.of(),
                        List.of(),
                        unsigned,
                        denyScripts,
                        allow,
                        null);
        trust = new UpstreamTrust(settings, store, up, trustDir, clock);
        judge = new Judge(settings, store, trust, clock);
        ingest =
                new Ingest(
                        settings,
                        store,
                        blobs,
                        up,
                        log,
                        message -> Map.of("keyid", "SHA256:own", "sig", "signed:" + message),
                        trust,
                        TrustRoot.parse(
                                SIGSTORE.trustedRoot()
                                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                        256L << 20,
                        clock);
    }

    Fixture(Path dir) throws Exception {
        this(dir, ProxySettings.UnsignedUpstream.ALLOW, false, List.of());
    }

    JsonNode doc(String name) throws Exception {
        return up.packument(name);
    }

    IngestedVersion ingest(String name, String version) throws Exception {
        return ingest.ingest(up.uplink, name, version, doc(name));
    }

    Map<String, String> holds(String name) throws Exception {
        return judge.holds(up.uplink, name, doc(name));
    }

    Optional<IngestedVersion> row(String name, String version) {
        return store.read(tx -> tx.upstreams().version(name, version));
    }

    List<UpstreamEvent> events() {
        return store.read(tx -> tx.upstreams().events(100));
    }

    List<String> eventKinds() {
        return events().stream().map(UpstreamEvent::kind).toList();
    }

    JsonNode verified(IngestedVersion row) throws IOException {
        return JSON.readTree(row.verified());
    }

    byte[] blob(String key) throws IOException {
        try (var in = blobs.get(key).orElseThrow().open()) {
            return in.readAllBytes();
        }
    }

    /** Publishes a version with provenance built in octo-org/octo-pkg (or {@code build}). */
    void publishWithProvenance(
            String name, String version, byte[] tarball, Instant at, TestSigstore.Build build)
            throws Exception {
        up.publish(name, version, tarball, at);
        up.edit(
                name,
                version,
                v ->
                        ((com.fasterxml.jackson.databind.node.ObjectNode) v.path("repository"))
                                .put(
                                        "url",
                                        "git+https://github.com/" + build.repository() + ".git"));
        up.attest(name, version, SIGSTORE.provenance(name, version, tarball, build));
    }

    @Override
    public void close() {
        store.close();
    }

    /** The ingest log: statements recorded in the transaction, indexes given when logged. */
    static final class RecordingLog implements IngestLog {
        record Statement(String kind, String name, String version, Map<String, Object> detail)
                implements Pending {}

        final List<Statement> recorded = new CopyOnWriteArrayList<>();
        final List<Statement> logged = new CopyOnWriteArrayList<>();

        @Override
        public Pending record(
                WriteTx tx,
                String kind,
                String name,
                String version,
                Map<String, Object> detail,
                Instant at) {
            Statement s = new Statement(kind, name, version, detail);
            recorded.add(s);
            return s;
        }

        @Override
        public List<Long> log(List<Pending> pending) {
            List<Long> out = new ArrayList<>();
            for (Pending p : pending) {
                logged.add((Statement) p);
                out.add((long) logged.size() - 1);
            }
            return out;
        }
    }

    /** A clock the tests move. */
    static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant start) {
            now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
