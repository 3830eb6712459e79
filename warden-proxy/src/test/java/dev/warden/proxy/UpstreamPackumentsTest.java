package dev.warden.proxy;

import static dev.warden.proxy.Harness.packument;
import static dev.warden.proxy.Harness.uri;
import static dev.warden.proxy.Harness.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.warden.common.Problem;
import dev.warden.storage.Upstreams.UpstreamEvent;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Fetching, revalidating and keeping upstream packuments; what an uplink does wrong. */
class UpstreamPackumentsTest {

    @TempDir Path dir;
    Harness h;

    @BeforeEach
    void open() {
        h = new Harness(dir);
        h.publish(
                "lodash", version(packument("lodash"), "4.17.21", Duration.ofDays(900)), "\"e1\"");
    }

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void aFreshCopyIsServedWithoutAskingTheUplink() {
        h.proxy.packument("lodash").orElseThrow();
        h.clock.advance(Duration.ofSeconds(119));

        assertThat(h.proxy.packument("lodash")).isPresent();
        assertThat(h.proxy.cachedPackument("lodash")).isNotNull();
        assertThat(h.upstream.requestsFor(uri("lodash"))).hasSize(1);
        assertThat(h.upstream.requestsFor(uri("lodash")).getFirst().accept())
                .isEqualTo("application/json");
        assertThat(h.upstream.requestsFor(uri("lodash")).getFirst().ifNoneMatch()).isNull();
    }

    @Test
    void anOldCopyIsRevalidatedWithItsEtagAndA304KeepsIt() {
        Proxy.Served first = h.proxy.packument("lodash").orElseThrow();
        h.clock.advance(Duration.ofSeconds(121));
        assertThat(h.proxy.cachedPackument("lodash")).isNull();

        Proxy.Served second = h.proxy.packument("lodash").orElseThrow();

        assertThat(h.upstream.requestsFor(uri("lodash"))).hasSize(2);
        assertThat(h.upstream.requestsFor(uri("lodash")).get(1).ifNoneMatch()).isEqualTo("\"e1\"");
        assertThat(second.stale()).isFalse();
        assertThat(second.checked()).isEqualTo(Harness.T0.plusSeconds(121));
        assertThat(second.doc()).isSameAs(first.doc());
        assertThat(h.store.read(tx -> tx.upstreams().packument("lodash")).orElseThrow().checked())
                .isEqualTo(Harness.T0.plusSeconds(121));
    }

    @Test
    void theSameBodyWithoutAnEtagIsNotRenderedAgain() {
        String body = version(packument("noetag"), "1.0.0", Duration.ofDays(9)).toString();
        h.upstream.answer(uri("noetag"), 200, body);
        Proxy.Served first = h.proxy.packument("noetag").orElseThrow();
        h.clock.advance(Duration.ofSeconds(121));

        Proxy.Served second = h.proxy.packument("noetag").orElseThrow();

        assertThat(h.upstream.requestsFor(uri("noetag"))).hasSize(2);
        assertThat(h.upstream.requestsFor(uri("noetag")).get(1).ifNoneMatch()).isNull();
        assertThat(second.doc()).isSameAs(first.doc());
        assertThat(second.checked()).isEqualTo(Harness.T0.plusSeconds(121));
    }

    @Test
    void aChangedUpstreamBodyIsRenderedAgain() {
        Proxy.Served first = h.proxy.packument("lodash").orElseThrow();
        h.publish(
                "lodash",
                version(
                        version(packument("lodash"), "4.17.21", Duration.ofDays(900)),
                        "4.17.22",
                        Duration.ofDays(5)),
                "\"e2\"");
        h.clock.advance(Duration.ofSeconds(121));

        Proxy.Served second = h.proxy.packument("lodash").orElseThrow();

        assertThat(Harness.full(second).path("dist-tags").path("latest").asText())
                .isEqualTo("4.17.22");
        assertThat(second.doc().rev()).isGreaterThan(first.doc().rev());
        assertThat(second.doc().fullEtag()).isNotEqualTo(first.doc().fullEtag());
    }

