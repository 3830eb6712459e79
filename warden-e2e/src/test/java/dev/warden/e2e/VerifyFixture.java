package dev.warden.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.cli.InProcessWarden;
import dev.warden.server.Config;
import dev.warden.server.WardenServer;
import dev.warden.server.testing.Authenticator;
import dev.warden.server.testing.Http;
import dev.warden.server.testing.TestOidcIssuer;
import dev.warden.server.testing.TestServer;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPOutputStream;

/**
 * One Warden with its signing stack and TUF repository, the packages a consumer's project uses
 * published to it, and that project locked by each client: npm 11 (package-lock.json), pnpm 10
 * (pnpm-lock.yaml), yarn 1 (yarn.lock, classic) and yarn 4 (yarn.lock, berry).
 *
 * <p>The packages, all but two published ten days ago (the server's clock is set back while they
 * are, so their {@code time} is old as a registry's real history would be):
 *
 * <ul>
 *   <li>{@code @acme/core@1.0.0}, {@code @acme/widget@1.0.0} and {@code 1.1.0} (which depends on
 *       core): provenance from {@link #ACME}'s release workflow;
 *   <li>{@code left-pad@1.3.0} (just now) and {@code fresh-pkg@0.1.0} (just now): provenance from
 *       {@link #PAD}, the second repository;
 *   <li>{@code esbuild@0.1.0}: an install script (inert: every install here runs with scripts off),
 *       no provenance;
 *   <li>{@code plain-pkg@2.0.0}: no provenance.
 * </ul>
 */
final class VerifyFixture implements AutoCloseable {

    /** A CI identity: a GitHub repository and its workflow file. */
    record Identity(String repository, String workflow) {
        String sourceUrl() {
            return "https://github.com/" + repository;
        }
    }

    static final Identity ACME = new Identity("acme/monorepo", "release.yml");
    static final Identity PAD = new Identity("pad/left-pad", "publish.yml");

    /** The clients and the lockfile each writes. */
    enum Client {
        NPM("package-lock.json"),
        PNPM("pnpm-lock.yaml"),
        YARN_CLASSIC("yarn.lock"),
        YARN_BERRY("yarn.lock");

        final String lockfile;

        Client(String lockfile) {
            this.lockfile = lockfile;
        }
    }

    /** What the projects depend on, exactly. */
    static final Map<String, String> DEPENDENCIES =
            Map.of(
                    "@acme/widget", "1.1.0",
                    "left-pad", "1.3.0",
                    "esbuild", "0.1.0",
                    "plain-pkg", "2.0.0",
                    "fresh-pkg", "0.1.0");

    /** Every name@version the lockfiles hold (widget brings core). */
    static final List<String> LOCKED =
            List.of(
                    "@acme/core@1.0.0",
                    "@acme/widget@1.1.0",
                    "left-pad@1.3.0",
                    "esbuild@0.1.0",
                    "plain-pkg@2.0.0",
                    "fresh-pkg@0.1.0");

    static final String USER = "acme";
    private static final ObjectMapper JSON = new ObjectMapper();

    final Path dir;
    final Path data;
    final ShiftedClock clock = new ShiftedClock();
    final TestOidcIssuer issuer;
    private final Map<String, String> settings;
    private WardenServer server;
    private int port;
    private String token;
    private final Map<Client, Path> projects = new EnumMap<>(Client.class);

    private VerifyFixture(Path dir) throws Exception {
        this.dir = dir;
        this.data = Files.createDirectories(dir.resolve("warden-data"));
        this.issuer = TestOidcIssuer.start(clock);
        this.settings = Map.of("oidc.extra_issuers", issuer.extraIssuersSetting());
        // the registry, its CA and its logs began ten days ago
        clock.shift(Duration.ofDays(-10));
        startServer(0);
    }

