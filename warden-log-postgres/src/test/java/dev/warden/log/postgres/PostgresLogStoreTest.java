package dev.warden.log.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;

import dev.warden.log.LogStore;
import dev.warden.log.LogStoreContract;
import dev.warden.log.SharedLogStore;
import dev.warden.storage.tests.PostgresCluster;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The log contract on PostgreSQL (each test a log of its own in one database), and the store's own
 * rules: the compare-and-set on the size, the queue's dedupe, one lease at a time.
 */
class PostgresLogStoreTest extends LogStoreContract {

    private static final AtomicInteger LOGS = new AtomicInteger();
    private static String db;
    private static HikariDataSource pool;
    private String logName;

    @BeforeAll
    static void database() {
        db = Nodes.database();
        pool = Nodes.pool(db, "contract");
    }

    @AfterAll
    static void closePool() {
        pool.close();
    }

    @BeforeEach
    void newLog() {
        logName = "log" + LOGS.incrementAndGet();
    }

    @Override
    protected LogStore openStore() {
        return store(logName);
    }

    private static PostgresLogStore store(String name) {
        PostgresCluster pg = PostgresCluster.shared();
        return PostgresLogStore.open(
                pool,
                () -> DriverManager.getConnection(pg.jdbcUrl(db), pg.user(), pg.password()),
                name);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void integrateRefusesAWriterWhoseSizeIsStale() {
        try (PostgresLogStore store = store(logName)) {
            SharedLogStore.Lease lease = store.tryLead().orElseThrow();
            store.integrate(0, List.of(), List.of(), Map.of(), "size 0");
            store.integrate(
                    lease,
                    0,
                    List.of(bytes("a")),
                    List.of(bytes("hash-a")),
                    Map.of(),
                    "size 1",
                    List.of());
            assertThatThrownBy(
                            () ->
                                    store.integrate(
                                            lease,
                                            0,
                                            List.of(bytes("b")),
                                            List.of(bytes("hash-b")),
                                            Map.of(),
                                            "size 1 again",
                                            List.of()))
                    .isInstanceOf(SharedLogStore.LeaseLost.class)
                    .hasMessageContaining("has size 1 in the database, not 0");
            assertThat(store.checkpoint()).isEqualTo("size 1");
            assertThat(store.entries(0, 1)).containsExactly(bytes("a"));
        }
    }

    @Test
    void theQueueKeepsOneRowPerEntryAndKnowsWhatTheLogHolds() {
        try (PostgresLogStore store = store(logName)) {
            SharedLogStore.Lease lease = store.tryLead().orElseThrow();
            store.integrate(0, List.of(), List.of(), Map.of(), "size 0");
            store.integrate(
                    lease,
                    0,
                    List.of(bytes("a")),
                    List.of(bytes("hash-a")),
                    Map.of(),
                    "size 1",
                    List.of());
            long[] known =
                    store.enqueue(
                            List.of(bytes("a"), bytes("b"), bytes("b")),
                            List.of(bytes("hash-a"), bytes("hash-b"), bytes("hash-b")));
            assertThat(known).containsExactly(0, -1, -1);
            List<SharedLogStore.Queued> pending = store.pending(10);
            assertThat(pending).hasSize(1);
            assertThat(pending.get(0).entry()).isEqualTo(bytes("b"));
            assertThat(pending.get(0).index()).isEqualTo(-1);
            store.integrate(
                    lease,
                    1,
                    List.of(bytes("b")),
                    List.of(bytes("hash-b")),
                    Map.of(),
                    "size 2",
                    List.of(bytes("hash-b")));
            assertThat(store.pending(10)).isEmpty();
        }
    }

    @Test
    void oneLeaseAtATimeUntilItIsReleased() {
        try (PostgresLogStore first = store(logName);
                PostgresLogStore second = store(logName);
                PostgresLogStore otherLog = store(logName + "_other")) {
            SharedLogStore.Lease lease = first.tryLead().orElseThrow();
            assertThat(second.tryLead()).isEmpty();
            assertThat(otherLog.tryLead()).isPresent();
            assertThat(lease.held()).isTrue();
            lease.close();
            assertThat(lease.held()).isFalse();
            assertThat(second.tryLead()).isPresent();
        }
    }

    @Test
    void aNameThatIsNotAnIdentifierIsRefused() {
        assertThatThrownBy(() -> store("Registry; DROP"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lower-case letters");
    }

    @Test
    void theLeaseHasAConnectionOfItsOwnOpenedWithThePoolsSettings() {
        try (HikariDataSource p = Nodes.pool(db, "facade");
                PostgresLogStore store =
                        PostgresLogStore.open(p, PostgresLogStore.dedicatedTo(p), logName)) {
            SharedLogStore.Lease lease = store.tryLead().orElseThrow();
            assertThat(lease.held()).isTrue();
            assertThat(p.getHikariPoolMXBean().getActiveConnections()).isZero();
        }
    }

    @Test
    void aDatabaseWithoutTheLogSchemaIsRefusedWithTheCommandThatMigrates() {
        String empty = PostgresCluster.shared().newDatabase();
        try (HikariDataSource p = Nodes.pool(empty, "unmigrated")) {
            assertThatThrownBy(() -> PostgresLogStore.open(p, p::getConnection, "registry"))
                    .hasMessageContaining("run warden migrate");
            assertThat(PostgresLogStore.migrate(p)).containsExactly("log 1 log");
            assertThat(PostgresLogStore.migrate(p)).isEmpty();
        }
    }
}