    @Test
    void whenTheUplinkIsDownTheCachedCopyIsServedStaleAndOneEventIsRecorded() {
        Proxy.Served first = h.proxy.packument("lodash").orElseThrow();
        h.clock.advance(Duration.ofSeconds(121));
        h.upstream.down = "connect timed out";

        Proxy.Served stale = h.proxy.packument("lodash").orElseThrow();
        Proxy.Served again = h.proxy.packument("lodash").orElseThrow();

        assertThat(stale.stale()).isTrue();
        assertThat(stale.checked()).isEqualTo(Harness.T0);
        assertThat(stale.doc().full()).isEqualTo(first.doc().full());
        assertThat(again.stale()).isTrue();
        assertThat(h.proxy.cachedPackument("lodash")).isNull();
        List<UpstreamEvent> events = h.proxy.events(10);
        assertThat(events).hasSize(1);
        assertThat(events.getFirst().kind()).isEqualTo("uplink.unreachable");
        assertThat(events.getFirst().detail()).isEqualTo("connect timed out");
        // Within the retry pause the uplink is not asked again: no request waits for its timeout.
        assertThat(h.upstream.requestsFor(uri("lodash"))).hasSize(2);
    }

    @Test
    void whenTheUplinkIsBackTheCopyIsFreshAgain() {
        h.proxy.packument("lodash").orElseThrow();
        h.clock.advance(Duration.ofSeconds(121));
        h.upstream.down = "connect timed out";
        assertThat(h.proxy.packument("lodash").orElseThrow().stale()).isTrue();
        h.upstream.down = null;
        h.clock.advance(UpstreamPackuments.RETRY_AFTER);

        Proxy.Served back = h.proxy.packument("lodash").orElseThrow();

        assertThat(back.stale()).isFalse();
        assertThat(h.proxy.cachedPackument("lodash")).isNotNull();
    }

    @Test
    void whenTheUplinkIsDownAndNothingIsCachedItIsABadGateway() {
        h.upstream.down = "connection refused";

        Problem p = catchThrowableOfType(Problem.class, () -> h.proxy.packument("lodash"));

        assertThat(p.kind()).isEqualTo(Problem.Kind.BAD_GATEWAY);
        assertThat(p.getMessage())
                .isEqualTo("uplink public could not be reached: connection refused");
    }

    @Test
    void a5xxIsAFailureOfTheUplink() {
        h.proxy.packument("lodash").orElseThrow();
        h.clock.advance(Duration.ofSeconds(121));
        h.upstream.answer(uri("lodash"), 503, "busy");

        assertThat(h.proxy.packument("lodash").orElseThrow().stale()).isTrue();
        assertThat(h.proxy.events(10).getFirst().detail()).isEqualTo("it answered HTTP 503");
    }

    @Test
    void invalidJsonChangesNothingAndIsRecorded() {
        garbageChangesNothing("{\"name\":\"lodash\",", "the body is not JSON");
    }

    @Test
    void htmlWithStatus200ChangesNothingAndIsRecorded() {
        garbageChangesNothing(
                "<html><body>Sign in to continue</body></html>", "the body is not JSON");
    }

    @Test
    void aPackumentOfAnotherNameChangesNothingAndIsRecorded() {
        garbageChangesNothing(
                version(packument("lodash-evil"), "1.0.0", Duration.ofDays(9)).toString(),
                "its name is \"lodash-evil\", not \"lodash\"");
    }

    @Test
    void aVersionWithoutIntegrityChangesNothingAndIsRecorded() {
        var doc = version(packument("lodash"), "4.17.21", Duration.ofDays(900));
        ((com.fasterxml.jackson.databind.node.ObjectNode) doc.at("/versions/4.17.21/dist"))
                .remove("integrity");
        ((com.fasterxml.jackson.databind.node.ObjectNode) doc.at("/versions/4.17.21/dist"))
                .remove("shasum");
        garbageChangesNothing(
                doc.toString(), "version \"4.17.21\" has neither dist.integrity nor dist.shasum");
    }

