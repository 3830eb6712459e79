package dev.warden.server;

import dev.warden.accounts.Accounts;
import dev.warden.common.Problem;
import dev.warden.provenance.sigstore.TrustRoot;
import dev.warden.proxy.IngestLog;
import dev.warden.proxy.Proxy;
import dev.warden.proxy.ProxySettings;
import dev.warden.registry.ProxyStatements;
import dev.warden.registry.Registry;
import dev.warden.server.http.Router;
import dev.warden.storage.BlobStore;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.MetadataStore.WriteTx;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The upstream proxy, connected: its network ({@link HttpUpstream}), its statements in the
 * registry's outbox and log, the registry's version signer, the public-good trust root, its trust
 * pins under {@code <data>/proxy/trust}; the registry's guard against publishing a name an uplink
 * has; the routes that ask it; and the advisory feed's timer. Without uplinks it adds nothing.
 */
final class ProxyWiring implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProxyWiring.class);

    /** The largest upstream tarball taken (npm's own limit is far below it). */
    static final long MAX_TARBALL_BYTES = 256L << 20;

    private final ProxySettings settings;
    private final HttpUpstream upstream;
    private final Proxy proxy;
    private final ProxyReads reads;
    private final int refreshMinutes;
    private final AtomicBoolean refreshing = new AtomicBoolean();

    /** {@code proxy} null: no uplinks, the proxy is off. */
    private ProxyWiring(
            ProxySettings settings, HttpUpstream upstream, Proxy proxy, int refreshMinutes) {
        this.settings = settings;
        this.upstream = upstream;
        this.proxy = proxy;
        this.reads = proxy == null ? null : new ProxyReads(proxy);
        this.refreshMinutes = refreshMinutes;
    }

    /**
     * The proxy of {@code config}'s {@code [[uplinks]]} and {@code [proxy]}; with no uplink, a
     * wiring that adds nothing (no routes, no timer, no guard: nothing changes).
     *
     * @param signer the registry's version signer ({@code <name>@<version>:<integrity>})
     * @param publicGood what upstream provenance is verified against
     */
    static ProxyWiring open(
            Config config,
            MetadataStore store,
            BlobStore blobs,
            Registry registry,
            Function<String, Map<String, String>> signer,
            TrustRoot publicGood,
            String publicUrl,
            Clock clock) {
        ProxySettings settings = ServerSettings.proxy(config);
        if (!settings.enabled()) {
            return new ProxyWiring(settings, null, null, config.proxy().osvRefreshMinutes());
        }
        Path data = Path.of(config.storage().data()).toAbsolutePath();
        HttpUpstream upstream = new HttpUpstream();
        Proxy proxy =
                Proxy.create(
                        new Proxy.Parts(
                                settings,
                                store,
                                blobs,
                                upstream,
                                new OutboxLog(registry.proxyStatements()),
                                signer,
                                publicGood,
                                data.resolve("proxy/trust"),
                                publicUrl.endsWith("/") ? publicUrl : publicUrl + "/",
                                MAX_TARBALL_BYTES,
                                clock));
        ProxyWiring wiring =
                new ProxyWiring(settings, upstream, proxy, config.proxy().osvRefreshMinutes());
        registry.newNames().guard(wiring::refuseShadowing);
        registry.newNames().onCreated(wiring.reads::forgetLocal);
        // off the request path: a cold start's first requests would otherwise all wait for it
        Thread.ofVirtual().name("proxy-trust").start(proxy::warmTrust);
        return wiring;
    }

    /** What the routes ask; null when the proxy is off. */
    ProxyReads reads() {
        return reads;
    }

    void routes(Router router, Accounts accounts) {
        if (proxy != null) {
            new ProxyApi(reads, settings, accounts).routes(router);
        }
    }

    /**
     * A local publish of a new name an uplink serves would shadow the upstream package: refused
     * when the uplink has it, and when the uplink cannot say (503 with the reason).
     */
    private void refuseShadowing(String name) {
        if (!proxy.serves(name)) {
            return;
        }
        proxy.upstreamHas(name)
                .ifPresent(
                        uplink -> {
                            throw Problem.conflict(
                                    name
                                            + " exists on uplink "
                                            + uplink
                                            + "; publishing it here would shadow it (declare its"
                                            + " scope in proxy.internal_scopes to publish it"
                                            + " here)");
                        });
    }

    /**
     * Reads the advisory feed now and every {@code osv_refresh_minutes} after, each time on a
     * virtual thread of {@code work} (a feed can be large and slow: the timer thread has other
     * duties).
     */
    void scheduleAdvisories(ScheduledExecutorService timer, ExecutorService work) {
        if (proxy == null || settings.osvFeed() == null) {
            return;
        }
        timer.scheduleWithFixedDelay(
                () -> work.execute(this::refreshAdvisories), 0, refreshMinutes, TimeUnit.MINUTES);
    }

    private void refreshAdvisories() {
        if (!refreshing.compareAndSet(false, true)) {
            return; // the previous read is still going
        }
        try {
            int added = proxy.refreshAdvisories();
            if (added > 0) {
                reads.forgetTarballs();
                LOG.info("quarantined {} upstream version(s) from the advisory feed", added);
            }
        } catch (RuntimeException e) {
            LOG.warn("could not read the advisory feed {}", settings.osvFeed(), e);
        } finally {
            refreshing.set(false);
        }
    }

    @Override
    public void close() {
        if (upstream != null) {
            upstream.close();
        }
    }

    /** The proxy's {@link IngestLog} over the registry's outbox (actor {@code proxy}). */
    private static final class OutboxLog implements IngestLog {
        private final ProxyStatements statements;

        OutboxLog(ProxyStatements statements) {
            this.statements = statements;
        }

        private record Recorded(ProxyStatements.Pending pending) implements Pending {}

        @Override
        public Pending record(
                WriteTx tx,
                String kind,
                String name,
                String version,
                Map<String, Object> detail,
                Instant at) {
            return new Recorded(statements.record(tx, kind, name, version, detail, at));
        }

        @Override
        public List<Long> log(List<Pending> pending) {
            return statements.log(pending.stream().map(p -> ((Recorded) p).pending()).toList());
        }
    }
}
