package dev.warden.storage.postgres;

import dev.warden.storage.tests.PostgresCluster;
import dev.warden.storage.tests.S3Server;

/** Settings of a store on a database of the test cluster (no object store: metadata only). */
final class PgTestSettings {

    private PgTestSettings() {}

    static PostgresStorage.Settings of(PostgresCluster cluster, String database, boolean migrate) {
        return new PostgresStorage.Settings(
                cluster.jdbcUrl(database),
                cluster.user(),
                cluster.password(),
                4,
                migrate,
                null,
                null,
                null,
                null,
                null,
                true,
                "");
    }

    /**
     * Settings with a new bucket of the shared S3 server too, for tests that open the whole {@link
     * PostgresStorage}.
     */
    static PostgresStorage.Settings withObjects(
            PostgresCluster cluster, String database, boolean migrate) {
        S3Server s3 = S3Server.shared();
        return new PostgresStorage.Settings(
                cluster.jdbcUrl(database),
                cluster.user(),
                cluster.password(),
                4,
                migrate,
                s3.endpoint(),
                s3.region(),
                s3.newBucket(),
                s3.accessKey(),
                s3.secretKey(),
                true,
                "");
    }

    /** A new database of the shared cluster. */
    static PostgresStorage.Settings fresh(boolean migrate) {
        PostgresCluster cluster = PostgresCluster.shared();
        return of(cluster, cluster.newDatabase(), migrate);
    }
}