    @Test
    void aNonHexShasumWithoutIntegrityChangesNothingAndIsRecorded() {
        var doc = version(packument("lodash"), "4.17.21", Duration.ofDays(900));
        var dist =
                (com.fasterxml.jackson.databind.node.ObjectNode) doc.at("/versions/4.17.21/dist");
        dist.remove("integrity");
        dist.put("shasum", "not-hex");
        garbageChangesNothing(
                doc.toString(),
                "version \"4.17.21\" has no dist.integrity and a dist.shasum that is not hex");
    }

    @Test
    void signaturesThatAreNotAListChangeNothingAndAreRecorded() throws Exception {
        for (String sigs : List.of("null", "{}", "\"MEUC\"")) {
            var doc = version(packument("lodash"), "4.17.21", Duration.ofDays(900));
            ((com.fasterxml.jackson.databind.node.ObjectNode) doc.at("/versions/4.17.21/dist"))
                    .set("signatures", Harness.JSON.readTree(sigs));
            garbageChangesNothing(
                    doc.toString(), "version \"4.17.21\" has a dist.signatures that is not a list");
        }
    }

    @Test
    void duplicateKeysAreGarbage() {
        garbageChangesNothing(
                "{\"name\":\"lodash\",\"name\":\"other\",\"versions\":{}}",
                "the body is not JSON: Duplicate field 'name'");
    }

    private void garbageChangesNothing(String body, String reason) {
        Proxy.Served before = h.proxy.packument("lodash").orElseThrow();
        byte[] kept = h.store.read(tx -> tx.upstreams().packument("lodash")).orElseThrow().body();
        h.clock.advance(Duration.ofSeconds(121));
        h.upstream.answer(uri("lodash"), 200, body);

        Proxy.Served after = h.proxy.packument("lodash").orElseThrow();

        assertThat(after.stale()).isTrue();
        assertThat(after.doc().full()).isEqualTo(before.doc().full());
        assertThat(h.store.read(tx -> tx.upstreams().packument("lodash")).orElseThrow().body())
                .isEqualTo(kept);
        UpstreamEvent e = h.proxy.events(10).getFirst();
        assertThat(e.kind()).isEqualTo("packument.invalid");
        assertThat(e.name()).isEqualTo("lodash");
        assertThat(e.detail()).startsWith(reason);

        // With nothing cached, garbage is a bad gateway naming what was wrong.
        h.upstream.answer(uri("fresh"), 200, body.replace("lodash", "fresh"));
        if (!body.contains("lodash")) {
            Problem p = catchThrowableOfType(Problem.class, () -> h.proxy.packument("fresh"));
            assertThat(p.kind()).isEqualTo(Problem.Kind.BAD_GATEWAY);
            assertThat(p.getMessage())
                    .startsWith("uplink public answered an invalid packument for fresh: ");
        }
    }

    @Test
    void aNameTheUplinkDoesNotHaveIsEmpty() {
        assertThat(h.proxy.packument("nothing-here")).isEmpty();
        assertThat(h.proxy.events(10)).isEmpty();
    }

    @Test
    void anUpstreamUnpublishKeepsTheVerifiedCopyAndIsRecorded() {
        Proxy.Served before = h.proxy.packument("lodash").orElseThrow();
        h.clock.advance(Duration.ofSeconds(121));
        h.upstream.remove(uri("lodash"));

        Proxy.Served after = h.proxy.packument("lodash").orElseThrow();

        assertThat(after.stale()).isFalse();
        assertThat(after.doc().full()).isEqualTo(before.doc().full());
        assertThat(h.proxy.events(10).getFirst().kind()).isEqualTo("packument.gone");
    }
}
