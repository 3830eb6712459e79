package dev.warden.storage.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.storage.MetadataStore;
import dev.warden.storage.Transients.Transient;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * The {@code Transients} view as every driver must keep it: expired records are invisible, a delete
 * is a one-time claim, and a second store over the same database (another node) sees the first's
 * records. Each driver's tests subclass it with {@link #newDatabase}.
 */
public abstract class TransientsContract {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private final List<MetadataStore> opened = new ArrayList<>();

    /**
     * A new, empty database: each call of the supplier opens another store over it, as another node
     * would.
     */
    protected abstract Supplier<MetadataStore> newDatabase();

    /** Two stores over one new database: two nodes. */
    private MetadataStore[] twoNodes() {
        Supplier<MetadataStore> db = newDatabase();
        MetadataStore a = db.get();
        opened.add(a);
        MetadataStore b = db.get();
        opened.add(b);
        return new MetadataStore[] {a, b};
    }

    @AfterEach
    void closeStores() {
        opened.forEach(MetadataStore::close);
        opened.clear();
    }

    private static Transient rec(String kind, String key, String value, Instant expires) {
        return new Transient(kind, key, value, expires);
    }

    private static void put(MetadataStore s, Transient... records) {
        s.write(
                tx -> {
                    for (Transient r : records) {
                        tx.transients().put(r);
                    }
                    return null;
                });
    }

    private static Optional<Transient> get(MetadataStore s, String kind, String key, Instant now) {
        return s.read(tx -> tx.transients().get(kind, key, now));
    }

    private static boolean insertIfAbsent(MetadataStore s, Transient r, Instant now) {
        return s.write(tx -> tx.transients().insertIfAbsent(r, now));
    }

    private static boolean delete(MetadataStore s, String kind, String key, Instant now) {
        return s.write(tx -> tx.transients().delete(kind, key, now));
    }

    private static int count(MetadataStore s, String kind, Instant now) {
        return s.read(tx -> tx.transients().count(kind, now));
    }

    private static int countOwned(MetadataStore s, String kind, String owner, Instant now) {
        return s.read(tx -> tx.transients().countOwned(kind, owner, now));
    }

    private static int purge(MetadataStore s, Instant now) {
        return s.write(tx -> tx.transients().purgeExpired(now));
    }

    @Test
    void aRecordIsReadUntilItsExpiryAndNotAfter() {
        MetadataStore store = twoNodes()[0];
        Instant expires = T0.plusSeconds(10);
        Transient login = new Transient("login", "p1", "{\"a\":1}", "cli-1", expires);
        put(store, login);
        assertThat(get(store, "login", "p1", T0)).contains(login);
        assertThat(get(store, "login", "p1", expires)).isPresent();
        assertThat(get(store, "login", "p1", expires.plusMillis(1))).isEmpty();
        assertThat(get(store, "other", "p1", T0)).isEmpty();
    }

    @Test
    void anExpiryIsNeverRoundedDown() {
        MetadataStore store = twoNodes()[0];
        Instant expires = T0.plusNanos(1_500_000);
        put(store, rec("k", "x", "v", expires));
        assertThat(get(store, "k", "x", expires)).isPresent();
    }

    @Test
    void putReplacesTheRecord() {
        MetadataStore store = twoNodes()[0];
        put(store, rec("streak", "alice", "1", T0.plusSeconds(5)));
        put(store, rec("streak", "alice", "2", T0.plusSeconds(50)));
        Transient r = get(store, "streak", "alice", T0).orElseThrow();
        assertThat(r.value()).isEqualTo("2");
        assertThat(r.expires()).isEqualTo(T0.plusSeconds(50));
    }

    @Test
    void insertIfAbsentKeepsALiveRecordAndReplacesAnExpiredOne() {
        MetadataStore store = twoNodes()[0];
        assertThat(insertIfAbsent(store, rec("claim", "p1", "first", T0.plusSeconds(10)), T0))
                .isTrue();
        assertThat(
                        insertIfAbsent(
                                store,
                                rec("claim", "p1", "second", T0.plusSeconds(20)),
                                T0.plusSeconds(1)))
                .isFalse();
        assertThat(get(store, "claim", "p1", T0).orElseThrow().value()).isEqualTo("first");
        Instant later = T0.plusSeconds(11);
        assertThat(insertIfAbsent(store, rec("claim", "p1", "third", later.plusSeconds(10)), later))
                .isTrue();
        assertThat(get(store, "claim", "p1", later).orElseThrow().value()).isEqualTo("third");
    }

    @Test
    void aDeleteIsWonOnceAcrossNodesAndNotOnAnExpiredRecord() {
        MetadataStore[] nodes = twoNodes();
        put(
                nodes[0],
                rec("ceremony", "c1", "{}", T0.plusSeconds(300)),
                rec("ceremony", "c2", "{}", T0.plusSeconds(1)));
        assertThat(delete(nodes[1], "ceremony", "c1", T0)).isTrue();
        assertThat(delete(nodes[0], "ceremony", "c1", T0)).isFalse();
        assertThat(delete(nodes[1], "ceremony", "c2", T0.plusSeconds(2))).isFalse();
    }

    @Test
    void countsIgnoreExpiredRecordsAndOtherKinds() {
        MetadataStore[] nodes = twoNodes();
        put(
                nodes[0],
                new Transient("otp", "a", "", "alice", T0.plusSeconds(60)),
                new Transient("otp", "b", "", "alice", T0.plusSeconds(5)),
                new Transient("otp", "c", "", "bob", T0.plusSeconds(60)),
                new Transient("login", "d", "", "alice", T0.plusSeconds(60)));
        Instant now = T0.plusSeconds(10);
        assertThat(count(nodes[1], "otp", T0)).isEqualTo(3);
        assertThat(count(nodes[1], "otp", now)).isEqualTo(2);
        assertThat(countOwned(nodes[1], "otp", "alice", T0)).isEqualTo(2);
        assertThat(countOwned(nodes[1], "otp", "alice", now)).isEqualTo(1);
        assertThat(countOwned(nodes[1], "otp", "carol", now)).isZero();
    }

    @Test
    void purgeRemovesOnlyExpiredRecords() {
        MetadataStore store = twoNodes()[0];
        put(
                store,
                rec("a", "old", "", T0.minusSeconds(1)),
                rec("b", "old", "", T0.minusMillis(1)),
                rec("a", "now", "", T0),
                rec("a", "new", "", T0.plus(Duration.ofDays(1))));
        assertThat(purge(store, T0)).isEqualTo(2);
        assertThat(count(store, "a", T0.minusSeconds(10))).isEqualTo(2);
        assertThat(count(store, "b", T0.minusSeconds(10))).isZero();
    }

    @Test
    void ofManyNodesClaimingAtOnceExactlyOneWins() throws Exception {
        MetadataStore[] nodes = twoNodes();
        List<Callable<Boolean>> claims = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            MetadataStore node = nodes[i % 2];
            Transient claim = rec("claim", "page", "claimant-" + i, T0.plusSeconds(60));
            claims.add(() -> insertIfAbsent(node, claim, T0));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            int won = 0;
            for (Future<Boolean> f : pool.invokeAll(claims)) {
                won += f.get() ? 1 : 0;
            }
            assertThat(won).isEqualTo(1);
        } finally {
            pool.shutdown();
        }
    }
}
