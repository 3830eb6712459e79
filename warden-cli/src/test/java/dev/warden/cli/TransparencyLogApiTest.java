package dev.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.log.Checkpoint;
import dev.warden.log.Cosignature;
import dev.warden.log.Envelope;
import dev.warden.log.KeyFiles;
import dev.warden.log.Merkle;
import dev.warden.log.Monitor;
import dev.warden.log.Note;
import dev.warden.log.NoteKey;
import dev.warden.log.TilePath;
import dev.warden.log.Witness;
import dev.warden.log.WitnessState;
import dev.warden.server.logclient.HttpTransport;
import dev.warden.server.testing.Http;
import dev.warden.server.testing.Tarballs;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The log as a registry user, a witness and a monitor see it over HTTP. */
class TransparencyLogApiTest {

    static final String ORIGIN = "registry.test/-/log";
    static Path keys;
    static NoteKey.Signer logKey;
    static WitnessServer witnessServer;
    static NoteKey.Verifier witnessKey;
    static Path witnessState;
    static TestServer server;
    static Http http;
    static Http witnessHttp;
    static String alice;
    static String bob;

    @BeforeAll
    static void start() throws Exception {
        keys = Files.createTempDirectory("warden-log-keys-");
        logKey = KeyFiles.loadOrCreate(keys.resolve("log.key"), ORIGIN, NoteKey.ED25519);
        NoteKey.Signer w = NoteKey.generate("witness.test", NoteKey.COSIGNATURE_V1);
        witnessKey = w.verifier();
        witnessState = Files.createTempDirectory("warden-witness-");
        witnessServer =
                WitnessServer.start(
                        "127.0.0.1",
                        0,
                        new Witness(
                                w,
                                Map.of(ORIGIN, List.of(logKey.verifier())),
                                new WitnessState(witnessState, Clock.systemUTC()),
                                Clock.systemUTC()));
        witnessHttp = new Http("http://127.0.0.1:" + witnessServer.port());
        server =
                TestServer.start(
                        Map.of(
                                "tlog.origin",
                                ORIGIN,
                                "tlog.key_file",
                                keys.resolve("log.key").toString(),
                                "tlog.witnesses",
                                witnessKey.vkey()
                                        + "@http://127.0.0.1:"
                                        + witnessServer.port()
                                        + "/"));
        http = server.http();
        alice = server.token("alice");
        bob = server.token("bob");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        witnessServer.close();
    }

    static NoteKey.Verifier registryKey() throws Exception {
        return NoteKey.parseVerifier(http.get("/-/log").json().path("registryKey").asText());
    }

    static Checkpoint checkpoint() throws Exception {
        Note note = Note.parse(http.get("/-/log/checkpoint").body());
        assertThat(note.verify(List.of(logKey.verifier()))).containsExactly(logKey.verifier());
        return Checkpoint.parse(note.text());
    }

    static byte[] entry(long index) throws Exception {
        long size = checkpoint().size();
        long bundle = index / 256;
        int width = (int) Math.min(256, size - bundle * 256);
        Http.Result r = http.get("/-/log/" + new TilePath(TilePath.ENTRIES, bundle, width).path());
        assertThat(r.status()).isEqualTo(200);
        return Monitor.decodeBundle(r.bytes(), width).get((int) (index - bundle * 256));
    }

    static JsonNode statement(long index) throws Exception {
        return Envelope.open(entry(index), registryKey());
    }

    static long logIndex(Http.Result r) throws Exception {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        long index = r.json().path("logIndex").asLong(-1);
        assertThat(index).isNotNegative();
        assertThat(r.header("Warden-Log-Index")).isEqualTo(Long.toString(index));
        return index;
    }

