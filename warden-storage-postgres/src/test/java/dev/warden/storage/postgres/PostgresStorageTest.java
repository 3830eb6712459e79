package dev.warden.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.storage.ChangeFeed;
import dev.warden.storage.ChangeFeed.Change;
import dev.warden.storage.tests.PostgresCluster;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Opening, migrating, health and the change feed's recovery, against a real PostgreSQL. */
class PostgresStorageTest {

    private static final PostgresCluster PG = PostgresCluster.shared();

    @Test
    void anEmptyDatabaseIsRefusedWithoutMigrationAndTheReasonNamesWardenMigrate() {
        String db = PG.newDatabase();
        PostgresStorage.Settings settings = PgTestSettings.of(PG, db, false);
        assertThatThrownBy(() -> PostgresMetadataStore.open(settings))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith(
                        "the PostgreSQL schema is at version 0 (empty) and this Warden needs ")
                .hasMessageEndingWith(
                        ": run `warden migrate` (or set storage.migrate_on_start = true)");
        assertThat(tables(db)).as("refusing changes nothing").isEmpty();
    }

    @Test
    void migrateAppliesEachVersionOnceAndThenTheStoreOpensWithoutMigrating() {
        String db = PG.newDatabase();
        PostgresStorage.Settings settings = PgTestSettings.of(PG, db, false);
        List<String> first = PostgresStorage.migrate(settings);
        List<String> second = PostgresStorage.migrate(settings);
        try (PostgresMetadataStore store = PostgresMetadataStore.open(settings)) {
            long users = store.read(tx -> tx.users().count());
            assertThat(users).isZero();
        }
        assertThat(first).first().isEqualTo("1 registry");
        assertThat(second).isEmpty();
        assertThat(tables(db)).contains("packages", "versions", "flyway_schema_history");
    }

    @Test
    void badSettingsAreRefusedWithTheSettingNamed() {
        PostgresStorage.Settings noPool =
                new PostgresStorage.Settings(
                        PG.jdbcUrl("postgres"),
                        PG.user(),
                        PG.password(),
                        0,
                        true,
                        null,
                        null,
                        null,
                        null,
                        null,
                        true,
                        "");
        PostgresStorage.Settings notPostgres =
                new PostgresStorage.Settings(
                        "jdbc:sqlite:/nowhere.invalid",
                        "u",
                        "p",
                        4,
                        true,
                        null,
                        null,
                        null,
                        null,
                        null,
                        true,
                        "");
        assertThatThrownBy(() -> PostgresStorage.open(noPool))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("storage.postgres_pool_size must be at least 1, not 0");
        assertThatThrownBy(() -> PostgresStorage.open(notPostgres))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "storage.postgres_url must be a jdbc:postgresql: URL, not"
                                + " jdbc:sqlite:/nowhere.invalid");
    }

    @Test
    void aWrongPasswordFailsTheOpenWithOneLine() {
        PostgresStorage.Settings wrong =
                new PostgresStorage.Settings(
                        PG.jdbcUrl("postgres"),
                        PG.user(),
                        "not-the-password",
                        2,
                        true,
                        null,
                        null,
                        null,
                        null,
                        null,
                        true,
                        "");
        assertThatThrownBy(() -> PostgresMetadataStore.open(wrong))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith(
                        "cannot connect to PostgreSQL at " + PG.jdbcUrl("postgres") + ": ")
                .hasMessageContaining("password authentication failed")
                .hasMessageNotContaining("\n");
    }

    @Test
    void healthIsOkWhileTheDatabaseAnswersAndAReasonOnceItIsGone() throws Exception {
        try (PostgresCluster own = PostgresCluster.start()) {
            String db = own.newDatabase();
            try (PostgresStorage storage =
                    PostgresStorage.open(PgTestSettings.withObjects(own, db, true))) {
                Map<String, String> up = storage.health();
                assertThat(up).containsEntry("postgres", "ok");
                try (Connection c = storage.dataSource().getConnection()) {
                    assertThat(c.isValid(2)).as("the pool is the node's, for the logs").isTrue();
                }
                own.close();
                Map<String, String> down = storage.health();
                assertThat(down.get("postgres")).isNotEqualTo("ok").isNotBlank();
            }
        }
    }

    @Test
    void aLostListenerAnnouncesEverythingAndHearsChangesAgain() throws Exception {
        String db = PG.newDatabase();
        try (PostgresMetadataStore store =
                PostgresMetadataStore.open(PgTestSettings.of(PG, db, true))) {
            BlockingQueue<Change> heard = new LinkedBlockingQueue<>();
            store.changes().subscribe(heard::add);
            try (Connection admin =
                            DriverManager.getConnection(PG.jdbcUrl(db), PG.user(), PG.password());
                    Statement s = admin.createStatement();
                    ResultSet r =
                            s.executeQuery(
                                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                                            + " WHERE application_name = 'warden-changes'"
                                            + " AND datname = current_database()")) {
                r.next();
                assertThat(r.getInt(1)).as("the feed's own connection").isEqualTo(1);
            }
            assertThat(heard.poll(30, TimeUnit.SECONDS)).isEqualTo(Change.EVERYTHING);
            store.write(
                    tx -> {
                        tx.tags().put("after", "latest", "1.0.0");
                        return null;
                    });
            List<Change> after = new ArrayList<>();
            Change c;
            while ((c = heard.poll(20, TimeUnit.SECONDS)) != null) {
                after.add(c);
                if (c.key().equals("after")) {
                    break;
                }
            }
            assertThat(after).endsWith(new Change(ChangeFeed.PACKAGE, "after"));
        }
    }

    @Test
    void aPayloadIsATopicAndAKeyThatMayHoldSpaces() {
        assertThat(PostgresChangeFeed.parse("package @acme/x"))
                .isEqualTo(new Change(ChangeFeed.PACKAGE, "@acme/x"));
        assertThat(PostgresChangeFeed.parse("upstream a b"))
                .isEqualTo(new Change("upstream", "a b"));
        assertThat(PostgresChangeFeed.parse("package")).isEqualTo(new Change("package", ""));
    }

    private static List<String> tables(String db) {
        try (Connection c = DriverManager.getConnection(PG.jdbcUrl(db), PG.user(), PG.password());
                ResultSet r =
                        c.createStatement()
                                .executeQuery(
                                        "SELECT table_name FROM information_schema.tables WHERE"
                                                + " table_schema = 'public' ORDER BY table_name")) {
            List<String> out = new ArrayList<>();
            while (r.next()) {
                out.add(r.getString(1));
            }
            return out;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
