package dev.warden.e2e.nodes;

import dev.warden.server.testing.Http;
import dev.warden.storage.tests.PostgresCluster;
import dev.warden.storage.tests.S3Server;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Several Warden nodes as operators run them: each its own {@code java -jar warden.jar serve}
 * process with its own config file and data directory, all on one PostgreSQL database and one S3
 * bucket (the postgres driver), behind a {@link Balancer} whose URL is every node's {@code
 * server.public_url}. As in the sample deployment (deploy/), {@code warden migrate} brings the
 * schemas up once before the first node starts, and the nodes run with {@code migrate_on_start =
 * false}. Nodes are started, killed with SIGKILL and restarted one at a time, so a test can choose
 * which node holds what (the first node started takes the log's sequencer lease).
 */
public final class WardenNodes implements AutoCloseable {

    public static final Path JAR =
            Path.of("..", "warden-cli", "target", "warden.jar").toAbsolutePath().normalize();

    private final Path dir;
    private final Map<String, String> storage;
    private final Map<String, String> secrets;
    private final List<Node> nodes = new ArrayList<>();
    private final Balancer balancer;
    private boolean migrated;

    /** One node: its process (null while stopped), port and files. */
    public static final class Node {
        final int index;
        final int port;
        final Path data;
        final Path config;
        final Path log;
        Process process;

        Node(int index, int port, Path root) {
            this.index = index;
            this.port = port;
            this.data = root.resolve("node-" + index);
            this.config = root.resolve("node-" + index + ".toml");
            this.log = root.resolve("node-" + index + ".log");
        }

        public int index() {
            return index;
        }

        public String url() {
            return "http://127.0.0.1:" + port;
        }

        public Http http() {
            return new Http(url());
        }

        public boolean alive() {
            return process != null && process.isAlive();
        }

        public long pid() {
            return process.pid();
        }

        /** What the node printed, for a failing test's message. */
        public String output() {
            try {
                return Files.readString(log);
            } catch (IOException e) {
                return "(no output: " + e.getMessage() + ")";
            }
        }
    }

    private WardenNodes(
            Path dir, int count, Map<String, String> storage, Map<String, String> secrets)
            throws IOException {
        this.dir = dir;
        this.storage = storage;
        this.secrets = secrets;
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Node n = new Node(i, freePort(), dir);
            nodes.add(n);
            ports.add(n.port);
        }
        this.balancer = Balancer.start(0, ports);
    }

    /**
     * {@code count} nodes (none started yet) on a new database of {@code postgres} and a new bucket
     * of {@code s3}, under {@code dir}.
     */
    public static WardenNodes postgres(Path dir, int count, PostgresCluster postgres, S3Server s3)
            throws IOException {
        String db = postgres.newDatabase();
        return new WardenNodes(
                dir,
                count,
                Map.ofEntries(
                        Map.entry("driver", "postgres"),
                        Map.entry("postgres_url", postgres.jdbcUrl(db)),
                        Map.entry("postgres_user", postgres.user()),
                        Map.entry("s3_endpoint", s3.endpoint().toString()),
                        Map.entry("s3_region", s3.region()),
                        Map.entry("s3_bucket", s3.newBucket()),
                        Map.entry("s3_access_key", s3.accessKey()),
                        Map.entry("s3_prefix", "warden/")),
                // secrets go through the environment, as the deployment guide says
                Map.of(
                        "WARDEN_STORAGE_POSTGRES_PASSWORD", postgres.password(),
                        "WARDEN_STORAGE_S3_SECRET_KEY", s3.secretKey()));
    }

    /** The balancer's URL: the registry's public URL. */
    public String url() {
        return balancer.url();
    }

    public Http http() {
        return new Http(url());
    }

    public Balancer balancer() {
        return balancer;
    }

    public Node node(int i) {
        return nodes.get(i);
    }

    public List<Node> nodes() {
        return List.copyOf(nodes);
    }

    public List<Node> alive() {
        return nodes.stream().filter(Node::alive).toList();
    }

    /** Starts every node not running, at once, and waits until each answers. */
    public WardenNodes startAll() throws Exception {
        List<Node> starting = nodes.stream().filter(n -> !n.alive()).toList();
        for (Node n : starting) {
            launch(n);
        }
        for (Node n : starting) {
            awaitReady(n);
        }
        return this;
    }

    /** Starts node {@code i} and waits until it answers. */
    public Node start(int i) throws Exception {
        Node n = nodes.get(i);
        launch(n);
        awaitReady(n);
        return n;
    }

    /** Kills node {@code i} with SIGKILL, as a crash of its machine would end it. */
    public void kill(int i) throws InterruptedException {
        Node n = nodes.get(i);
        balancer.down(i);
        if (n.process != null) {
            n.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private void launch(Node n) throws IOException, InterruptedException {
        Files.createDirectories(n.data);
        Files.writeString(n.config, toml(n), StandardCharsets.UTF_8);
        if (!migrated) {
            migrate(n);
            migrated = true;
        }
        n.process = warden(n, "serve").start();
    }

    /**
     * {@code warden migrate} before the first node starts, as the sample deployment does (its nodes
     * run with {@code migrate_on_start = false}).
     */
    private void migrate(Node n) throws IOException, InterruptedException {
        Process p = warden(n, "migrate").start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new AssertionError("warden migrate failed:\n" + tail(n.output()));
        }
    }

    private ProcessBuilder warden(Node n, String command) {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb =
                new ProcessBuilder(
                        java,
                        "--enable-native-access=ALL-UNNAMED",
                        "-Xmx512m",
                        "-jar",
                        JAR.toString(),
                        command,
                        "--config",
                        n.config.toString());
        pb.environment().putAll(secrets);
        return pb.directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(n.log.toFile()));
    }

    private String toml(Node n) {
        StringBuilder t = new StringBuilder();
        t.append("[server]\n")
                .append("host = \"127.0.0.1\"\n")
                .append("port = ")
                .append(n.port)
                .append('\n')
                .append("public_url = ")
                .append(quote(balancer.url()))
                .append("\n\n[storage]\n")
                .append("data = ")
                .append(quote(n.data.toString()))
                .append('\n');
        storage.forEach((k, v) -> t.append(k).append(" = ").append(quote(v)).append('\n'));
        t.append("migrate_on_start = false\n");
        t.append("\n[log]\naccess = \"none\"\n");
        return t.toString();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private void awaitReady(Node n) throws Exception {
        Http http = n.http();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!n.process.isAlive()) {
                throw new AssertionError(
                        "node " + n.index + " exited at start:\n" + tail(n.output()));
            }
            try {
                if (http.get("/-/ping").status() == 200) {
                    balancer.up(n.index);
                    return;
                }
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        n.process.destroyForcibly();
        throw new AssertionError("node " + n.index + " did not start:\n" + tail(n.output()));
    }

    private static String tail(String s) {
        return s.length() <= 8000 ? s : s.substring(s.length() - 8000);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Kills every node and stops the balancer (the database and bucket go with their servers). */
    @Override
    public void close() throws Exception {
        for (Node n : nodes) {
            if (n.process != null) {
                n.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
        balancer.close();
    }
}