    @Test
    void everyChangeIsASignedEntryAndTheAnswerSaysWhere() throws Exception {
        long published =
                logIndex(
                        http.put(
                                Tarballs.path("logged-pkg"),
                                alice,
                                Tarballs.publishBody("logged-pkg", "1.0.0")));
        JsonNode st = statement(published);
        assertThat(st.path("kind").asText()).isEqualTo("package.published");
        assertThat(st.path("package").asText()).isEqualTo("logged-pkg");
        assertThat(st.path("version").asText()).isEqualTo("1.0.0");
        assertThat(st.path("actor").asText()).isEqualTo("alice");
        JsonNode doc = http.get("/logged-pkg").json();
        assertThat(st.path("integrity").asText())
                .isEqualTo(
                        doc.path("versions").path("1.0.0").path("dist").path("integrity").asText());
        assertThat(doc.path("versions").path("1.0.0").path("_log").path("index").asLong())
                .isEqualTo(published);
        assertThat(doc.path("versions").path("1.0.0").path("_log").path("url").asText())
                .isEqualTo(server.url() + "/-/log/");

        long second =
                logIndex(
                        http.put(
                                Tarballs.path("logged-pkg"),
                                alice,
                                Tarballs.publishBody("logged-pkg", "1.1.0")));
        long tag = logIndex(http.put("/-/package/logged-pkg/dist-tags/beta", alice, "1.0.0"));
        assertThat(statement(tag).path("kind").asText()).isEqualTo("dist-tag.set");
        assertThat(statement(tag).path("tag").asText()).isEqualTo("beta");
        long untag = logIndex(http.delete("/-/package/logged-pkg/dist-tags/beta", alice));
        assertThat(statement(untag).path("kind").asText()).isEqualTo("dist-tag.removed");
        // The same change made again is a new entry, not the old one.
        long retag = logIndex(http.put("/-/package/logged-pkg/dist-tags/beta", alice, "1.0.0"));
        long reuntag = logIndex(http.delete("/-/package/logged-pkg/dist-tags/beta", alice));
        assertThat(List.of(tag, untag, retag, reuntag)).doesNotHaveDuplicates().isSorted();
        assertThat(statement(reuntag).path("seq").asLong())
                .isGreaterThan(statement(untag).path("seq").asLong());

        ObjectNode withBob = (ObjectNode) http.get("/logged-pkg?write=true").json();
        withBob.withArray("maintainers")
                .addObject()
                .put("name", "bob")
                .put("email", "bob@example.com");
        long owners =
                logIndex(
                        http.put(
                                "/logged-pkg/-rev/" + withBob.path("_rev").asText(),
                                alice,
                                withBob));
        JsonNode ownerSt = statement(owners);
        assertThat(ownerSt.path("kind").asText()).isEqualTo("package.owners-changed");
        assertThat(ownerSt.path("added").toString()).isEqualTo("[\"bob\"]");

        ObjectNode without = (ObjectNode) http.get("/logged-pkg?write=true").json();
        ((ObjectNode) without.get("versions")).remove("1.1.0");
        long unpublished =
                logIndex(
                        http.put(
                                "/logged-pkg/-rev/" + without.path("_rev").asText(),
                                alice,
                                without));
        assertThat(statement(unpublished).path("kind").asText()).isEqualTo("package.unpublished");
        assertThat(statement(unpublished).path("versions").toString()).isEqualTo("[\"1.1.0\"]");
        assertThat(List.of(published, second, tag, untag, owners, unpublished))
                .isSorted()
                .doesNotHaveDuplicates();

        // The same change again is no change: nothing new is logged.
        Http.Result again = http.put("/-/package/logged-pkg/dist-tags/latest", alice, "1.0.0");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.header("Warden-Log-Index")).isNull();
    }

    /** What the registry vouches for cannot come from the publisher. */
    @Test
    void aPublisherCannotSupplyItsOwnLogPointerOrSignatures() throws Exception {
        ObjectNode m = Tarballs.manifest("forging-pkg", "1.0.0");
        ObjectNode body = Tarballs.publishBody(m, Tarballs.packageTgz(m));
        ObjectNode version = (ObjectNode) body.path("versions").path("1.0.0");
        version.putObject("_log").put("index", 999_999).put("url", "http://evil.example/-/log/");
        version.putArray("_signatures")
                .addObject()
                .put("keyid", "SHA256:forged")
                .put("sig", "AAAA");
        long index = logIndex(http.put(Tarballs.path("forging-pkg"), alice, body));
        JsonNode served = http.get("/forging-pkg").json().path("versions").path("1.0.0");
        assertThat(served.path("_log").path("index").asLong()).isEqualTo(index);
        assertThat(served.path("_log").path("url").asText()).isEqualTo(server.url() + "/-/log/");
        assertThat(served.path("dist").path("signatures")).hasSize(1);
        assertThat(served.path("dist").path("signatures").get(0).path("keyid").asText())
                .isEqualTo(
                        http.get("/-/npm/v1/keys")
                                .json()
                                .path("keys")
                                .get(0)
                                .path("keyid")
                                .asText());
    }

    @Test
    void checkpointTilesAndProofsVerifyAndCanBeCached() throws Exception {
        for (int i = 0; i < 3; i++) {
            logIndex(
                    http.put(
                            Tarballs.path("proof-pkg-" + i),
                            alice,
                            Tarballs.publishBody("proof-pkg-" + i, "1.0.0")));
        }
        Http.Result cpReply = http.get("/-/log/checkpoint");
        assertThat(cpReply.header("Content-Type")).startsWith("text/plain");
        assertThat(cpReply.header("Cache-Control")).isEqualTo("public, max-age=2");
        Checkpoint old = checkpoint();
        logIndex(
                http.put(
                        Tarballs.path("proof-pkg-x"),
                        alice,
                        Tarballs.publishBody("proof-pkg-x", "1.0.0")));
        Checkpoint now = checkpoint();
        assertThat(now.size()).isGreaterThan(old.size());
        for (long i = 0; i < now.size(); i++) {
            JsonNode p =
                    http.get("/-/log/proof/inclusion?index=" + i + "&size=" + now.size()).json();
            assertThat(
                            Merkle.verifyInclusion(
                                    i,
                                    now.size(),
                                    Merkle.leafHash(entry(i)),
                                    hashes(p),
                                    now.root()))
                    .as("entry %d", i)
                    .isTrue();
        }
        String leaf = Base64.getEncoder().encodeToString(Merkle.leafHash(entry(1)));
        JsonNode byHash =
                http.get(
                                "/-/log/proof/inclusion?hash="
                                        + java.net.URLEncoder.encode(leaf, StandardCharsets.UTF_8)
                                        + "&size="
                                        + now.size())
                        .json();
        assertThat(byHash.path("index").asLong()).isEqualTo(1);
        JsonNode c =
                http.get("/-/log/proof/consistency?from=" + old.size() + "&to=" + now.size())
                        .json();
        assertThat(
                        Merkle.verifyConsistency(
                                old.size(), now.size(), old.root(), now.root(), hashes(c)))
                .isTrue();
        Http.Result tile =
                http.get("/-/log/" + new TilePath(0, 0, (int) Math.min(255, now.size())).path());
        assertThat(tile.status()).isEqualTo(200);
        assertThat(tile.header("Content-Type")).isEqualTo("application/octet-stream");
        assertThat(tile.header("Cache-Control")).isEqualTo("public, max-age=31536000, immutable");
        assertThat(tile.header("Access-Control-Allow-Origin")).isEqualTo("*");
    }

    static List<byte[]> hashes(JsonNode proof) {
        List<byte[]> out = new ArrayList<>();
        proof.path("hashes").forEach(h -> out.add(Base64.getDecoder().decode(h.asText())));
        return out;
    }

    @Test
    void malformedLogRequestsGetAClearError() throws Exception {
        long size = checkpoint().size();
        for (String bad :
                List.of(
                        "/-/log/tile/0/1",
                        "/-/log/tile/0/x000/001",
                        "/-/log/tile/0/000.p/256",
                        "/-/log/tile/0/000.p/0",
                        "/-/log/tile/x/000",
                        "/-/log/tile/entries",
                        "/-/log/tile/0/000.p/abc",
                        "/-/log/tile/064/000")) {
            Http.Result r = http.get(bad);
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.body()).as(bad).contains("tile path");
        }
        Http.Result missing = http.get("/-/log/tile/0/999");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.header("Cache-Control")).isEqualTo("no-store");
        assertThat(http.get("/-/log/tile/0/000.p/" + Math.min(255, size + 1)).status())
                .isIn(404, 200);
        assertThat(http.get("/-/log/tile/entries/x001/000").status()).isEqualTo(404);
        // Indexes whose entry numbers overflow are simply not there.
        assertThat(http.get("/-/log/tile/entries/x072/x057/x594/x037/x927/936").status())
                .isEqualTo(404);
        assertThat(http.get("/-/log/tile/entries/x036/x028/x797/x018/x963/968.p/5").status())
                .isEqualTo(404);
        assertThat(http.get("/-/log/tile/0/x072/x057/x594/x037/x927/936").status()).isEqualTo(404);
        // A proof against "the current size" may change; one for explicit sizes never does.
        assertThat(http.get("/-/log/proof/inclusion?index=0").header("Cache-Control"))
                .isEqualTo("no-cache");
        assertThat(http.get("/-/log/proof/inclusion?index=0&size=" + size).header("Cache-Control"))
                .contains("immutable");
        for (String bad :
                List.of(
                        "/-/log/proof/inclusion",
                        "/-/log/proof/inclusion?index=-1",
                        "/-/log/proof/inclusion?index=abc",
                        "/-/log/proof/inclusion?index=" + size,
                        "/-/log/proof/inclusion?index=0&size=" + (size + 1),
                        "/-/log/proof/inclusion?index=0&size=99999999999999999999",
                        "/-/log/proof/inclusion?hash=zz",
                        "/-/log/proof/inclusion?hash=" + "00".repeat(31),
                        "/-/log/proof/consistency",
                        "/-/log/proof/consistency?from=2&to=1",
                        "/-/log/proof/consistency?from=0&to=" + (size + 1))) {
            assertThat(http.get(bad).status()).as(bad).isEqualTo(400);
        }
        assertThat(http.get("/-/log/proof/inclusion?hash=" + "00".repeat(32)).status())
                .isEqualTo(404);
        assertThat(
                        http.post(
                                        "/-/log/checkpoint",
                                        null,
                                        "x".getBytes(StandardCharsets.UTF_8),
                                        Map.of())
                                .status())
                .isEqualTo(405);
        assertThat(checkpoint().size()).isEqualTo(size);
    }

    @Test
    void theWitnessCosignsTheServedCheckpoint() throws Exception {
        logIndex(
                http.put(
                        Tarballs.path("witnessed-pkg"),
                        alice,
                        Tarballs.publishBody("witnessed-pkg", "1.0.0")));
        long deadline = System.currentTimeMillis() + 20_000;
        while (true) {
            Note note = Note.parse(http.get("/-/log/checkpoint").body());
            Checkpoint cp = Checkpoint.parse(note.text());
            Note.Signature cosig =
                    note.signatures().stream()
                            .filter(s -> s.name().equals("witness.test"))
                            .findFirst()
                            .orElse(null);
            if (cosig != null && cp.size() == server.server().transparencyLog().snapshot().size()) {
                assertThat(Cosignature.verify(witnessKey, note.text(), cosig)).isPositive();
                assertThat(note.signatures().get(0).name()).isEqualTo(ORIGIN);
                return;
            }
            assertThat(System.currentTimeMillis()).as("cosigned checkpoint").isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    /** Submissions a witness must refuse, each leaving what it holds unchanged. */
    @Test
    void theWitnessRefusesWhatDoesNotExtendWhatItHolds() throws Exception {
        NoteKey.Signer otherKey = NoteKey.generate(ORIGIN, NoteKey.ED25519);
        Path dir = Files.createTempDirectory("warden-witness-refusals-");
        NoteKey.Signer w = NoteKey.generate("witness2.test", NoteKey.COSIGNATURE_V1);
        try (WitnessServer ws =
                WitnessServer.start(
                        "127.0.0.1",
                        0,
                        new Witness(
                                w,
                                Map.of(ORIGIN, List.of(logKey.verifier())),
                                new WitnessState(dir, Clock.systemUTC()),
                                Clock.systemUTC()))) {
            Http wh = new Http("http://127.0.0.1:" + ws.port());
            Checkpoint cp = checkpoint();
            String signed = Note.sign(cp.body(), logKey).format();
            assertThat(submit(wh, "old 0\n\n" + signed).status()).isEqualTo(200);
            logIndex(
                    http.put(
                            Tarballs.path("witness-refusal-" + cp.size()),
                            alice,
                            Tarballs.publishBody("witness-refusal-" + cp.size(), "1.0.0")));
            Checkpoint next = checkpoint();
            String nextSigned = Note.sign(next.body(), logKey).format();
            String proof = proofLines(cp.size(), next.size());

            Http.Result stale = submit(wh, "old 0\n\n" + nextSigned);
            assertThat(stale.status()).isEqualTo(409);
            assertThat(stale.header("Content-Type")).isEqualTo("text/x.tlog.size");
            assertThat(stale.body()).isEqualTo(cp.size() + "\n");
            assertThat(
                            submit(
                                            wh,
                                            "old "
                                                    + cp.size()
                                                    + "\n"
                                                    + proofLines(0, 0)
                                                    + "\n"
                                                    + nextSigned)
                                    .status())
                    .as("no proof")
                    .isEqualTo(422);
            String badProof =
                    proof.replaceFirst("^[A-Za-z0-9+/]", proof.startsWith("A") ? "B" : "A");
            assertThat(
                            submit(wh, "old " + cp.size() + "\n" + badProof + "\n" + nextSigned)
                                    .status())
                    .as("bad proof")
                    .isEqualTo(422);
            assertThat(Files.readString(dir.resolve("conflicts.log"))).contains("does not verify");
            Checkpoint forked =
                    new Checkpoint(
                            ORIGIN,
                            cp.size(),
                            Merkle.sha256("fork".getBytes(StandardCharsets.UTF_8)));
            assertThat(
                            submit(
                                            wh,
                                            "old "
                                                    + cp.size()
                                                    + "\n\n"
                                                    + Note.sign(forked.body(), logKey).format())
                                    .status())
                    .as("fork")
                    .isEqualTo(422);
            assertThat(Files.readString(dir.resolve("conflicts.log")))
                    .contains("two different checkpoints of size " + cp.size());
            assertThat(
                            submit(
                                            wh,
                                            "old "
                                                    + cp.size()
                                                    + "\n"
                                                    + proof
                                                    + "\n"
                                                    + Note.sign(next.body(), otherKey).format())
                                    .status())
                    .as("signed by another key")
                    .isEqualTo(403);
            String forged =
                    nextSigned.substring(0, nextSigned.length() - 6)
                            + (nextSigned.charAt(nextSigned.length() - 6) == 'A' ? "B" : "A")
                            + nextSigned.substring(nextSigned.length() - 5);
            assertThat(submit(wh, "old " + cp.size() + "\n" + proof + "\n" + forged).status())
                    .as("forged signature")
                    .isEqualTo(403);
            Checkpoint foreign = new Checkpoint("other.test/log", next.size(), next.root());
            assertThat(
                            submit(
                                            wh,
                                            "old "
                                                    + cp.size()
                                                    + "\n"
                                                    + proof
                                                    + "\n"
                                                    + Note.sign(foreign.body(), logKey).format())
                                    .status())
                    .as("another origin")
                    .isEqualTo(404);
            assertThat(submit(wh, "old " + (next.size() + 1) + "\n\n" + nextSigned).status())
                    .as("old size past the checkpoint")
                    .isEqualTo(400);
            assertThat(submit(wh, "old x\n\n" + nextSigned).status()).isEqualTo(400);
            assertThat(submit(wh, "garbage").status()).isEqualTo(400);
            assertThat(
                            submit(
                                            wh,
                                            "old "
                                                    + cp.size()
                                                    + "\n"
                                                    + "AAAA\n".repeat(70)
                                                    + "\n"
                                                    + nextSigned)
                                    .status())
                    .isEqualTo(400);
            assertThat(submit(wh, "old 0\n" + "A".repeat(200_000)).status()).isEqualTo(413);
            assertThat(wh.get("/add-checkpoint").status()).isEqualTo(405);
            // Nothing above moved the witness: the right submission still works, from the size it
            // held.
            Http.Result ok = submit(wh, "old " + cp.size() + "\n" + proof + "\n" + nextSigned);
            assertThat(ok.status()).as(ok.body()).isEqualTo(200);
            Note.Signature cosig = Note.parse(nextSigned + ok.body()).signatures().get(1);
            assertThat(Cosignature.verify(w.verifier(), next.body(), cosig)).isPositive();
        }
    }

    static String proofLines(long from, long to) throws Exception {
        if (from == to || from == 0) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        http.get("/-/log/proof/consistency?from=" + from + "&to=" + to)
                .json()
                .path("hashes")
                .forEach(h -> b.append(h.asText()).append('\n'));
        return b.toString();
    }

    static Http.Result submit(Http wh, String body) throws Exception {
        return wh.post(
                "/add-checkpoint",
                null,
                body.getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "text/plain"));
    }

    @Test
    void aMonitorReportsChangesToWatchedPackagesAndNoticesAForkedLog() throws Exception {
        Path state = Files.createTempDirectory("warden-monitor-").resolve("state.json");
        Monitor monitor =
                new Monitor(
                        new Monitor.Settings(
                                java.net.URI.create(server.url() + "/-/log/"),
                                logKey.verifier(),
                                registryKey(),
                                Set.of("watched-pkg"),
                                Set.of(),
                                state),
                        new HttpTransport(java.net.http.HttpClient.newHttpClient()));
        logIndex(
                http.put(
                        Tarballs.path("watched-pkg"),
                        alice,
                        Tarballs.publishBody("watched-pkg", "1.0.0")));
        Monitor.Result first = monitor.poll();
        assertThat(first.reports())
                .extracting(r -> r.statement().path("actor").asText())
                .containsExactly("alice");
        ObjectNode withBob = (ObjectNode) http.get("/watched-pkg?write=true").json();
        withBob.withArray("maintainers")
                .addObject()
                .put("name", "bob")
                .put("email", "bob@example.com");
        logIndex(http.put("/watched-pkg/-rev/" + withBob.path("_rev").asText(), alice, withBob));
        logIndex(
                http.put(
                        Tarballs.path("watched-pkg"),
                        bob,
                        Tarballs.publishBody("watched-pkg", "6.6.6")));
        logIndex(
                http.put(
                        Tarballs.path("unwatched-pkg"),
                        bob,
                        Tarballs.publishBody("unwatched-pkg", "1.0.0")));
        Monitor.Result second = monitor.poll();
        assertThat(second.fromSize()).isEqualTo(first.toSize());
        assertThat(second.reports())
                .extracting(
                        r ->
                                r.statement().path("kind").asText()
                                        + " "
                                        + r.statement().path("actor").asText())
                .containsExactly("package.owners-changed alice", "package.published bob");
        assertThat(monitor.poll().reports()).isEmpty();

        // Another log under the same key and origin, with other entries: the monitor must notice.
        try (TestServer fork =
                TestServer.start(
                        Map.of(
                                "tlog.origin",
                                ORIGIN,
                                "tlog.key_file",
                                keys.resolve("log.key").toString()))) {
            String carol = fork.token("carol");
            for (int i = 0; i < second.toSize() + 2; i++) {
                assertThat(
                                fork.http()
                                        .put(
                                                Tarballs.path("fork-" + i),
                                                carol,
                                                Tarballs.publishBody("fork-" + i, "1.0.0"))
                                        .status())
                        .isEqualTo(200);
            }
            Monitor forked =
                    new Monitor(
                            new Monitor.Settings(
                                    java.net.URI.create(fork.url() + "/-/log/"),
                                    logKey.verifier(),
                                    null,
                                    Set.of("watched-pkg"),
                                    Set.of(),
                                    state),
                            new HttpTransport(java.net.http.HttpClient.newHttpClient()));
            assertThatThrownBy(forked::poll)
                    .isInstanceOf(Monitor.InconsistentLog.class)
                    .hasMessageContaining("not append-only");
        }
    }
}
