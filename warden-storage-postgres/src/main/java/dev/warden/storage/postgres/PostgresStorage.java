package dev.warden.storage.postgres;

import com.zaxxer.hikari.HikariDataSource;

import dev.warden.storage.BlobStore;
import dev.warden.storage.MetadataStore;

import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

/**
 * The scale-out driver's only public entry: metadata in PostgreSQL, blobs in S3-compatible object
 * storage. Nodes share nothing but these two stores. {@code Stores} in the server opens it when
 * {@code storage.driver = "postgres"}.
 */
public final class PostgresStorage implements AutoCloseable {

    private static final int HEALTH_SECONDS = 3;

    /**
     * Where the stores are.
     *
     * @param url JDBC URL ({@code jdbc:postgresql://host:5432/warden})
     * @param poolSize connections this node keeps to the database
     * @param migrate whether opening migrates the schema (Flyway, under its own lock); otherwise
     *     opening refuses a schema older than this version ({@code warden migrate} brings it up)
     * @param s3Endpoint the object store's URL (MinIO, Ceph, R2; for AWS itself its regional URL)
     * @param s3PathStyle path-style addressing ({@code endpoint/bucket/key}), which S3-compatible
     *     servers need
     * @param s3Prefix a key prefix inside the bucket (empty for none)
     */
    public record Settings(
            String url,
            String user,
            String password,
            int poolSize,
            boolean migrate,
            URI s3Endpoint,
            String s3Region,
            String s3Bucket,
            String s3AccessKey,
            String s3SecretKey,
            boolean s3PathStyle,
            String s3Prefix) {}

    private final HikariDataSource pool;
    private final PostgresMetadataStore metadata;
    private final S3Objects objects;
    private final BlobStore blobs;

    private PostgresStorage(
            HikariDataSource pool, PostgresMetadataStore metadata, S3Objects objects) {
        this.pool = pool;
        this.metadata = metadata;
        this.objects = objects;
        this.blobs = new S3BlobStore(objects);
    }

    /** Opens (and, with {@code migrate}, migrates) both stores; fails with a one-line reason. */
    public static PostgresStorage open(Settings settings) {
        HikariDataSource pool = PostgresMetadataStore.pool(settings);
        try {
            PostgresMetadataStore metadata = PostgresMetadataStore.open(pool, settings);
            try {
                return new PostgresStorage(pool, metadata, S3Objects.open(settings));
            } catch (RuntimeException e) {
                metadata.close();
                throw e;
            }
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /** Brings the schema up to this version; answers the versions applied. */
    public static List<String> migrate(Settings settings) {
        try (HikariDataSource pool = PostgresMetadataStore.pool(settings)) {
            return PostgresMetadataStore.migrate(pool);
        }
    }

    /**
     * The metadata store; closing it stops its change feed, the pool stays open until {@link
     * #close}.
     */
    public MetadataStore metadata() {
        return metadata;
    }

    public BlobStore blobs() {
        return blobs;
    }

    /** The node's connection pool, for the logs' shared store and the shared keys. */
    public DataSource dataSource() {
        return pool;
    }

    /** The object store, for the logs' full tiles and entry bundles. */
    public ObjectStore objects() {
        return objects;
    }

    /**
     * Each store's state for the health endpoint: "postgres" and "s3" to "ok" or a one-line reason.
     */
    public Map<String, String> health() {
        Map<String, String> health = new LinkedHashMap<>();
        health.put("postgres", postgresHealth());
        health.put("s3", objects.health());
        return health;
    }

    /** "ok" when a pooled connection answers {@code SELECT 1} within a few seconds. */
    private String postgresHealth() {
        // the pool may wait for a free connection far longer than a health check should
        CompletableFuture<String> probe =
                CompletableFuture.supplyAsync(
                        () -> {
                            try (Connection c = pool.getConnection();
                                    Statement s = c.createStatement()) {
                                s.setQueryTimeout(HEALTH_SECONDS);
                                s.execute("SELECT 1");
                                return "ok";
                            } catch (SQLException e) {
                                return PostgresMetadataStore.rootMessage(e);
                            }
                        },
                        runnable -> Thread.ofVirtual().start(runnable));
        try {
            return probe.get(HEALTH_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            return "no answer within " + HEALTH_SECONDS + " s";
        } catch (ExecutionException e) {
            return PostgresMetadataStore.rootMessage(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /**
     * {@code warden storage copy}: every table of {@code source} (the embedded driver's database,
     * at the same schema version) into this database, which must be empty; answers the rows copied
     * per table. A failure leaves the tables copied so far: start again on a new database.
     */
    public Map<String, Long> copyTablesFrom(java.sql.Connection source)
            throws java.sql.SQLException {
        try (java.sql.Connection target = dataSource().getConnection()) {
            return TableCopy.copy(source, target);
        }
    }

    @Override
    public void close() {
        metadata.close();
        pool.close();
        objects.close();
    }
}
