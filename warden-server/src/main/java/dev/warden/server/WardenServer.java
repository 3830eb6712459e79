package dev.warden.server;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.accounts.Accounts;
import dev.warden.accounts.Mailer;
import dev.warden.accounts.OutboxMailer;
import dev.warden.accounts.PasswordHasher;
import dev.warden.log.KeyFiles;
import dev.warden.log.TransparencyLog;
import dev.warden.log.WitnessClient;
import dev.warden.provenance.IdTokens;
import dev.warden.registry.Registry;
import dev.warden.registry.RegistrySettings;
import dev.warden.registry.Wiring;
import dev.warden.server.http.ClientAddress;
import dev.warden.server.http.Dispatcher;
import dev.warden.server.http.Router;
import dev.warden.storage.BlobStore;
import dev.warden.storage.MetadataStore;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One Warden process: storage, domain modules and the HTTP server, wired from a {@link Config}.
 *
 * <p>Requests run on virtual threads (Jetty hands blocking handlers to them); reads of packuments
 * are a cache lookup, tarballs are streamed from the blob directory.
 */
public final class WardenServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WardenServer.class);

    private final Config config;
    private final Stores stores;
    private final MetadataStore store;
    private final BlobStore blobs;
    private Accounts accounts;
    private final ObjectMapper json;
    private final PrometheusMeterRegistry meters;
    private final Server jetty;
    private final ServerConnector connector;
    private final ScheduledExecutorService background;
    private final java.util.concurrent.ExecutorService requests;
    private Registry registry;
    private TransparencyLog tlog;
    private dev.warden.signing.SigningStack signing;
    private ProxyWiring proxy;
    private dev.warden.provenance.sigstore.TrustRoot configuredTrust;

    /**
     * What provenance verifies against now: the configured roots and the instance's own, which may
     * rotate.
     */
    private volatile dev.warden.provenance.sigstore.TrustRoot provenanceTrust;

    private java.util.function.BiPredicate<String, String> issuerOfType;
    private dev.warden.provenance.SigningKeyStore signingKeys;

    private final Clock clock;

    /** The shared keys' lock (postgres driver), held from the start of the start to its end. */
    private Stores.KeyShare keyShare;

    private WardenServer(Config config, Clock clock) throws IOException {
        this.config = config;
        this.clock = clock;
        Path data = Path.of(config.storage().data()).toAbsolutePath();
        Files.createDirectories(data);
        if (!List.of("loopback", "public", "none").contains(config.server().metrics())) {
            throw new IllegalArgumentException(
                    "server.metrics: \"loopback\", \"public\" or \"none\", not \""
                            + config.server().metrics()
                            + "\"");
        }
        this.stores = Stores.open(config);
        this.store = stores.metadata();
        this.blobs = stores.blobs();
        this.json = ServerSettings.json(config.server());
        this.meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
        new JvmGcMetrics().bindTo(meters);

        QueuedThreadPool threads = new QueuedThreadPool(200, 4);
        threads.setName("http");
        this.requests =
                Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("req-", 0).factory());
        this.jetty = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(true);
        // npm sends scoped names as @scope%2fname: the encoded slash is part of a path segment.
        http.setUriCompliance(UriCompliance.LEGACY);
        this.connector = new ServerConnector(jetty, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(config.server().host());
        connector.setPort(config.server().port());
        connector.setAcceptQueueSize(1024);
        connector.setIdleTimeout(
                30_000); // a request body that stops arriving altogether ends here (see BodyBudget)
        jetty.addConnector(connector);
        this.background =
                Executors.newSingleThreadScheduledExecutor(
                        Thread.ofPlatform().daemon().name("background").factory());
    }

    /** Starts a server; with port 0 the system picks one ({@link #port()}). */
    public static WardenServer start(Config config) throws Exception {
        return start(config, Clock.systemUTC());
    }

    /** Starts a server whose notion of time is {@code clock} (tests move it). */
    public static WardenServer start(Config config, Clock clock) throws Exception {
        WardenServer s = new WardenServer(config, clock);
        try {
            s.startUp();
        } catch (Exception e) {
            s.close();
            throw e;
        }
        return s;
    }

    private void startUp() throws Exception {
        connector.open();
        int port = connector.getLocalPort();
        String publicUrl =
                config.server().publicUrl().isBlank()
                        ? "http://" + hostForUrl(config.server().host()) + ":" + port
                        : config.server().publicUrl().replaceAll("/+$", "");
        Path data = Path.of(config.storage().data()).toAbsolutePath();
        // Nodes on one database start one after the other from here to the push below, so that
        // the keys made by the first are the keys of all.
        this.keyShare = stores.shareKeys();
        AwarenessWiring awareness =
                new AwarenessWiring(config.awareness(), store, clock, publicUrl);
        // every mail gets a verification code and the footer that names the official page
        Mailer mailer =
                awareness.verified(
                        config.mail().smtpHost().isBlank()
                                ? new OutboxMailer(
                                        data.resolve("outbox"), config.mail().from(), clock)
                                : new SmtpMailer(config.mail()));
        this.accounts =
                new Accounts(
                        store,
                        new PasswordHasher(),
                        ServerSettings.accounts(config.accounts(), publicUrl),
                        clock,
                        mailer);
        awareness.stepUpSignIns(accounts, mailer);
        List<IdTokens.Issuer> issuers = ServerSettings.issuers(config.oidc());
        IdTokens idTokens = new IdTokens(issuers, clock);
        this.configuredTrust = trustRoot(config.provenance());
        this.issuerOfType =
                (type, iss) ->
                        issuers.stream().anyMatch(i -> i.type().equals(type) && i.matches(iss));
        this.provenanceTrust = configuredTrust;
        this.signingKeys =
                dev.warden.provenance.SigningKeys.open(
                        data.resolve("keys/signing"), clock.instant());
        LogWiring logParts = LogWiring.open(config, data, publicUrl, stores.log());
        this.tlog = logParts.log();
        // The composition root: everything the registry is connected to, given once.
        Wiring wiring =
                Wiring.none()
                        .withGuard(accounts::checkSensitiveAllowed)
                        .withSigner(signingKeys::sign)
                        .withAttestor(logParts.attestor())
                        .withCommitments(
                                new dev.warden.registry.LogCommitments(
                                        secret(data.resolve("keys/log-commitments.key"))))
                        .withTrust(() -> provenanceTrust, issuerOfType)
                        .withOrganizations(accounts.organizations())
                        .withReview(ServerSettings.review(config.review()))
                        .withGovernance(
                                ServerSettings.governance(
                                        config.governance(),
                                        (user, subject, body) ->
                                                accounts.user(user)
                                                        .ifPresent(
                                                                u ->
                                                                        mailer.send(
                                                                                user, u.email(),
                                                                                subject, body))))
                        .withListener(awareness.changes(accounts, mailer));
        RegistrySettings settings = ServerSettings.registry(config, publicUrl);
        this.registry = new Registry(store, blobs, json, settings, clock, wiring);
        this.proxy =
                ProxyWiring.open(
                        config,
                        store,
                        blobs,
                        registry,
                        signingKeys::sign,
                        configuredTrust,
                        publicUrl,
                        clock);
        ChangeSubscribers.wire(store.changes(), registry, proxy.reads());

        Router router = new Router();
        new OpsApi(stores::health, json, meters, config.server().metrics()).routes(router);
        TarballBuffers buffers =
                new TarballBuffers(
                        (long) config.registry().tarballMapMb() << 20,
                        (long) config.registry().tarballMapMaxFileMb() << 20);
        new ProfileApi(accounts, clock, json).routes(router);
        new OrgApi(accounts, registry).routes(router);
        WebPages web =
                stores.shared()
                        ? new WebPages(
                                accounts, publicUrl, clock, secret(data.resolve("keys/csrf.key")))
                        : new WebPages(accounts, publicUrl, clock);
        web.routes(router);
        awareness.pageRoutes(router, registry, accounts, web, mailer, json);
        // the pages people browse: each class owns its routes

        new BrowsePages(web, registry, store, clock).routes(router);

        new ApprovalPages(
                        web,
                        registry,
                        new WebDecisions(
                                registry, accounts, awareness.passkeyRule(registry, mailer)))
                .routes(router);

        new LogPages(
                        web,
                        tlog,
                        logParts.registryKey().verifier(),
                        logParts.witnesses().stream().map(WitnessClient::key).toList(),
                        registry,
                        json)
                .routes(router);

        new AccountPages(web, accounts, clock).routes(router);

        new LogApi(
                        tlog,
                        logParts.registryKey().verifier(),
                        logParts.witnesses().stream().map(WitnessClient::key).toList(),
                        json,
                        publicUrl,
                        buffers)
                .routes(router);
        new ProvenanceApi(signingKeys, registry, json).withProxy(proxy.reads()).routes(router);
        if (config.signing().enabled()) {
            var logStores = stores.signingLogs();
            this.signing =
                    dev.warden.signing.SigningStack.open(
                            data,
                            publicUrl,
                            logStores,
                            caKeyStore(config.signing(), data),
                            idTokens,
                            json,
                            clock);
            signing.alsoPublish(
                    () ->
                            java.util.Map.of(
                                    "registry_keys.json",
                                    ProvenanceApi.keysDocument(signingKeys, json),
                                    "transparency_log.json",
                                    LogApi.trustDocument(
                                            tlog,
                                            logParts.registryKey().verifier(),
                                            publicUrl,
                                            json)));
            signing.publishTuf(
                    data.resolve("tuf"),
                    data.resolve("keys/tuf/online.json"),
                    data.resolve("keys/tuf-root"),
                    clock.instant());
            new SigningApi(signing, json, clock).routes(router);
        }
        trustProvenance();
        String audience =
                config.oidc().audience().isBlank()
                        ? "npm:" + java.net.URI.create(publicUrl).getHost()
                        : config.oidc().audience();
        new TrustApi(registry, accounts, idTokens, audience, json).routes(router);
        var passkeys = awareness.passkeyRule(registry, mailer);
        new StageApi(registry, json).withPasskeys(passkeys).routes(router);
        awareness.advisoryRoutes(router, registry);
        proxy.routes(router, accounts);
        new NpmApi(registry, accounts, json, buffers)
                .withPasskeys(passkeys)
                .withProxy(proxy.reads())
                .routes(router);
        awareness.nudges(router, accounts, json); // after every route
        Dispatcher.AccessLog access =
                Dispatcher.AccessLog.valueOf(config.log().access().toUpperCase(Locale.ROOT));
        Dispatcher dispatcher =
                new Dispatcher(
                        router,
                        json,
                        accounts,
                        config.server().maxBodyBytes(),
                        ServerSettings.bodyBudget(config.server(), clock),
                        meters,
                        access,
                        requests);
        dispatcher.publicUrl(publicUrl);
        dispatcher.clientAddresses(ClientAddress.trusting(config.server().trustedProxies()));
        jetty.setHandler(dispatcher);
        List<String> pushed = keyShare.push();
        if (!pushed.isEmpty()) {
            LOG.info("stored {} key file(s) for the other nodes: {}", pushed.size(), pushed);
        }
        keyShare.close();
        keyShare = null;
        // After the keys are shared: this work can be long (log appends, a rebuild of every
        // packument) and other nodes wait for the keys' lock to start.
        registry.governance().applyApproved();
        int logged = registry.logPendingEvents();
        if (logged > 0) {
            LOG.info("logged {} change(s) that had committed before the last stop", logged);
        }
        rebuildIfUrlChanged(publicUrl);
        jetty.start();
        logParts.submitToWitnesses(background, requests);
        // Changes whose log append failed while serving are retried; at start they were already.
        background.scheduleWithFixedDelay(this::logPendingChanges, 30, 30, TimeUnit.SECONDS);
        // Staged releases whose cool-off ended go live; those past their lifetime expire;
        // succession notices are posted and advanced.
        background.scheduleWithFixedDelay(this::releaseDueStages, 30, 30, TimeUnit.SECONDS);
        if (signing != null) {
            background.scheduleWithFixedDelay(
                    () -> {
                        try {
                            refreshSigning();
                        } catch (RuntimeException e) {
                            LOG.warn(
                                    "refreshing the signing stack's trusted root and TUF metadata",
                                    e);
                        }
                    },
                    30,
                    30,
                    TimeUnit.SECONDS);
        }
        proxy.scheduleAdvisories(background, requests);
        int flush = Math.max(1, config.registry().downloadsFlushSeconds());
        background.scheduleWithFixedDelay(this::flushDownloads, flush, flush, TimeUnit.SECONDS);
        LOG.atInfo()
                .addKeyValue("url", publicUrl)
                .addKeyValue("data", data)
                .log("warden listening on " + config.server().host() + ":" + port);
    }

    /**
     * What the server does every 30 s for its signing stack: picks up a CA rotation (republishing
     * the trusted root, which the registry's provenance checks then trust) and re-signs TUF
     * metadata as it ages.
     */
    public void refreshSigning() {
        if (signing != null && signing.refresh(clock.instant())) {
            trustProvenance();
        }
    }

    /**
     * The registry's provenance checks trust the configured roots and, when it runs, the instance's
     * own signing stack.
     */
    private void trustProvenance() {
        dev.warden.provenance.sigstore.TrustRoot trust = configuredTrust;
        if (signing != null) {
            try {
                trust =
                        trust.and(
                                dev.warden.provenance.sigstore.TrustRoot.parse(
                                        json.writeValueAsBytes(signing.trustedRoot())));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        this.provenanceTrust = trust;
    }

    /**
     * Where the signing stack's CA keeps its intermediate keys: files under {@code data} (default)
     * or a PKCS#11 token.
     */
    static dev.warden.signing.CaKeyStore caKeyStore(Config.Signing s, Path data) {
        return switch (s.caKeyStore() == null ? "files" : s.caKeyStore()) {
            case "files", "" ->
                    dev.warden.signing.CaKeyStore.files(
                            dev.warden.signing.SigningStack.keyDir(data));
            case "pkcs11" -> {
                if (s.pkcs11Config() == null || s.pkcs11Config().isBlank()) {
                    throw new IllegalArgumentException(
                            "signing.pkcs11_config: a SunPKCS11 configuration file is needed for"
                                    + " ca_key_store = \"pkcs11\"");
                }
                String pin = System.getenv("WARDEN_PKCS11_PIN");
                if (pin == null) {
                    throw new IllegalArgumentException(
                            "signing.ca_key_store = \"pkcs11\": set the token's user PIN in"
                                    + " WARDEN_PKCS11_PIN");
                }
                yield dev.warden.signing.CaKeyStore.pkcs11(
                        Path.of(s.pkcs11Config()), pin.toCharArray());
            }
            default ->
                    throw new IllegalArgumentException(
                            "signing.ca_key_store: \"files\" or \"pkcs11\", not \""
                                    + s.caKeyStore()
                                    + "\"");
        };
    }

    public TransparencyLog transparencyLog() {
        return tlog;
    }

    private void logPendingChanges() {
        try {
            int n = registry.logPendingEvents();
            if (n > 0) {
                LOG.info("logged {} change(s) whose append had failed", n);
            }
        } catch (RuntimeException e) {
            LOG.warn("could not log pending changes", e);
        }
    }

    private void releaseDueStages() {
        try {
            registry.governance().releaseDue();
            registry.succession().sweep();
        } catch (RuntimeException e) {
            LOG.warn("could not release or expire staged releases", e);
        }
    }

    private void flushDownloads() {
        try {
            registry.downloads().flush();
        } catch (RuntimeException e) {
            LOG.warn("could not write download counts", e);
        }
    }

    /**
     * What stored packuments were rendered by, beside the public URL; a new value rebuilds them at
     * the next start. 2: homepage, bugs and repository URLs that are neither links nor a
     * repository's are dropped. 3: also funding and author, contributors' and maintainers' URLs;
     * hidden characters and unknown scheme-less repository values too.
     */
    private static final String PACKUMENT_FORMAT = "format 3";

    /**
     * Packuments embed tarball URLs: when the public URL (or their format) changes, rebuild them
     * all.
     */
    private void rebuildIfUrlChanged(String publicUrl) throws IOException {
        Path marker = Path.of(config.storage().data()).resolve("packuments.url");
        String previous =
                Files.exists(marker) ? Files.readString(marker, StandardCharsets.UTF_8) : "";
        String current = publicUrl + "\n" + PACKUMENT_FORMAT;
        if (!previous.equals(current)) {
            int n = registry.rebuildAll();
            Files.writeString(marker, current, StandardCharsets.UTF_8);
            if (n > 0) {
                LOG.info(
                        "rebuilt {} packuments for public URL {} ({})",
                        n,
                        publicUrl,
                        PACKUMENT_FORMAT);
            }
        }
    }

    private static String hostForUrl(String host) {
        if (host.equals("0.0.0.0") || host.equals("::") || host.isBlank()) {
            return "127.0.0.1";
        }
        return host.contains(":") ? "[" + host + "]" : host;
    }

    public int port() {
        return connector.getLocalPort();
    }

    public Accounts accounts() {
        return accounts;
    }

    public Registry registry() {
        return registry;
    }

    public void join() throws InterruptedException {
        jetty.join();
    }

    @Override
    public void close() {
        try {
            jetty.stop();
        } catch (Exception e) {
            LOG.warn("stopping http", e);
        }
        background.shutdownNow();
        requests.shutdown();
        if (registry != null) {
            flushDownloads();
        }
        if (signing != null) {
            signing.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (tlog != null) {
            tlog.close();
        }
        if (keyShare != null) {
            keyShare.close();
        }
        stores.close();
    }

    /**
     * The public-good root (unless turned off) and the instance's own trusted_root.json files, as
     * one trust root.
     */
    static dev.warden.provenance.sigstore.TrustRoot trustRoot(Config.Provenance p) {
        dev.warden.provenance.sigstore.TrustRoot root = null;
        if (p.publicGood()) {
            root = dev.warden.provenance.sigstore.TrustRoot.publicGood();
        }
        for (String file : p.trustedRoots()) {
            dev.warden.provenance.sigstore.TrustRoot own;
            try {
                own =
                        dev.warden.provenance.sigstore.TrustRoot.parse(
                                java.nio.file.Files.readAllBytes(java.nio.file.Path.of(file)));
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException(
                        "provenance.trusted_roots: cannot read " + file + ": " + e.getMessage(), e);
            } catch (dev.warden.provenance.sigstore.VerificationFailure e) {
                throw new IllegalArgumentException(
                        "provenance.trusted_roots: " + file + ": " + e.getMessage(), e);
            }
            root = root == null ? own : root.and(own);
        }
        if (root == null) {
            throw new IllegalArgumentException(
                    "provenance: public_good is off and no trusted_roots are given: nothing to"
                            + " verify provenance against");
        }
        return root;
    }

    /** A 32-byte secret kept in {@code file}, made on first use (owner-only, written durably). */
    private static byte[] secret(Path file) throws java.io.IOException {
        if (java.nio.file.Files.exists(file)) {
            byte[] bytes = java.nio.file.Files.readAllBytes(file);
            if (bytes.length < 32) {
                throw new IllegalStateException(
                        file
                                + " holds "
                                + bytes.length
                                + " bytes; a secret of at least 32 is expected");
            }
            return bytes;
        }
        byte[] bytes = new byte[32];
        new java.security.SecureRandom().nextBytes(bytes);
        java.nio.file.Files.createDirectories(file.getParent());
        KeyFiles.write(file, bytes, true);
        return bytes;
    }
}
