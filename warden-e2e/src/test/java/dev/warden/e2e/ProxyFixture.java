package dev.warden.e2e;

import com.fasterxml.jackson.databind.JsonNode;

import dev.warden.cli.InProcessWarden;
import dev.warden.e2e.VerifyFixture.Identity;
import dev.warden.server.Config;
import dev.warden.server.WardenServer;
import dev.warden.server.testing.Http;
import dev.warden.server.testing.TestOidcIssuer;
import dev.warden.server.testing.TestServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An upstream Warden with real signatures and provenance, a {@link TamperingFront} before it, and
 * proxy Wardens whose one uplink is the front.
 *
 * <p>The upstream (its own data directory, signing stack, TUF repository and private Sigstore)
 * began ten days ago: its clock is set back while the older versions are published, so their {@code
 * time} is ten days old, then moved to the present for the new ones. Its public URL is the front's,
 * so the tarball and attestation URLs of its packuments lead through the front. Packages:
 *
 * <ul>
 *   <li>{@code @px/core@1.0.0}, {@code @px/widget@1.0.0} (depends on core): provenance from {@link
 *       VerifyFixture#ACME};
 *   <li>{@code px-aged@1.0.0} (ten days old) and {@code 1.1.0} (now): provenance from {@link
 *       VerifyFixture#PAD};
 *   <li>{@code px-scripted@1.0.0}: a postinstall script (inert: installs run with scripts off);
 *   <li>{@code px-plain@1.0.0}: no provenance;
 *   <li>for the tamperings, each its own package so one proxy serves every test: {@code
 *       px-swapped@1.0.0}, {@code px-mismatch@1.0.0} and {@code px-forged@1.0.0} (no provenance),
 *       {@code px-bundled@1.0.0} and {@code 1.1.0}, {@code px-downgrade@1.0.0} and {@code 1.1.0}
 *       (all with ACME's provenance).
 * </ul>
 */
final class ProxyFixture implements AutoCloseable {

    static final String UPLINK = "up";
    static final String USER = "publisher";

    final Path dir;
    final TamperingFront front;
    final ShiftedClock clock = new ShiftedClock();
    private final TestOidcIssuer issuer;
    private final Path upstreamData;
    private WardenServer upstream;
    private int upstreamPort;
    private String token;
    private final List<ProxyWarden> proxies = new ArrayList<>();

    private ProxyFixture(Path dir) throws Exception {
        this.dir = dir;
        this.upstreamData = Files.createDirectories(dir.resolve("upstream-data"));
        this.front = new TamperingFront();
        this.issuer = TestOidcIssuer.start(clock);
        clock.shift(Duration.ofDays(-10));
        startUpstream(0);
        front.forwardTo(upstreamUrl());
    }

    /** Starts the upstream and the front and publishes the packages (about 10 s). */
    static ProxyFixture start(Path dir) throws Exception {
        Clients.installOthers();
        ProxyFixture f = new ProxyFixture(dir);
        try {
            f.publishAll();
        } catch (Exception | Error e) {
            f.close();
            throw e;
        }
        return f;
    }

    /** The upstream itself, not through the front. */
    String upstreamUrl() {
        return "http://127.0.0.1:" + upstreamPort;
    }

    Http upstreamHttp() {
        return new Http(upstreamUrl());
    }

    // ------------------------------------------------------------------ the upstream

    private void startUpstream(int onPort) throws Exception {
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("server.port", Integer.toString(onPort));
        overrides.put("server.public_url", front.url());
        overrides.put("storage.data", upstreamData.toString());
        overrides.put("log.access", "none");
        overrides.put("oidc.extra_issuers", issuer.extraIssuersSetting());
        upstream = WardenServer.start(Config.load(null, Map.of(), overrides), clock);
        upstreamPort = upstream.port();
    }

    /** Stops the upstream (its data kept); the front then answers 502 as a gateway does. */
    void stopUpstream() {
        if (upstream != null) {
            upstream.close();
            upstream = null;
        }
    }

    /** Starts the upstream again on its port and data. */
    void startUpstream() throws Exception {
        if (upstream == null) {
            startUpstream(upstreamPort);
        }
    }

    private void publishAll() throws Exception {
        token = new TestUser(upstreamHttp()).token(USER);
        publish("@px/core", "1.0.0", Map.of(), null, VerifyFixture.ACME);
        publish("@px/widget", "1.0.0", Map.of("@px/core", "^1.0.0"), null, VerifyFixture.ACME);
        publish("px-aged", "1.0.0", Map.of(), null, VerifyFixture.PAD);
        publish("px-scripted", "1.0.0", Map.of(), "node install.js", null);
        publish("px-plain", "1.0.0", Map.of(), null, null);
        publish("px-swapped", "1.0.0", Map.of(), null, VerifyFixture.ACME);
        publish("px-mismatch", "1.0.0", Map.of(), null, null);
        publish("px-forged", "1.0.0", Map.of(), null, null);
        publish("px-bundled", "1.0.0", Map.of(), null, VerifyFixture.ACME);
        publish("px-bundled", "1.1.0", Map.of(), null, VerifyFixture.ACME);
        publish("px-downgrade", "1.0.0", Map.of(), null, VerifyFixture.ACME);
        publish("px-downgrade", "1.1.0", Map.of(), null, VerifyFixture.ACME);
        // the present: TUF's timestamp and snapshot, signed ten days ago, are re-signed now
        clock.shift(Duration.ZERO);
        upstream.refreshSigning();
        publish("px-aged", "1.1.0", Map.of(), null, VerifyFixture.PAD);
    }

    /**
     * Publishes {@code name@version} to the upstream with {@code warden publish}, with provenance
     * from {@code identity}'s CI job when it is not null.
     */
    void publish(
            String name,
            String version,
            Map<String, String> dependencies,
            String postinstall,
            Identity identity)
            throws Exception {
        Path tgz =
                Files.write(
                        Files.createDirectories(dir.resolve("tarballs"))
                                .resolve(
                                        name.replace("@", "").replace('/', '-')
                                                + "-"
                                                + version
                                                + ".tgz"),
                        tarball(name, version, dependencies, postinstall, identity, ""));
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "publish",
                                tgz.toString(),
                                "--registry",
                                upstreamUrl(),
                                "--token",
                                token));
        if (identity != null) {
            args.add("--provenance");
            args.add("--id-token");
            args.add(
                    issuer.token(
                            "github",
                            "sigstore",
                            TestOidcIssuer.github(
                                    identity.repository(), identity.workflow(), null)));
        }
        InProcessWarden.Result r = InProcessWarden.run(args.toArray(String[]::new));
        if (r.exit() != 0) {
            throw new AssertionError("publishing " + name + "@" + version + ": " + r.err());
        }
    }

    /**
     * A tarball of {@code name@version} as this fixture makes them; {@code extra} is appended to
     * index.js, so a different {@code extra} gives other bytes for the same version.
     */
    static byte[] tarball(
            String name,
            String version,
            Map<String, String> dependencies,
            String postinstall,
            Identity identity,
            String extra)
            throws Exception {
        StringBuilder json = new StringBuilder();
        json.append("{\"name\":\"").append(name).append("\",\"version\":\"").append(version);
        json.append("\",\"main\":\"index.js\",\"license\":\"MIT\"");
        if (identity != null) {
            json.append(",\"repository\":{\"type\":\"git\",\"url\":\"git+")
                    .append(identity.sourceUrl())
                    .append(".git\"}");
        }
        if (!dependencies.isEmpty()) {
            List<String> deps = new ArrayList<>();
            dependencies.forEach((k, v) -> deps.add("\"" + k + "\":\"" + v + "\""));
            json.append(",\"dependencies\":{").append(String.join(",", deps)).append('}');
        }
        Map<String, String> files = new LinkedHashMap<>();
        files.put(
                "index.js",
                "module.exports = "
                        + VerifyFixture.JsonText.quote(name + "@" + version)
                        + ";\n"
                        + extra);
        if (postinstall != null) {
            json.append(",\"scripts\":{\"postinstall\":\"").append(postinstall).append("\"}");
            files.put("install.js", "// inert: the tests install with scripts off\n");
        }
        json.append('}');
        return VerifyFixture.tarball(json.toString(), files);
    }

    // ------------------------------------------------------------------ proxies

    /**
     * Starts a proxy Warden (its own data directory, the real clock) whose one uplink, {@value
     * #UPLINK}, is the front, asked again on every read ({@code max_age_seconds = 0}) so a
     * tampering shows at once. {@code proxySection} is the body of its {@code [proxy]} table.
     */
    ProxyWarden proxy(String name, String proxySection) throws Exception {
        return proxy(name, uplink(UPLINK, front.url() + "/", 0), proxySection);
    }

    /** The {@code [[uplinks]]} table of one uplink serving every name. */
    static String uplink(String name, String url, int maxAgeSeconds) {
        return "[[uplinks]]\n"
                + "name = \""
                + name
                + "\"\n"
                + "url = \""
                + url
                + "\"\n"
                + "packages = [\"**\"]\n"
                + "timeout_seconds = 20\n"
                + "max_age_seconds = "
                + maxAgeSeconds
                + "\n";
    }

    /** Starts a proxy Warden with {@code uplinks} and {@code [proxy]} {@code proxySection}. */
    ProxyWarden proxy(String name, String uplinks, String proxySection) throws Exception {
        ProxyWarden p = ProxyWarden.start(dir.resolve("proxy-" + name), uplinks, proxySection);
        proxies.add(p);
        return p;
    }

    @Override
    public void close() {
        for (ProxyWarden p : proxies) {
            p.close();
        }
        stopUpstream();
        front.close();
        issuer.close();
    }

    /** A proxy Warden and what tests ask of it. */
    static final class ProxyWarden implements AutoCloseable {
        final Path dir;
        final WardenServer server;
        private final String admin;

        private ProxyWarden(Path dir, WardenServer server, String admin) {
            this.dir = dir;
            this.server = server;
            this.admin = admin;
        }

        static ProxyWarden start(Path dir, String uplinks, String proxySection) throws Exception {
            Path data = Files.createDirectories(dir.resolve("data"));
            Path config =
                    Files.writeString(
                            dir.resolve("warden.toml"), uplinks + "\n[proxy]\n" + proxySection);
            Map<String, String> overrides = new LinkedHashMap<>();
            overrides.put("server.port", "0");
            overrides.put("storage.data", data.toString());
            overrides.put("log.access", "none");
            WardenServer server =
                    WardenServer.start(Config.load(config, Map.of(), overrides), Clock.systemUTC());
            try {
                server.accounts()
                        .createUser("root", "root@example.com", TestServer.password("root"), true);
                String admin =
                        new TestUser(new Http("http://127.0.0.1:" + server.port())).token("root");
                return new ProxyWarden(dir, server, admin);
            } catch (Exception | Error e) {
                server.close();
                throw e;
            }
        }

        String url() {
            return "http://127.0.0.1:" + server.port();
        }

        Http http() {
            return new Http(url());
        }

        /** A full packument as npm asks for it, with its headers. */
        Http.Result packument(String name) throws Exception {
            return http().get(
                            "/" + name.replace("/", "%2f"),
                            null,
                            Map.of("Accept", "application/json"));
        }

        /** The proxy's events ({@code GET /-/warden/v1/proxy/events}), newest first. */
        JsonNode events() throws Exception {
            Http.Result r = http().get("/-/warden/v1/proxy/events?limit=500", admin, Map.of());
            if (r.status() != 200) {
                throw new AssertionError("proxy events: " + r.status() + " " + r.body());
            }
            JsonNode body = r.json();
            return body.has("events") ? body.get("events") : body;
        }

        String adminToken() {
            return admin;
        }

        /**
         * Installs {@code dependencies} into a new project under this proxy's directory with {@code
         * client} (scripts off, a cache of its own so every tarball is asked of the proxy).
         */
        Clients.Run install(
                VerifyFixture.Client client, String project, Map<String, String> dependencies)
                throws Exception {
            return VerifyFixture.install(
                    client,
                    project(client, project),
                    url(),
                    VerifyFixture.packageJson(dependencies),
                    Map.of(
                            "npm_config_cache",
                            project(client, project).resolve(".npm-cache").toString(),
                            "npm_config_fetch_retries",
                            "0"));
        }

        /** The directory of a project {@link #install} made. */
        Path project(VerifyFixture.Client client, String project) {
            return dir.resolve("projects").resolve(project + "-" + client.name());
        }

        @Override
        public void close() {
            server.close();
        }
    }

    /** The {@code version} of a package.json. */
    static String version(Path packageJson) throws java.io.IOException {
        return new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(packageJson.toFile())
                .path("version")
                .asText();
    }

    /** A user made through the CouchDB flow, as {@code npm adduser} does. */
    record TestUser(Http http) {
        String token(String user) throws Exception {
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
                                    TestServer.password(user),
                                    "email",
                                    user + "@example.com",
                                    "type",
                                    "user"));
            if (r.status() != 201) {
                throw new AssertionError("creating " + user + ": " + r.status() + " " + r.body());
            }
            return r.json().path("token").asText();
        }
    }
}