    /** Starts Warden, publishes the packages and locks the four projects (about 15 s). */
    static VerifyFixture start(Path dir) throws Exception {
        Clients.installOthers();
        VerifyFixture f = new VerifyFixture(dir);
        try {
            f.publishAll();
            f.lockAll();
        } catch (Exception | Error e) {
            f.close();
            throw e;
        }
        return f;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    Http http() {
        return new Http(url());
    }

    String token() {
        return token;
    }

    Path project(Client c) {
        return projects.get(c);
    }

    Path lockfile(Client c) {
        return projects.get(c).resolve(c.lockfile);
    }

    // ------------------------------------------------------------------ server lifecycle

    private void startServer(int onPort) throws Exception {
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("server.port", Integer.toString(onPort));
        overrides.put("storage.data", data.toString());
        overrides.put("log.access", "none");
        overrides.putAll(settings);
        server = WardenServer.start(Config.load(null, Map.of(), overrides), clock);
        port = server.port();
    }

    /** Stops the server, keeping its data (for offline verification). */
    void stopServer() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** Starts it again on the same port and data, so the lockfiles' URLs still reach it. */
    void restartServer() throws Exception {
        stopServer();
        startServer(port);
    }

    boolean running() {
        return server != null;
    }

    @Override
    public void close() {
        stopServer();
        issuer.close();
    }

    // ------------------------------------------------------------------ publishing

    private void publishAll() throws Exception {
        token = token(USER);
        publish("@acme/core", "1.0.0", Map.of(), null, ACME);
        publish("@acme/widget", "1.0.0", Map.of("@acme/core", "^1.0.0"), null, ACME);
        publish("@acme/widget", "1.1.0", Map.of("@acme/core", "^1.0.0"), null, ACME);
        publish("esbuild", "0.1.0", Map.of(), "node install.js", null);
        publish("plain-pkg", "2.0.0", Map.of(), null, null);
        // the present: TUF's timestamp and snapshot, signed ten days ago, are re-signed now
        clock.shift(Duration.ZERO);
        server.refreshSigning();
        publish("left-pad", "1.3.0", Map.of(), null, PAD);
        publish("fresh-pkg", "0.1.0", Map.of(), null, PAD);
    }

    /** Creates {@code user} through the CouchDB flow; returns its token. */
    private String token(String user) throws Exception {
        Http.Result r =
                http().put(
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

    /**
     * Publishes {@code name@version} as {@link #USER} with {@code warden publish}, with provenance
     * from {@code identity}'s CI job when it is not null; returns what the command printed.
     */
    String publish(
            String name,
            String version,
            Map<String, String> dependencies,
            String postinstall,
            Identity identity)
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
            json.append(",\"dependencies\":{");
            List<String> deps = new ArrayList<>();
            dependencies.forEach((k, v) -> deps.add("\"" + k + "\":\"" + v + "\""));
            json.append(String.join(",", deps)).append('}');
        }
        Map<String, String> files = new LinkedHashMap<>();
        files.put("index.js", "module.exports = " + JsonText.quote(name + "@" + version) + ";\n");
        if (postinstall != null) {
            json.append(",\"scripts\":{\"postinstall\":\"").append(postinstall).append("\"}");
            files.put("install.js", "// inert: the tests install with scripts off\n");
        }
        json.append('}');
        Path tgz =
                Files.write(
                        Files.createDirectories(dir.resolve("tarballs"))
                                .resolve(
                                        name.replace("@", "").replace('/', '-')
                                                + "-"
                                                + version
                                                + ".tgz"),
                        tarball(json.toString(), files));
        List<String> args =
                new ArrayList<>(
                        List.of("publish", tgz.toString(), "--registry", url(), "--token", token));
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
        return r.out();
    }

    /**
     * Publishes {@code name@version} with provenance from {@code identity}; when the registry holds
     * it for a maintainer (its build differs from the last release's), approves it as that
     * maintainer, tricked into it, would. Returns the approval's answer, or null when it went live
     * directly or was already published.
     */
    synchronized String publishApproved(
            String name, String version, Map<String, String> deps, Identity identity)
            throws Exception {
        if (http().get("/" + name.replace("/", "%2f")).json().path("versions").has(version)) {
            return null; // an earlier test published it
        }
        String out = publish(name, version, deps, null, identity);
        if (out.contains("+ " + name + "@" + version) && !out.toLowerCase().contains("held")) {
            return null;
        }
        JsonNode items =
                http().get("/-/stage?package=" + name.replace("/", "%2f"), token, Map.of())
                        .json()
                        .path("items");
        for (JsonNode item : items) {
            if (version.equals(item.path("version").asText())) {
                Http.Result approved =
                        http().post(
                                        "/-/stage/" + item.path("id").asText() + "/approve",
                                        token,
                                        new byte[0],
                                        Map.of(
                                                "Content-Type",
                                                "application/json",
                                                "npm-otp",
                                                secondFactor().next()));
                if (approved.status() != 200) {
                    throw new AssertionError(
                            "approving " + name + "@" + version + ": " + approved.body());
                }
                return approved.body();
            }
        }
        throw new AssertionError(name + "@" + version + " neither live nor staged: " + out);
    }

    private Authenticator authenticator;

    /**
     * {@link #USER}'s authenticator app, turning on two-factor authentication (for sign-in only, as
     * {@code npm profile enable-2fa auth-only}) the first time: approving a release needs it.
     */
    private Authenticator secondFactor() throws Exception {
        if (authenticator != null) {
            return authenticator;
        }
        Http.Result begin =
                http().post(
                                "/-/npm/v1/user",
                                token,
                                JSON.writeValueAsBytes(
                                        Map.of(
                                                "tfa",
                                                Map.of(
                                                        "password",
                                                        TestServer.password(USER),
                                                        "mode",
                                                        "auth-only"))),
                                Map.of("Content-Type", "application/json"));
        if (begin.status() != 200) {
            throw new AssertionError("enabling 2FA: " + begin.body());
        }
        Authenticator app = new Authenticator(begin.json().path("tfa").asText());
        Http.Result confirm =
                http().post(
                                "/-/npm/v1/user",
                                token,
                                JSON.writeValueAsBytes(Map.of("tfa", List.of(app.next()))),
                                Map.of("Content-Type", "application/json"));
        if (confirm.status() != 200) {
            throw new AssertionError("confirming 2FA: " + confirm.body());
        }
        authenticator = app;
        return app;
    }

    /** A package tarball as npm pack makes it: package/ and the files, gzipped. */
    static byte[] tarball(String packageJson, Map<String, String> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            Map<String, String> all = new LinkedHashMap<>();
            all.put("package.json", packageJson);
            all.putAll(files);
            for (Map.Entry<String, String> f : all.entrySet()) {
                byte[] content = f.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry e = new TarArchiveEntry("package/" + f.getKey());
                e.setSize(content.length);
                e.setMode(0644);
                e.setModTime(499162500000L); // npm's fixed date (1985-10-26)
                tar.putArchiveEntry(e);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    // ------------------------------------------------------------------ projects

    private void lockAll() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Map<Client, Future<Path>> made = new EnumMap<>(Client.class);
            for (Client c : Client.values()) {
                made.put(c, pool.submit(() -> lock(c, dir.resolve("project-" + c.name()))));
            }
            for (Map.Entry<Client, Future<Path>> e : made.entrySet()) {
                projects.put(e.getKey(), e.getValue().get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The project's package.json: every dependency pinned. */
    static String packageJson(Map<String, String> dependencies) {
        List<String> deps = new ArrayList<>();
        new java.util.TreeMap<>(dependencies)
                .forEach((k, v) -> deps.add("\"" + k + "\":\"" + v + "\""));
        return "{\"name\":\"consumer\",\"version\":\"1.0.0\",\"private\":true,"
                + "\"dependencies\":{"
                + String.join(",", deps)
                + "}}";
    }

    /** Installs the project in {@code project} with {@code client} (scripts off); returns it. */
    Path lock(Client client, Path project) throws Exception {
        install(client, project, url(), packageJson(DEPENDENCIES), Map.of()).ok();
        return project;
    }

    /**
     * Writes {@code packageJson} into {@code project} and installs it from {@code registry} with
     * {@code client} (scripts off), with {@code extraEnv} added to the client's environment;
     * returns the run, failed or not.
     */
    static Clients.Run install(
            Client client,
            Path project,
            String registry,
            String packageJson,
            Map<String, String> extraEnv)
            throws Exception {
        Path home = Files.createDirectories(project.resolve(".home"));
        Map<String, String> env = new HashMap<>(Clients.env(home, registry));
        env.putAll(extraEnv);
        Clients.writePackage(project, packageJson, Map.of());
        if (client != Client.YARN_BERRY) {
            // the project names its registry, as a project on a private registry does (pnpm's
            // lockfile keeps no tarball URLs)
            Files.writeString(project.resolve(".npmrc"), "registry=" + registry + "/\n");
        }
        return switch (client) {
            case NPM -> Clients.npm(project, env, "install", "--ignore-scripts");
            case PNPM -> {
                env.put("npm_config_store_dir", project.resolve(".pnpm-store").toString());
                yield Clients.node(
                        project,
                        env,
                        Clients.pnpmScript(),
                        "install",
                        "--ignore-scripts",
                        "--registry",
                        registry + "/");
            }
            case YARN_CLASSIC -> {
                env.put("YARN_CACHE_FOLDER", project.resolve(".yarn-cache").toString());
                yield Clients.node(
                        project,
                        env,
                        Clients.yarnClassicScript(),
                        "install",
                        "--ignore-scripts",
                        "--registry",
                        registry + "/",
                        "--non-interactive",
                        "--no-progress");
            }
            case YARN_BERRY -> {
                Files.writeString(
                        project.resolve(".yarnrc.yml"),
                        "npmRegistryServer: \""
                                + registry
                                + "\"\n"
                                + "unsafeHttpWhitelist:\n  - \"127.0.0.1\"\n"
                                + "npmMinimalAgeGate: 0\n"
                                + "enableScripts: false\n"
                                + "nodeLinker: node-modules\n"
                                + "enableGlobalCache: false\n"
                                + "enableTelemetry: false\n");
                Files.writeString(project.resolve("yarn.lock"), "");
                env.put("YARN_ENABLE_IMMUTABLE_INSTALLS", "false");
                yield Clients.node(project, env, Clients.yarnBerryScript(), "install");
            }
        };
    }

    /** Tiny JSON string quoting for the generated sources. */
    static final class JsonText {
        private JsonText() {}

        static String quote(String s) {
            return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
    }
}
