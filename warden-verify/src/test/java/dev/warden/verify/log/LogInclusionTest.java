package dev.warden.verify.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.log.Envelope;
import dev.warden.log.NoteKey;
import dev.warden.log.TilePath;
import dev.warden.log.TransparencyLog;
import dev.warden.log.sqlite.SqliteLogStore;
import dev.warden.verify.log.LogInclusion.Claim;
import dev.warden.verify.report.Check;
import dev.warden.verify.report.Finding;
import dev.warden.verify.report.Status;
import dev.warden.verify.testing.FakeRemote;
import dev.warden.verify.trust.LogKeys;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Inclusion of a registry's log entries checked through tiles, against a real log: what passes,
 * each refusal by its reason, the cache and offline.
 */
class LogInclusionTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String ORIGIN = "registry.invalid/-/log";
    static final String URL = "https://registry.invalid/-/log/";

    /** More than a full bundle, so both full and partial tiles are read. */
    static final int ENTRIES = 300;

    @TempDir Path dir;
    @TempDir Path cacheDir;
    NoteKey.Signer logKey = NoteKey.generate(ORIGIN, NoteKey.ED25519);
    NoteKey.Signer registryKey = NoteKey.generate("registry.invalid/registry", NoteKey.ED25519);
    List<TransparencyLog> logs = new ArrayList<>();
    TransparencyLog log;
    LogKeys keys;

    static byte[] published(String name, String version, String integrity, NoteKey.Signer by) {
        return statement("package.published", name, version, integrity, by);
    }

    static byte[] statement(
            String kind, String name, String version, String integrity, NoteKey.Signer by) {
        ObjectNode st = JSON.createObjectNode();
        st.put("kind", kind).put("seq", 1).put("registry", "https://registry.invalid");
        st.put("package", name).put("version", version).put("integrity", integrity);
        st.put("actor", "alice").put("time", "2026-12-01T00:00:00Z");
        return Envelope.seal(st.toString().getBytes(StandardCharsets.UTF_8), by);
    }

    static String integrity(int i) {
        return "sha512-" + i;
    }

    TransparencyLog open(String name, NoteKey.Signer signer, int entries, int offset) {
        TransparencyLog l =
                new TransparencyLog(
                        SqliteLogStore.open(dir.resolve(name)),
                        signer,
                        TransparencyLog.Settings.of(ORIGIN));
        logs.add(l);
        List<CompletableFuture<Long>> appended = new ArrayList<>();
        for (int i = 0; i < entries; i++) {
            appended.add(
                    l.append(
                            published(
                                    "pkg",
                                    "1.0." + (i + offset),
                                    integrity(i + offset),
                                    registryKey)));
        }
        appended.forEach(CompletableFuture::join);
        return l;
    }

    static FakeRemote serve(TransparencyLog checkpoints, TransparencyLog tiles) {
        return new FakeRemote()
                .route(
                        URL + "checkpoint",
                        p -> checkpoints.snapshot().checkpoint().getBytes(StandardCharsets.UTF_8))
                .route(
                        URL + "tile/",
                        p -> tiles.read(TilePath.parse(Arrays.asList(p.split("/", -1)))));
    }

    @BeforeEach
    void log() {
        log = open("log.db", logKey, ENTRIES, 0);
        keys = new LogKeys(URI.create(URL), ORIGIN, logKey.verifier(), registryKey.verifier());
    }

    @AfterEach
    void close() {
        logs.forEach(TransparencyLog::close);
    }

    static Claim claim(int i) {
        return new Claim(i, "pkg", "1.0." + i, integrity(i));
    }

    Map<Claim, Finding> check(FakeRemote remote, boolean offline, Claim... claims) {
        return LogInclusion.check(keys, List.of(claims), remote, cacheDir, offline);
    }

    @Test
    void entries_are_included_each_tile_is_fetched_once_and_cached() {
        FakeRemote remote = serve(log, log);
        Map<Claim, Finding> r =
                check(remote, false, claim(0), claim(5), claim(255), claim(256), claim(299));
        assertThat(r.get(claim(0)))
                .isEqualTo(Finding.pass(Check.LOG, "entry 0 included in checkpoint of size 300"));
        assertThat(r.get(claim(299)))
                .isEqualTo(Finding.pass(Check.LOG, "entry 299 included in checkpoint of size 300"));
        assertThat(r.values()).allMatch(f -> f.status() == Status.PASS);
        synchronized (remote.requests) {
            assertThat(remote.requests).doesNotHaveDuplicates();
            assertThat(remote.requests)
                    .contains(
                            URL + "tile/entries/000",
                            URL + "tile/entries/001.p/44",
                            URL + "tile/0/000",
                            URL + "tile/0/001.p/44",
                            URL + "tile/1/000.p/1");
        }
        // the next run reads every tile from the cache: only the checkpoint is fetched
        FakeRemote again = serve(log, log);
        assertThat(check(again, false, claim(7), claim(298)).values())
                .allMatch(f -> f.status() == Status.PASS);
        assertThat(again.requests).containsExactly(URL + "checkpoint");
        // and offline, not even that
        FakeRemote none = new FakeRemote().unreachable();
        assertThat(check(none, true, claim(100)).get(claim(100)).status()).isEqualTo(Status.PASS);
        assertThat(none.requests).isEmpty();
    }

    @Test
    void a_claim_that_differs_from_the_entry_fails_naming_the_difference() {
        FakeRemote remote = serve(log, log);
        Claim otherVersion =
                new Claim(3, "pkg", "1.0.4", integrity(4)); // entry swapped between versions
        Claim otherPackage = new Claim(3, "left-pad", "1.0.3", integrity(3));
        Claim otherIntegrity = new Claim(3, "pkg", "1.0.3", "sha512-tampered");
        Claim beyond = new Claim(300, "pkg", "1.0.300", integrity(300));
        Map<Claim, Finding> r =
                check(remote, false, otherVersion, otherPackage, otherIntegrity, beyond);
        assertThat(r.get(otherVersion))
                .isEqualTo(
                        Finding.fail(
                                Check.LOG,
                                "entry 3 states package.published of pkg@1.0.3, expected"
                                        + " package.published or proxy.ingested of pkg@1.0.4"));
        assertThat(r.get(otherPackage))
                .isEqualTo(
                        Finding.fail(
                                Check.LOG,
                                "entry 3 states package.published of pkg@1.0.3, expected"
                                    + " package.published or proxy.ingested of left-pad@1.0.3"));
        assertThat(r.get(otherIntegrity))
                .isEqualTo(
                        Finding.fail(
                                Check.LOG,
                                "entry 3 states integrity sha512-3 for pkg@1.0.3, the lockfile has"
                                        + " sha512-tampered"));
        assertThat(r.get(beyond))
                .isEqualTo(
                        Finding.fail(
                                Check.LOG,
                                "entry 300 is not in the log: its checkpoint has size 300"));
        // nothing of a run with failures is cached
        assertThat(cacheDir.resolve("trust")).doesNotExist();
    }

    /**
     * A proxying Warden's statement of a version it took from an uplink and verified stands for the
     * version; its statement of one it held does not.
     */
    @Test
    void a_proxys_ingest_statement_stands_for_the_version_and_a_hold_does_not() {
        TransparencyLog proxied =
                new TransparencyLog(
                        SqliteLogStore.open(dir.resolve("proxied.db")),
                        logKey,
                        TransparencyLog.Settings.of(ORIGIN));
        logs.add(proxied);
        proxied.append(statement("proxy.ingested", "up", "2.0.0", "sha512-up", registryKey)).join();
        proxied.append(statement("proxy.held", "up", "2.0.1", "sha512-held", registryKey)).join();
        Claim ingested = new Claim(0, "up", "2.0.0", "sha512-up");
        Claim held = new Claim(1, "up", "2.0.1", "sha512-held");
        Map<Claim, Finding> r = check(serve(proxied, proxied), false, ingested, held);
        assertThat(r.get(ingested))
                .isEqualTo(Finding.pass(Check.LOG, "entry 0 included in checkpoint of size 2"));
        assertThat(r.get(held))
                .isEqualTo(
                        Finding.fail(
                                Check.LOG,
                                "entry 1 states proxy.held of up@2.0.1, expected"
                                        + " package.published or proxy.ingested of up@2.0.1"));
    }

    @Test
    void an_entry_swapped_in_its_bundle_is_not_included() {
        FakeRemote remote = serve(log, log);
        // the bundle served with entry 2 replaced by another validly signed statement
        byte[] bundle = log.read(new TilePath(TilePath.ENTRIES, 0, 256));
        byte[] original = published("pkg", "1.0.2", integrity(2), registryKey);
        byte[] forged = published("pkg", "1.0.2", "sha512-X", registryKey);
        assertThat(forged).hasSameSizeAs(original);
        String b =
                new String(bundle, StandardCharsets.ISO_8859_1)
                        .replace(
                                new String(original, StandardCharsets.ISO_8859_1),
                                new String(forged, StandardCharsets.ISO_8859_1));
        remote.override(URL + "tile/entries/000", b.getBytes(StandardCharsets.ISO_8859_1));
        Claim c = new Claim(2, "pkg", "1.0.2", "sha512-X");
        assertThat(check(remote, false, c).get(c))
                .isEqualTo(
                        Finding.fail(
                                Check.LOG,
                                "entry 2 is not included in the checkpoint of size 300: the entry"
                                        + " and tiles served do not lead to its root"));
    }

    @Test
    void tiles_of_another_tree_do_not_prove_against_the_checkpoint() {
        // same key and origin, other entries: its checkpoint with this log's tiles
        TransparencyLog other = open("other.db", logKey, ENTRIES, 1000);
        assertThat(check(serve(other, log), false, claim(10)).get(claim(10)))
                .isEqualTo(
                        Finding.fail(
                                Check.LOG,
                                "entry 10 is not included in the checkpoint of size 300: the entry"
                                        + " and tiles served do not lead to its root"));
    }

    @Test
    void a_checkpoint_signed_by_another_key_or_for_another_origin_is_refused() {
        NoteKey.Signer impostor = NoteKey.generate(ORIGIN, NoteKey.ED25519);
        TransparencyLog forged = open("forged.db", impostor, 1, 0);
        assertThat(check(serve(forged, log), false, claim(0), claim(1)).values())
                .containsOnly(
                        Finding.fail(
                                Check.LOG,
                                "the checkpoint of "
                                        + URL
                                        + " is not signed by the log's key "
                                        + ORIGIN));
        keys =
                new LogKeys(
                        URI.create(URL),
                        "elsewhere.invalid/log",
                        logKey.verifier(),
                        registryKey.verifier());
        assertThat(check(serve(log, log), false, claim(0)).get(claim(0)))
                .isEqualTo(
                        Finding.fail(
                                Check.LOG,
                                "the checkpoint of "
                                        + URL
                                        + " has origin "
                                        + ORIGIN
                                        + ", expected elsewhere.invalid/log"));
    }

    @Test
    void an_entry_not_signed_by_the_registry_is_refused() {
        NoteKey.Signer stranger = NoteKey.generate("registry.invalid/registry", NoteKey.ED25519);
        long index = log.appendAndWait(published("pkg", "2.0.0", "sha512-x", stranger));
        Claim c = new Claim(index, "pkg", "2.0.0", "sha512-x");
        assertThat(check(serve(log, log), false, c).get(c))
                .isEqualTo(
                        Finding.fail(
                                Check.LOG,
                                "entry 300 is not the registry's statement: entry is not signed by"
                                        + " registry.invalid/registry"));
    }

    @Test
    void a_log_that_does_not_extend_what_was_verified_before_is_refused() {
        assertThat(check(serve(log, log), false, claim(1)).get(claim(1)).status())
                .isEqualTo(Status.PASS);
        // a fork: the same key signs a larger tree with other entries
        TransparencyLog fork = open("fork.db", logKey, ENTRIES + 10, 1000);
        assertThat(
                        check(
                                        serve(fork, fork),
                                        false,
                                        new Claim(1, "pkg", "1.0.1001", integrity(1001)))
                                .values())
                .containsOnly(
                        Finding.fail(
                                Check.LOG,
                                "the checkpoint of size 310 of "
                                        + URL
                                        + " does not extend the one of size 300 verified before"));
        TransparencyLog small = open("small.db", logKey, 5, 0);
        assertThat(check(serve(small, small), false, claim(1)).values())
                .containsOnly(
                        Finding.fail(
                                Check.LOG, "the log " + URL + " shrank from 300 to 5 entries"));
    }

    @Test
    void what_cannot_be_fetched_is_a_fetch_failure() {
        assertThat(check(new FakeRemote().unreachable(), true, claim(1)).get(claim(1)))
                .isEqualTo(
                        Finding.fail(
                                Check.FETCH,
                                "offline, and no checkpoint of the log " + URL + " in the cache"));
        FakeRemote noTiles =
                new FakeRemote()
                        .route(
                                URL + "checkpoint",
                                p -> log.snapshot().checkpoint().getBytes(StandardCharsets.UTF_8));
        assertThat(check(noTiles, false, claim(1)).get(claim(1)))
                .isEqualTo(
                        Finding.fail(
                                Check.FETCH,
                                "GET " + URL + "tile/entries/000 answered 404, expected 200"));
    }
}
