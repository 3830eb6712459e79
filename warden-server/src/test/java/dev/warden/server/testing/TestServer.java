package dev.warden.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.server.Config;
import dev.warden.server.WardenServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/** A real Warden server on a free loopback port with its own data directory, for tests. */
public final class TestServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * {@code -Dwarden.test.storage=postgres} runs every server of the tests on the postgres driver
     * (a new database and bucket each, on the JVM's shared PostgreSQL and S3 servers).
     */
    public static final String STORAGE_PROPERTY = "warden.test.storage";

    private final Path data;
    private final WardenServer server;
    private final Http http;

    private TestServer(Path data, WardenServer server) {
        this.data = data;
        this.server = server;
        this.http = new Http(url());
    }

    public static TestServer start() throws Exception {
        return start(Map.of());
    }

    /** Starts with extra settings ("section.key" to value). */
    public static TestServer start(Map<String, String> settings) throws Exception {
        Path data = Files.createTempDirectory("warden-test-");
        return start(data, settings);
    }

    public static TestServer start(Path data, Map<String, String> settings) throws Exception {
        return start(data, settings, java.time.Clock.systemUTC());
    }

    /** Starts with a clock of the test's (a {@link MovableClock} to move time). */
    public static TestServer start(Map<String, String> settings, java.time.Clock clock)
            throws Exception {
        return start(Files.createTempDirectory("warden-test-"), settings, clock);
    }

    /**
     * Starts with the public URL {@code http://localhost:<port>}: passkeys need a host name, not an
     * IP address.
     */
    public static TestServer startAtLocalhost(Map<String, String> settings, java.time.Clock clock)
            throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Map<String, String> all = new LinkedHashMap<>(settings);
        all.put("server.port", Integer.toString(port));
        all.put("server.public_url", "http://localhost:" + port);
        return start(all, clock);
    }

    public static TestServer start(Path data, Map<String, String> settings, java.time.Clock clock)
            throws Exception {
        return start(data, null, settings, clock);
    }

    /**
     * Starts with a config file of {@code toml} (for what only a file can say, such as {@code
     * [[uplinks]]}) and extra settings.
     */
    public static TestServer startWithFile(String toml, Map<String, String> settings)
            throws Exception {
        Path data = Files.createTempDirectory("warden-test-");
        Path file = data.resolve("warden.toml");
        Files.writeString(file, toml);
        return start(data, file, settings, java.time.Clock.systemUTC());
    }

    private static TestServer start(
            Path data, Path file, Map<String, String> settings, java.time.Clock clock)
            throws Exception {
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("server.port", "0");
        overrides.put("storage.data", data.toString());
        overrides.put("log.access", "none");
        if ("postgres".equals(System.getProperty(STORAGE_PROPERTY))
                && !settings.containsKey("storage.driver")) {
            overrides.putAll(postgres());
        }
        overrides.putAll(settings);
        Config config = Config.load(file, Map.of(), overrides);
        return new TestServer(data, WardenServer.start(config, clock));
    }

    /**
     * The settings of the postgres driver on a new database and bucket of the JVM's shared test
     * servers; servers given the same map share their stores, as nodes do.
     */
    public static Map<String, String> postgres() {
        dev.warden.storage.tests.PostgresCluster pg =
                dev.warden.storage.tests.PostgresCluster.shared();
        dev.warden.storage.tests.S3Server s3 = dev.warden.storage.tests.S3Server.shared();
        Map<String, String> m = new LinkedHashMap<>();
        m.put("storage.driver", "postgres");
        m.put("storage.postgres_url", pg.jdbcUrl(pg.newDatabase()));
        m.put("storage.postgres_user", pg.user());
        m.put("storage.postgres_password", pg.password());
        m.put("storage.postgres_pool_size", "4");
        m.put("storage.s3_endpoint", s3.endpoint().toString());
        m.put("storage.s3_region", s3.region());
        m.put("storage.s3_bucket", s3.newBucket());
        m.put("storage.s3_access_key", s3.accessKey());
        m.put("storage.s3_secret_key", s3.secretKey());
        return m;
    }

    public String url() {
        return "http://127.0.0.1:" + server.port();
    }

    public int port() {
        return server.port();
    }

    public Path data() {
        return data;
    }

    public Http http() {
        return http;
    }

    public WardenServer server() {
        return server;
    }

    /** Creates (or logs in) a user through the CouchDB flow and returns its token. */
    public String token(String user) throws IOException, InterruptedException {
        Http.Result r =
                http.put(
                        "/-/user/org.couchdb.user:" + user,
                        null,
                        Map.of(
                                "_id",
                                "org.couchdb.user:" + user,
                                "name",
                                user,
                                "password",
                                password(user),
                                "email",
                                user + "@example.com",
                                "type",
                                "user",
                                "roles",
                                new Object[0]));
        if (r.status() != 201) {
            throw new IllegalStateException("login failed: " + r.status() + " " + r.body());
        }
        return r.json().get("token").asText();
    }

    /**
     * Turns on two-factor authentication for {@code user} as {@code npm profile enable-2fa <mode>}
     * does; returns the authenticator.
     */
    public Authenticator enableTwoFactor(String user, String token, String mode)
            throws IOException, InterruptedException {
        return enableTwoFactor(user, token, mode, null);
    }

    /**
     * As {@link #enableTwoFactor(String, String, String)}, for a server on {@code clock} (may be
     * null for the real one).
     */
    public Authenticator enableTwoFactor(String user, String token, String mode, MovableClock clock)
            throws IOException, InterruptedException {
        Http.Result begin =
                http.post(
                        "/-/npm/v1/user",
                        token,
                        JSON.writeValueAsBytes(
                                Map.of("tfa", Map.of("password", password(user), "mode", mode))),
                        Map.of("Content-Type", "application/json"));
        if (begin.status() != 200) {
            throw new IllegalStateException(
                    "enabling 2FA failed: " + begin.status() + " " + begin.body());
        }
        Authenticator app = new Authenticator(begin.json().path("tfa").asText());
        if (clock != null) {
            app.following(clock);
        }
        Http.Result confirm =
                http.post(
                        "/-/npm/v1/user",
                        token,
                        JSON.writeValueAsBytes(Map.of("tfa", java.util.List.of(app.next()))),
                        Map.of("Content-Type", "application/json"));
        if (confirm.status() != 200) {
            throw new IllegalStateException(
                    "confirming 2FA failed: " + confirm.status() + " " + confirm.body());
        }
        return app;
    }

    /**
     * Creates {@code user} (with the password {@link #token} uses) in a data directory no server
     * has open, and stores {@code email} for it as it is, unchecked: as an address stored before
     * addresses were checked would be.
     */
    public static void storeUserUnchecked(Path data, String user, String email) throws IOException {
        Files.createDirectories(data);
        try (var store =
                dev.warden.storage.embedded.EmbeddedStorage.metadata(data.resolve("warden.db"))) {
            new dev.warden.accounts.Accounts(
                            store,
                            new dev.warden.accounts.PasswordHasher(),
                            dev.warden.accounts.Accounts.Settings.defaults(),
                            java.time.Clock.systemUTC())
                    .createUser(user, user + "@example.com", password(user), false);
            store.write(
                    tx -> {
                        var u = tx.users().find(user).orElseThrow();
                        tx.users()
                                .update(
                                        new dev.warden.storage.Users.UserRecord(
                                                u.name(),
                                                email,
                                                u.passwordHash(),
                                                u.created(),
                                                u.admin()));
                        return null;
                    });
        }
    }

    /** The password {@link #token} registers a user with. */
    public static String password(String user) {
        return "s3cret-" + Integer.toHexString(user.hashCode()) + "-horse";
    }

    public static JsonNode parse(String text) throws IOException {
        return JSON.readTree(text);
    }

    @Override
    public void close() throws IOException {
        server.close();
        try (Stream<Path> files = Files.walk(data)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
