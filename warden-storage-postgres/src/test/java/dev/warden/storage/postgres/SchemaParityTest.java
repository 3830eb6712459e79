package dev.warden.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.storage.tests.PostgresCluster;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The PostgreSQL schema is the SQLite one, so that {@code warden storage copy} can copy table by
 * table: the same tables, the same columns with the same nullability and the corresponding types
 * (INTEGER as BIGINT, BLOB as BYTEA, TEXT as TEXT), the same named indexes; besides them, only the
 * tables of {@link #POSTGRES_ONLY}.
 */
class SchemaParityTest {

    /** Tables only several nodes need (the key files they share), which SQLite has no use for. */
    private static final Set<String> POSTGRES_ONLY = Set.of("shared_files");

    private static final Map<String, String> PG_TYPE =
            Map.of("bigint", "INTEGER", "bytea", "BLOB", "text", "TEXT");

    @Test
    void tablesColumnsAndIndexesMatchTheSqliteSchema(@TempDir Path dir) throws SQLException {
        SQLiteDataSource sqlite = new SQLiteDataSource();
        sqlite.setUrl("jdbc:sqlite:" + dir.resolve("schema.db"));
        Flyway.configure().dataSource(sqlite).locations("classpath:db/sqlite").load().migrate();
        PostgresCluster pg = PostgresCluster.shared();
        String db = pg.newDatabase();
        PostgresStorage.migrate(PgTestSettings.of(pg, db, true));

        Map<String, Set<String>> sqliteColumns = new TreeMap<>();
        Set<String> sqliteIndexes = new TreeSet<>();
        try (Connection c = sqlite.getConnection();
                Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet r =
                    s.executeQuery(
                            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE"
                                + " 'sqlite!_%' ESCAPE '!' AND name <> 'flyway_schema_history'")) {
                while (r.next()) {
                    tables.add(r.getString(1));
                }
            }
            for (String table : tables) {
                Set<String> columns = new TreeSet<>();
                try (ResultSet r = s.executeQuery("PRAGMA table_info(\"" + table + "\")")) {
                    while (r.next()) {
                        // a primary key column is never null in PostgreSQL; declare it so here
                        boolean nullable = r.getInt("notnull") == 0 && r.getInt("pk") == 0;
                        columns.add(column(r.getString("name"), r.getString("type"), nullable));
                    }
                }
                sqliteColumns.put(table, columns);
            }
            try (ResultSet r =
                    s.executeQuery(
                            "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT"
                                    + " NULL AND tbl_name <> 'flyway_schema_history'")) {
                while (r.next()) {
                    sqliteIndexes.add(r.getString(1));
                }
            }
        }

        Map<String, Set<String>> pgColumns = new TreeMap<>();
        Set<String> pgIndexes = new TreeSet<>();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(db), pg.user(), pg.password());
                Statement s = c.createStatement()) {
            try (ResultSet r =
                    s.executeQuery(
                            "SELECT table_name, column_name, data_type, is_nullable FROM"
                                    + " information_schema.columns WHERE table_schema = 'public'"
                                    + " AND table_name <> 'flyway_schema_history'")) {
                while (r.next()) {
                    if (POSTGRES_ONLY.contains(r.getString(1))) {
                        continue;
                    }
                    String type = PG_TYPE.getOrDefault(r.getString(3), r.getString(3));
                    pgColumns
                            .computeIfAbsent(r.getString(1), t -> new TreeSet<>())
                            .add(column(r.getString(2), type, r.getString(4).equals("YES")));
                }
            }
            // primary keys and UNIQUE constraints are SQLite's automatic indexes: not compared
            try (ResultSet r =
                    s.executeQuery(
                            "SELECT indexname FROM pg_indexes i WHERE schemaname = 'public' AND"
                                    + " tablename <> 'flyway_schema_history' AND NOT EXISTS"
                                    + " (SELECT 1 FROM pg_constraint k WHERE k.conname ="
                                    + " i.indexname)")) {
                while (r.next()) {
                    pgIndexes.add(r.getString(1));
                }
            }
        }

        assertThat(pgColumns.keySet()).isEqualTo(sqliteColumns.keySet());
        for (String table : sqliteColumns.keySet()) {
            assertThat(pgColumns.get(table)).as(table).isEqualTo(sqliteColumns.get(table));
        }
        assertThat(pgIndexes).isEqualTo(sqliteIndexes);
    }

    private static String column(String name, String type, boolean nullable) {
        return name + " " + type + (nullable ? "" : " NOT NULL");
    }
}
