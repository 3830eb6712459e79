package dev.warden.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The monitor against a log served by a {@link Transport} that reads it in memory (the tlog-tiles
 * paths).
 */
class MonitorTest {

    static final String ORIGIN = "example.com/log";
    static final NoteKey.Signer LOG_KEY = NoteKey.generate(ORIGIN, NoteKey.ED25519);
    static final NoteKey.Signer REGISTRY_KEY =
            NoteKey.generate("registry.example", NoteKey.ED25519);
    static final URI BASE = URI.create("https://registry.example/-/log/");

    @TempDir Path dir;

    /** Answers the checkpoint and the entry bundles of a log, as its HTTP API would. */
    record Served(TransparencyLog log) implements Transport {
        @Override
        public Answer get(URI uri, Duration timeout) {
            String path = BASE.relativize(uri).toString();
            if (path.equals("checkpoint")) {
                return new Answer(
                        200,
                        "text/plain",
                        log.snapshot().checkpoint().getBytes(StandardCharsets.UTF_8));
            }
            List<String> segments = Arrays.asList(path.split("/"));
            TilePath tile =
                    segments.get(0).equals("tile")
                            ? TilePath.parse(segments.subList(1, segments.size()))
                            : null;
            byte[] body = tile == null ? null : log.read(tile);
            return body == null
                    ? new Answer(404, "text/plain", new byte[0])
                    : new Answer(200, "application/octet-stream", body);
        }

        @Override
        public Answer post(URI uri, String contentType, byte[] body, Duration timeout) {
            throw new AssertionError("a monitor only reads");
        }
    }

    @Test
    void reportsStatementsAboutWatchedPackagesOnceEach() throws Exception {
        try (TransparencyLog log =
                new TransparencyLog(
                        new MemoryLogStore(), LOG_KEY, TransparencyLog.Settings.of(ORIGIN))) {
            Monitor monitor = monitor(new Served(log), dir.resolve("state.json"));
            publish(log, "watched", "alice");
            publish(log, "other", "bob");

            Monitor.Result first = monitor.poll();
            publish(log, "watched", "mallory");
            Monitor.Result second = monitor.poll();

            assertThat(first.fromSize()).isZero();
            assertThat(first.toSize()).isEqualTo(2);
            assertThat(first.reports())
                    .extracting(r -> r.statement().path("actor").asText())
                    .containsExactly("alice");
            assertThat(second.fromSize()).isEqualTo(2);
            assertThat(second.reports())
                    .extracting(r -> r.statement().path("actor").asText())
                    .containsExactly("mallory");
            assertThat(monitor.poll().reports()).isEmpty();
        }
    }

    @Test
    void noticesALogThatRewroteWhatItServedBefore() throws Exception {
        Path state = dir.resolve("state.json");
        try (TransparencyLog log =
                new TransparencyLog(
                        new MemoryLogStore(), LOG_KEY, TransparencyLog.Settings.of(ORIGIN))) {
            publish(log, "watched", "alice");
            monitor(new Served(log), state).poll();
        }
        try (TransparencyLog fork =
                new TransparencyLog(
                        new MemoryLogStore(), LOG_KEY, TransparencyLog.Settings.of(ORIGIN))) {
            publish(fork, "watched", "mallory");
            publish(fork, "watched", "mallory");

            assertThatThrownBy(() -> monitor(new Served(fork), state).poll())
                    .isInstanceOf(Monitor.InconsistentLog.class)
                    .hasMessageContaining("not append-only");
        }
    }

    @Test
    void aBundleTheLogDoesNotServeIsAnErrorAndNothingIsRemembered() throws Exception {
        Path state = dir.resolve("state.json");
        try (TransparencyLog log =
                new TransparencyLog(
                        new MemoryLogStore(), LOG_KEY, TransparencyLog.Settings.of(ORIGIN))) {
            publish(log, "watched", "alice");
            Served served = new Served(log);
            Transport withoutBundles =
                    new Transport() {
                        @Override
                        public Answer get(URI uri, Duration timeout) {
                            return uri.getPath().contains("/tile/")
                                    ? new Answer(503, "text/plain", new byte[0])
                                    : served.get(uri, timeout);
                        }

                        @Override
                        public Answer post(
                                URI uri, String contentType, byte[] body, Duration timeout) {
                            throw new AssertionError("a monitor only reads");
                        }
                    };

            assertThatThrownBy(() -> monitor(withoutBundles, state).poll())
                    .isInstanceOf(java.io.IOException.class)
                    .hasMessageContaining("tile/entries/000.p/1 answered 503");
            assertThat(state).doesNotExist();
            assertThat(monitor(served, state).poll().reports()).hasSize(1);
        }
    }

    static void publish(TransparencyLog log, String pkg, String actor) {
        String statement =
                "{\"kind\":\"package.published\",\"package\":\""
                        + pkg
                        + "\",\"actor\":\""
                        + actor
                        + "\"}";
        log.appendAndWait(Envelope.seal(statement.getBytes(StandardCharsets.UTF_8), REGISTRY_KEY));
    }

    static Monitor monitor(Transport transport, Path state) {
        return new Monitor(
                new Monitor.Settings(
                        BASE,
                        LOG_KEY.verifier(),
                        REGISTRY_KEY.verifier(),
                        Set.of("watched"),
                        Set.of(),
                        state),
                transport);
    }
}
