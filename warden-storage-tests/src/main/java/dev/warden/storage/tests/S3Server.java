package dev.warden.storage.tests;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real S3-compatible server for tests: S3Proxy (from Maven Central) over a directory, started as
 * its own process on a free loopback port with AWS signature v4 authentication. The tests reach it
 * only through the AWS SDK. Each test takes a bucket of its own with {@link #newBucket}.
 */
public final class S3Server implements AutoCloseable {

    public static final String ACCESS_KEY = "warden-test";
    public static final String SECRET_KEY = "warden-test-secret";
    public static final String REGION = "us-east-1";
    private static final String JAR =
            "org/gaul/s3proxy/2.6.0/s3proxy-2.6.0-jar-with-dependencies.jar";

    private static S3Server shared;
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private final Process process;
    private final Path dir;
    private final URI endpoint;

    private S3Server(Process process, Path dir, URI endpoint) {
        this.process = process;
        this.dir = dir;
        this.endpoint = endpoint;
    }

    /** One server for the whole test JVM, started on first use and stopped at exit. */
    public static synchronized S3Server shared() {
        if (shared == null) {
            shared = start();
            S3Server s = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(s::close));
        }
        return shared;
    }

    /** A server of its own; close it when done. */
    public static S3Server start() {
        try {
            Path jar = jar();
            Path dir = Files.createTempDirectory("warden-s3-");
            Files.createDirectories(dir.resolve("objects"));
            int port = PostgresCluster.freePort();
            URI endpoint = URI.create("http://127.0.0.1:" + port);
            Path props = dir.resolve("s3proxy.properties");
            Files.writeString(
                    props,
                    String.join(
                            "\n",
                            "s3proxy.endpoint=" + endpoint,
                            "s3proxy.authorization=aws-v2-or-v4",
                            "s3proxy.identity=" + ACCESS_KEY,
                            "s3proxy.credential=" + SECRET_KEY,
                            "jclouds.provider=filesystem",
                            "jclouds.filesystem.basedir=" + dir.resolve("objects"),
                            ""),
                    StandardCharsets.UTF_8);
            String java = ProcessHandle.current().info().command().orElse("java");
            Process p =
                    new ProcessBuilder(
                                    List.of(
                                            java,
                                            "-Xmx256m",
                                            "-jar",
                                            jar.toString(),
                                            "--properties",
                                            props.toString()))
                            .redirectErrorStream(true)
                            .redirectOutput(dir.resolve("server.log").toFile())
                            .start();
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (System.nanoTime() < deadline) {
                if (!p.isAlive()) {
                    throw new IOException(
                            "S3Proxy exited: " + Files.readString(dir.resolve("server.log")));
                }
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                    return new S3Server(p, dir, endpoint);
                } catch (IOException notYet) {
                    Thread.sleep(100);
                }
            }
            p.destroyForcibly();
            throw new IOException("S3Proxy did not listen on port " + port + " within 60 s");
        } catch (IOException e) {
            throw new IllegalStateException("could not start the S3-compatible server", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    public String accessKey() {
        return ACCESS_KEY;
    }

    public String secretKey() {
        return SECRET_KEY;
    }

    public String region() {
        return REGION;
    }

    /** A client of this server (path-style addressing), for tests that look at what was stored. */
    public S3Client client() {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.of(REGION))
                .credentialsProvider(
                        StaticCredentialsProvider.create(
                                AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .serviceConfiguration(
                        S3Configuration.builder().pathStyleAccessEnabled(true).build())
                // S3-compatible servers do not all take the SDK's newer default checksums
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    /** Creates an empty bucket and answers its name. */
    public String newBucket() {
        String name = "t" + ProcessHandle.current().pid() + "-" + BUCKETS.incrementAndGet();
        try (S3Client c = client()) {
            c.createBucket(b -> b.bucket(name));
        }
        return name;
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // left for the system's temporary directory cleaning
        }
    }

    private static Path jar() throws IOException {
        String configured = System.getProperty("warden.s3proxy.jar");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String repo =
                System.getProperty(
                        "maven.repo.local",
                        Path.of(System.getProperty("user.home"), ".m2", "repository").toString());
        Path jar = Path.of(repo).resolve(JAR);
        if (!Files.isRegularFile(jar)) {
            throw new IOException(
                    "S3Proxy's jar is not at "
                            + jar
                            + " (warden-storage-tests depends on it, so a Maven build fetches it)");
        }
        return jar;
    }
}
