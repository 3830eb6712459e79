package dev.warden.storage.tests;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;

/** The test servers start, take connections and keep what they are given. */
class ServersTest {

    @Test
    void postgresTakesAConnectionToANewDatabase() throws Exception {
        PostgresCluster pg = PostgresCluster.shared();
        String db = pg.newDatabase();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(db), pg.user(), pg.password());
                ResultSet r =
                        c.createStatement().executeQuery("SELECT current_database(), version()")) {
            assertThat(r.next()).isTrue();
            assertThat(r.getString(1)).isEqualTo(db);
            assertThat(r.getString(2)).startsWith("PostgreSQL");
        }
    }

    @Test
    void s3KeepsAnObject() {
        S3Server s3 = S3Server.shared();
        String bucket = s3.newBucket();
        try (S3Client c = s3.client()) {
            c.putObject(b -> b.bucket(bucket).key("a/b"), RequestBody.fromString("hello"));
            String back =
                    c.getObjectAsBytes(b -> b.bucket(bucket).key("a/b"))
                            .asString(StandardCharsets.UTF_8);
            assertThat(back).isEqualTo("hello");
        }
    }
}
