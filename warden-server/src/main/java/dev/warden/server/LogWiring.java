package dev.warden.server;

import dev.warden.log.Envelope;
import dev.warden.log.KeyFiles;
import dev.warden.log.LogStore;
import dev.warden.log.NoteKey;
import dev.warden.log.TransparencyLog;
import dev.warden.log.WitnessClient;
import dev.warden.registry.Attestor;
import dev.warden.server.logclient.HttpTransport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The transparency log as the server wires it ({@code [tlog]}): the log over its store, the
 * registry's statement key and the {@link Attestor} that seals each statement with it and appends
 * it, and the witnesses each new checkpoint is submitted to.
 *
 * @param registryKey signs the registry's statements (the log's entries)
 */
record LogWiring(
        TransparencyLog log,
        NoteKey.Signer registryKey,
        List<WitnessClient> witnesses,
        Attestor attestor) {

    private static final Logger LOG = LoggerFactory.getLogger(LogWiring.class);

    /**
     * Opens the transparency log over {@code logStore} (its own store beside the registry's, from
     * {@link Stores}) and has the registry sign every change it attests and append it there.
     */
    static LogWiring open(Config config, Path data, String publicUrl, LogStore logStore) {
        Config.Tlog tc = config.tlog();
        String origin = tc.origin();
        if (origin.isBlank()) {
            String stored = logStore.checkpoint();
            origin =
                    stored != null
                            ? stored.substring(0, stored.indexOf('\n'))
                            : publicUrl.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "") + "/-/log";
        }
        Path keyFile =
                tc.keyFile().isBlank() ? data.resolve("keys/log.key") : Path.of(tc.keyFile());
        Path registryKeyFile =
                tc.registryKeyFile().isBlank()
                        ? data.resolve("keys/registry.key")
                        : Path.of(tc.registryKeyFile());
        NoteKey.Signer logKey = KeyFiles.loadOrCreate(keyFile, origin, NoteKey.ED25519);
        NoteKey.Signer registryKey =
                KeyFiles.loadOrCreate(
                        registryKeyFile,
                        URI.create(publicUrl).getAuthority() + "/registry",
                        NoteKey.ED25519);
        TransparencyLog.Settings ls = TransparencyLog.Settings.of(origin);
        TransparencyLog tlog;
        try {
            tlog =
                    new TransparencyLog(
                            logStore,
                            logKey,
                            new TransparencyLog.Settings(
                                    origin,
                                    ls.maxBatch(),
                                    ls.queueCapacity(),
                                    (long) tc.cacheMb() << 20,
                                    data.resolve("log-bundles")));
        } catch (RuntimeException e) {
            logStore.close();
            throw e;
        }
        Attestor attestor =
                statement ->
                        tlog.appendAndWait(
                                Envelope.seal(
                                        statement.getBytes(StandardCharsets.UTF_8), registryKey));
        HttpTransport http =
                new HttpTransport(
                        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
        List<WitnessClient> witnesses = new ArrayList<>();
        for (String spec : tc.witnesses().split(",")) {
            if (!spec.isBlank()) {
                witnesses.add(WitnessClient.parse(tlog, spec.strip(), http));
            }
        }
        LOG.atInfo()
                .addKeyValue("origin", origin)
                .addKeyValue("key", logKey.verifier().vkey())
                .addKeyValue("size", tlog.snapshot().size())
                .log("transparency log open");
        return new LogWiring(tlog, registryKey, witnesses, attestor);
    }

    /**
     * Each new checkpoint goes to the witnesses at once (and again every second until they cosign
     * one), so at a registry's write rate the served checkpoint is cosigned within milliseconds.
     * One submission per witness at a time, on {@code requests}; a checkpoint signed meanwhile is
     * submitted when it ends.
     */
    void submitToWitnesses(ScheduledExecutorService background, ExecutorService requests) {
        List<Runnable> submissions = new ArrayList<>();
        for (WitnessClient w : witnesses) {
            AtomicBoolean busy = new AtomicBoolean();
            AtomicBoolean again = new AtomicBoolean();
            Runnable submit =
                    new Runnable() {
                        @Override
                        public void run() {
                            if (!busy.compareAndSet(false, true)) {
                                again.set(true);
                                return;
                            }
                            requests.execute(
                                    () -> {
                                        try {
                                            w.submit();
                                        } finally {
                                            busy.set(false);
                                            if (again.getAndSet(false)) {
                                                run();
                                            }
                                        }
                                    });
                        }
                    };
            submissions.add(submit);
            background.scheduleWithFixedDelay(submit, 1, 1, TimeUnit.SECONDS);
        }
        if (!submissions.isEmpty()) {
            log.onCheckpoint(() -> submissions.forEach(Runnable::run));
        }
    }
}
