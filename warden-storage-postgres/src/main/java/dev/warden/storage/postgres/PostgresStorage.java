package dev.warden.storage.postgres;

import dev.warden.storage.BlobStore;
import dev.warden.storage.MetadataStore;

import java.net.URI;
import java.util.Map;

import javax.sql.DataSource;

/**
 * The scale-out driver's only public entry: metadata in PostgreSQL, blobs in S3-compatible object
 * storage. Nodes share nothing but these two stores. {@code Stores} in the server opens it when
 * {@code storage.driver = "postgres"}.
 */
public final class PostgresStorage implements AutoCloseable {

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

    private final S3Objects objects;
    private final BlobStore blobs;

    private PostgresStorage(S3Objects objects) {
        this.objects = objects;
        this.blobs = new S3BlobStore(objects);
    }

    /** Opens (and, with {@code migrate}, migrates) both stores; fails with a one-line reason. */
    public static PostgresStorage open(Settings settings) {
        // the metadata half (pool, migration): the pg-metadata helper
        return new PostgresStorage(S3Objects.open(settings));
    }

    /** Brings the schema up to this version; answers the versions applied. */
    public static java.util.List<String> migrate(Settings settings) {
        throw new UnsupportedOperationException("placeholder: the pg-metadata helper");
    }

    public MetadataStore metadata() {
        throw new UnsupportedOperationException("placeholder: the pg-metadata helper");
    }

    public BlobStore blobs() {
        return blobs;
    }

    /** The node's connection pool, for the logs' shared store and the shared keys. */
    public DataSource dataSource() {
        throw new UnsupportedOperationException("placeholder: the pg-metadata helper");
    }

    /** The object store, for the logs' full tiles and entry bundles. */
    public ObjectStore objects() {
        return objects;
    }

    /**
     * Each store's state for the health endpoint: "postgres" and "s3" to "ok" or a one-line reason.
     */
    public Map<String, String> health() {
        Map<String, String> health = new java.util.LinkedHashMap<>();
        // "postgres": the pg-metadata helper
        health.put("s3", objects.health());
        return health;
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
        objects.close();
    }
}
