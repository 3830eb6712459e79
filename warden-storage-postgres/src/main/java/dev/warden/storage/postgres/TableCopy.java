package dev.warden.storage.postgres;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The metadata half of {@code warden storage copy}: every table of a source database (the embedded
 * driver's SQLite file) into the same table of this database, which has the same table and column
 * names. Generic, through JDBC metadata, so a table added to both schemas needs no change here.
 *
 * <p>The target must be migrated and empty. Tables are copied parents first (by the target's
 * foreign keys), each in one transaction, with their identity values kept; each identity's sequence
 * is then moved past the largest copied value so new rows do not collide. Values are read as the
 * target column's type asks (SQLite is loosely typed).
 */
final class TableCopy {

    /** The source's migration bookkeeping; the target has its own. */
    private static final Set<String> SKIPPED = Set.of("flyway_schema_history");

    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]*");
    private static final int BATCH = 500;

    private TableCopy() {}

    /** Copies every table; answers the rows copied per table, in the order copied. */
    static Map<String, Long> copy(Connection source, Connection target) throws SQLException {
        List<String> tables = sourceTables(source);
        String schema = target.getSchema();
        Map<String, Map<String, Integer>> columns = new LinkedHashMap<>();
        for (String table : tables) {
            Map<String, Integer> targetColumns = columns(target, schema, table);
            if (targetColumns.isEmpty()) {
                throw new IllegalStateException(
                        "the target has no table "
                                + table
                                + " (is its schema migrated to this version? warden migrate)");
            }
            Map<String, Integer> wanted = new LinkedHashMap<>();
            for (String column : columns(source, null, table).keySet()) {
                Integer type = targetColumns.get(column);
                if (type == null) {
                    throw new IllegalStateException(
                            "the target's table " + table + " has no column " + column);
                }
                wanted.put(column, type);
            }
            columns.put(table, wanted);
        }
        for (String table : tables) {
            if (holdsRows(target, table)) {
                throw new IllegalStateException(
                        "the target is not empty (table "
                                + table
                                + " holds rows); warden storage copy fills an empty database only");
            }
        }
        Map<String, Long> copied = new LinkedHashMap<>();
        for (String table : parentsFirst(target, schema, tables)) {
            copied.put(table, copyTable(source, target, table, columns.get(table)));
        }
        bumpIdentities(target, schema, tables);
        return copied;
    }

    private static List<String> sourceTables(Connection source) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (ResultSet r =
                source.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
            while (r.next()) {
                String name = r.getString("TABLE_NAME");
                if (!SKIPPED.contains(name) && !name.startsWith("sqlite_")) {
                    tables.add(checked(name));
                }
            }
        }
        return tables;
    }

    /** Column name to java.sql.Types, in the table's order; empty when there is no such table. */
    private static Map<String, Integer> columns(Connection c, String schema, String table)
            throws SQLException {
        Map<String, Integer> out = new LinkedHashMap<>();
        try (ResultSet r = c.getMetaData().getColumns(null, schema, table, "%")) {
            while (r.next()) {
                out.put(checked(r.getString("COLUMN_NAME")), r.getInt("DATA_TYPE"));
            }
        }
        return out;
    }

    private static boolean holdsRows(Connection target, String table) throws SQLException {
        try (Statement s = target.createStatement();
                ResultSet r =
                        s.executeQuery("SELECT EXISTS (SELECT 1 FROM " + quoted(table) + ")")) {
            return r.next() && r.getBoolean(1);
        }
    }

    /** The tables ordered so each comes after the tables its foreign keys refer to. */
    static List<String> parentsFirst(Connection target, String schema, List<String> tables)
            throws SQLException {
        DatabaseMetaData meta = target.getMetaData();
        Map<String, Set<String>> parents = new TreeMap<>();
        for (String table : tables) {
            Set<String> of = new LinkedHashSet<>();
            try (ResultSet r = meta.getImportedKeys(null, schema, table)) {
                while (r.next()) {
                    String parent = r.getString("PKTABLE_NAME");
                    if (!parent.equals(table) && tables.contains(parent)) {
                        of.add(parent);
                    }
                }
            }
            parents.put(table, of);
        }
        List<String> order = new ArrayList<>();
        Set<String> done = new LinkedHashSet<>();
        while (order.size() < tables.size()) {
            boolean progress = false;
            for (Map.Entry<String, Set<String>> e : parents.entrySet()) {
                if (!done.contains(e.getKey()) && done.containsAll(e.getValue())) {
                    order.add(e.getKey());
                    done.add(e.getKey());
                    progress = true;
                }
            }
            if (!progress) {
                List<String> left = new ArrayList<>(parents.keySet());
                left.removeAll(done);
                throw new IllegalStateException("the foreign keys of " + left + " form a cycle");
            }
        }
        return order;
    }

    private static long copyTable(
            Connection source, Connection target, String table, Map<String, Integer> columns)
            throws SQLException {
        List<String> names = new ArrayList<>(columns.keySet());
        String list = String.join(", ", names.stream().map(TableCopy::quoted).toList());
        String select = "SELECT " + list + " FROM " + quoted(table);
        String insert =
                "INSERT INTO "
                        + quoted(table)
                        + " ("
                        + list
                        + ") VALUES ("
                        + String.join(", ", names.stream().map(n -> "?").toList())
                        + ")";
        boolean auto = target.getAutoCommit();
        target.setAutoCommit(false);
        long rows = 0;
        try (Statement s = source.createStatement();
                ResultSet r = s.executeQuery(select);
                PreparedStatement p = target.prepareStatement(insert)) {
            while (r.next()) {
                for (int i = 0; i < names.size(); i++) {
                    bind(r, p, i + 1, columns.get(names.get(i)));
                }
                p.addBatch();
                if (++rows % BATCH == 0) {
                    p.executeBatch();
                }
            }
            p.executeBatch();
            target.commit();
        } catch (SQLException | RuntimeException e) {
            target.rollback();
            throw new IllegalStateException(
                    "copying table " + table + " failed: " + oneLine(e.getMessage()), e);
        } finally {
            target.setAutoCommit(auto);
        }
        return rows;
    }

    /** Reads column {@code i} of the source as the target's type wants it and binds it. */
    private static void bind(ResultSet r, PreparedStatement p, int i, int type)
            throws SQLException {
        switch (type) {
            case Types.BIGINT, Types.INTEGER, Types.SMALLINT, Types.TINYINT -> {
                long v = r.getLong(i);
                if (r.wasNull()) {
                    p.setNull(i, type);
                } else {
                    p.setLong(i, v);
                }
            }
            case Types.BOOLEAN, Types.BIT -> {
                long v = r.getLong(i);
                if (r.wasNull()) {
                    p.setNull(i, type);
                } else {
                    p.setBoolean(i, v != 0);
                }
            }
            case Types.DOUBLE, Types.REAL, Types.FLOAT, Types.NUMERIC, Types.DECIMAL -> {
                double v = r.getDouble(i);
                if (r.wasNull()) {
                    p.setNull(i, type);
                } else {
                    p.setDouble(i, v);
                }
            }
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> {
                byte[] v = r.getBytes(i);
                if (v == null) {
                    p.setNull(i, Types.BINARY);
                } else {
                    p.setBytes(i, v);
                }
            }
            default -> {
                String v = r.getString(i);
                if (v == null) {
                    p.setNull(i, Types.VARCHAR);
                } else {
                    p.setString(i, v);
                }
            }
        }
    }

    /** Moves each identity column's sequence past its largest value. */
    private static void bumpIdentities(Connection target, String schema, List<String> tables)
            throws SQLException {
        List<String[]> identities = new ArrayList<>();
        try (PreparedStatement p =
                target.prepareStatement(
                        "SELECT table_name, column_name FROM information_schema.columns"
                                + " WHERE table_schema = ? AND (is_identity = 'YES'"
                                + " OR column_default LIKE 'nextval(%')")) {
            p.setString(1, schema);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    if (tables.contains(r.getString(1))) {
                        identities.add(new String[] {r.getString(1), r.getString(2)});
                    }
                }
            }
        }
        for (String[] id : identities) {
            String column = quoted(checked(id[1]));
            try (PreparedStatement p =
                    target.prepareStatement(
                            "SELECT setval(pg_get_serial_sequence(?, ?), COALESCE(MAX("
                                    + column
                                    + "), 1), MAX("
                                    + column
                                    + ") IS NOT NULL) FROM "
                                    + quoted(id[0]))) {
                p.setString(1, quoted(id[0]));
                p.setString(2, id[1]);
                p.executeQuery().close();
            }
        }
    }

    private static String checked(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalStateException("unexpected table or column name " + name);
        }
        return name;
    }

    private static String quoted(String name) {
        return "\"" + checked(name) + "\"";
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }
}
