package dev.warden.storage.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.storage.Upstreams.IngestedVersion;
import dev.warden.storage.Upstreams.Quarantine;
import dev.warden.storage.Upstreams.UpstreamEvent;
import dev.warden.storage.Upstreams.UpstreamPackument;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The {@link dev.warden.storage.Upstreams} contract, method by method. */
public interface UpstreamsContract extends StoreAccess {

    Instant T0 = Instant.parse("2026-03-01T10:00:00.123Z");

    // reads with their types fixed, so AssertJ's overloads are not ambiguous

    private Optional<UpstreamPackument> packument(String name) {
        return store().read(tx -> tx.upstreams().packument(name));
    }

    private Optional<IngestedVersion> version(String name, String version) {
        return store().read(tx -> tx.upstreams().version(name, version));
    }

    private List<IngestedVersion> versions(String name) {
        return store().read(tx -> tx.upstreams().versions(name));
    }

    private List<Quarantine> quarantines(String name) {
        return store().read(tx -> tx.upstreams().quarantines(name));
    }

    private static IngestedVersion row(String version, String state, String reason) {
        return new IngestedVersion(
                "left-pad",
                version,
                "public",
                "sha512-" + version,
                "ab" + version,
                1234,
                state,
                reason,
                "{\"integrity\":\"ok\"}",
                "{\"attestations\":[]}".getBytes(StandardCharsets.UTF_8),
                T0,
                null);
    }

    // ------------------------------------------------------------------ packuments

    @Test
    default void aPackumentsBytesRoundTripExactly() {
        byte[] body = new byte[256];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) i; // every byte value, including NUL and invalid UTF-8
        }
        store().write(
                        tx -> {
                            tx.upstreams()
                                    .putPackument(
                                            new UpstreamPackument(
                                                    "@acme/lib",
                                                    "public",
                                                    body,
                                                    "W/\"e1\"",
                                                    T0,
                                                    T0));
                            return null;
                        });
        UpstreamPackument got = store().read(tx -> tx.upstreams().packument("@acme/lib")).get();
        assertThat(got.body()).isEqualTo(body);
        assertThat(got.name()).isEqualTo("@acme/lib");
        assertThat(got.uplink()).isEqualTo("public");
        assertThat(got.etag()).isEqualTo("W/\"e1\"");
        assertThat(got.fetched()).isEqualTo(T0);
        assertThat(got.checked()).isEqualTo(T0);
        assertThat(packument("other")).isEmpty();
    }

    @Test
    default void aSecondPackumentReplacesTheFirstAndANullEtagIsKept() {
        Instant later = T0.plusSeconds(60);
        store().write(
                        tx -> {
                            tx.upstreams()
                                    .putPackument(
                                            new UpstreamPackument(
                                                    "a",
                                                    "public",
                                                    new byte[] {1},
                                                    "\"e1\"",
                                                    T0,
                                                    T0));
                            tx.upstreams()
                                    .putPackument(
                                            new UpstreamPackument(
                                                    "a",
                                                    "mirror",
                                                    new byte[] {2, 3},
                                                    null,
                                                    later,
                                                    later));
                            return null;
                        });
        UpstreamPackument got = store().read(tx -> tx.upstreams().packument("a")).get();
        assertThat(got.body()).containsExactly(2, 3);
        assertThat(got.uplink()).isEqualTo("mirror");
        assertThat(got.etag()).isNull();
        assertThat(got.fetched()).isEqualTo(later);
    }

    @Test
    default void checkedMovesOnlyTheCheckedTime() {
        Instant later = T0.plusSeconds(300);
        store().write(
                        tx -> {
                            tx.upstreams()
                                    .putPackument(
                                            new UpstreamPackument(
                                                    "a",
                                                    "public",
                                                    new byte[] {7},
                                                    "\"e\"",
                                                    T0,
                                                    T0));
                            tx.upstreams().checked("a", later);
                            tx.upstreams().checked("never-fetched", later);
                            return null;
                        });
        UpstreamPackument got = store().read(tx -> tx.upstreams().packument("a")).get();
        assertThat(got.checked()).isEqualTo(later);
        assertThat(got.fetched()).isEqualTo(T0);
        assertThat(got.body()).containsExactly(7);
        assertThat(got.etag()).isEqualTo("\"e\"");
        assertThat(packument("never-fetched")).as("checked creates no packument").isEmpty();
    }

    // ------------------------------------------------------------------ ingested versions

    @Test
    default void anIngestedVersionRoundTrips() {
        boolean inserted =
                store().write(tx -> tx.upstreams().insertVersion(row("1.0.0", "served", null)));
        IngestedVersion got = store().read(tx -> tx.upstreams().version("left-pad", "1.0.0")).get();
        assertThat(inserted).isTrue();
        assertThat(got.uplink()).isEqualTo("public");
        assertThat(got.integrity()).isEqualTo("sha512-1.0.0");
        assertThat(got.blobKey()).isEqualTo("ab1.0.0");
        assertThat(got.size()).isEqualTo(1234);
        assertThat(got.served()).isTrue();
        assertThat(got.reason()).isNull();
        assertThat(got.verified()).isEqualTo("{\"integrity\":\"ok\"}");
        assertThat(new String(got.attestations(), StandardCharsets.UTF_8))
                .isEqualTo("{\"attestations\":[]}");
        assertThat(got.ingested()).isEqualTo(T0);
        assertThat(got.logIndex()).isNull();
        assertThat(version("left-pad", "9.9.9")).isEmpty();
    }

    @Test
    default void aRefusedTarballHasNoBlobAndNoAttestations() {
        IngestedVersion refused =
                new IngestedVersion(
                        "x",
                        "1.0.0",
                        "public",
                        "sha512-x",
                        null,
                        0,
                        "held",
                        "bad",
                        "{}",
                        null,
                        T0,
                        null);
        store().write(tx -> tx.upstreams().insertVersion(refused));
        IngestedVersion got = store().read(tx -> tx.upstreams().version("x", "1.0.0")).get();
        assertThat(got.blobKey()).isNull();
        assertThat(got.attestations()).isNull();
        assertThat(got.served()).isFalse();
        assertThat(got.reason()).isEqualTo("bad");
    }

    @Test
    default void insertingAnExistingVersionReturnsFalseAndChangesNothing() {
        store().write(tx -> tx.upstreams().insertVersion(row("1.0.0", "served", null)));
        IngestedVersion swapped =
                new IngestedVersion(
                        "left-pad",
                        "1.0.0",
                        "other",
                        "sha512-swapped",
                        "cd",
                        9,
                        "held",
                        "swapped",
                        "{}",
                        null,
                        T0.plusSeconds(1),
                        7L);
        boolean second = store().write(tx -> tx.upstreams().insertVersion(swapped));
        IngestedVersion got = store().read(tx -> tx.upstreams().version("left-pad", "1.0.0")).get();
        assertThat(second).isFalse();
        assertThat(got.integrity()).isEqualTo("sha512-1.0.0");
        assertThat(got.uplink()).isEqualTo("public");
        assertThat(got.blobKey()).isEqualTo("ab1.0.0");
        assertThat(got.state()).isEqualTo("served");
        assertThat(got.logIndex()).isNull();
        assertThat(got.ingested()).isEqualTo(T0);
    }

    @Test
    default void versionsListsOneNamesRowsOnly() {
        store().write(
                        tx -> {
                            tx.upstreams().insertVersion(row("1.0.0", "served", null));
                            tx.upstreams().insertVersion(row("1.1.0", "held", "no provenance"));
                            tx.upstreams()
                                    .insertVersion(
                                            new IngestedVersion(
                                                    "right-pad",
                                                    "1.0.0",
                                                    "public",
                                                    "sha512-r",
                                                    "r",
                                                    1,
                                                    "served",
                                                    null,
                                                    "{}",
                                                    null,
                                                    T0,
                                                    null));
                            return null;
                        });
        List<IngestedVersion> got = store().read(tx -> tx.upstreams().versions("left-pad"));
        assertThat(got).extracting(IngestedVersion::version).containsExactly("1.0.0", "1.1.0");
        assertThat(versions("none")).isEmpty();
    }

    @Test
    default void setStateChangesStateAndReason() {
        store().write(tx -> tx.upstreams().insertVersion(row("1.0.0", "served", null)));
        store().write(
                        tx -> {
                            tx.upstreams()
                                    .setState("left-pad", "1.0.0", "held", "review: exfiltration");
                            return null;
                        });
        IngestedVersion held =
                store().read(tx -> tx.upstreams().version("left-pad", "1.0.0")).get();
        store().write(
                        tx -> {
                            tx.upstreams().setState("left-pad", "1.0.0", "served", null);
                            return null;
                        });
        IngestedVersion released =
                store().read(tx -> tx.upstreams().version("left-pad", "1.0.0")).get();
        assertThat(held.state()).isEqualTo("held");
        assertThat(held.reason()).isEqualTo("review: exfiltration");
        assertThat(released.served()).isTrue();
        assertThat(released.reason()).isNull();
        assertThat(released.integrity()).as("only state and reason move").isEqualTo("sha512-1.0.0");
    }

    @Test
    default void setLogIndexRecordsTheIndex() {
        store().write(tx -> tx.upstreams().insertVersion(row("1.0.0", "served", null)));
        store().write(
                        tx -> {
                            tx.upstreams().setLogIndex("left-pad", "1.0.0", 0L);
                            tx.upstreams().setLogIndex("left-pad", "2.0.0", 5L); // no such row
                            return null;
                        });
        IngestedVersion got = store().read(tx -> tx.upstreams().version("left-pad", "1.0.0")).get();
        assertThat(got.logIndex()).as("index 0 is not null").isEqualTo(0L);
        assertThat(version("left-pad", "2.0.0")).isEmpty();
    }

    // ------------------------------------------------------------------ quarantines

    @Test
    default void aQuarantineIsListedByNameAndASecondReplacesTheFirst() {
        store().write(
                        tx -> {
                            tx.upstreams()
                                    .quarantine(
                                            new Quarantine(
                                                    "evil", "1.0.0", "first", "admin:ann", T0));
                            tx.upstreams()
                                    .quarantine(
                                            new Quarantine(
                                                    "evil",
                                                    "1.0.0",
                                                    "credential stealer",
                                                    "MAL-2026-1",
                                                    T0.plusSeconds(5)));
                            tx.upstreams()
                                    .quarantine(
                                            new Quarantine("evil", "*", "all", "admin:ann", T0));
                            tx.upstreams()
                                    .quarantine(
                                            new Quarantine("good", "1.0.0", "x", "admin:ann", T0));
                            return null;
                        });
        List<Quarantine> evil = store().read(tx -> tx.upstreams().quarantines("evil"));
        assertThat(evil)
                .containsExactly(
                        new Quarantine("evil", "*", "all", "admin:ann", T0),
                        new Quarantine(
                                "evil",
                                "1.0.0",
                                "credential stealer",
                                "MAL-2026-1",
                                T0.plusSeconds(5)));
        assertThat(quarantines("none")).isEmpty();
    }

    @Test
    default void allQuarantinesComeNewestFirstUpToTheLimit() {
        store().write(
                        tx -> {
                            for (int i = 0; i < 5; i++) {
                                tx.upstreams()
                                        .quarantine(
                                                new Quarantine(
                                                        "p" + i,
                                                        "*",
                                                        "r",
                                                        "admin:ann",
                                                        T0.plusSeconds(i)));
                            }
                            return null;
                        });
        List<Quarantine> three = store().read(tx -> tx.upstreams().quarantines(3));
        List<Quarantine> all = store().read(tx -> tx.upstreams().quarantines(100));
        assertThat(three).extracting(Quarantine::name).containsExactly("p4", "p3", "p2");
        assertThat(all).hasSize(5);
    }

    @Test
    default void liftRemovesOneQuarantineAndIsFalseWhenThereIsNone() {
        store().write(
                        tx -> {
                            tx.upstreams()
                                    .quarantine(
                                            new Quarantine("evil", "1.0.0", "r", "admin:a", T0));
                            tx.upstreams()
                                    .quarantine(new Quarantine("evil", "*", "r", "admin:a", T0));
                            return null;
                        });
        boolean lifted = store().write(tx -> tx.upstreams().lift("evil", "1.0.0"));
        boolean again = store().write(tx -> tx.upstreams().lift("evil", "1.0.0"));
        boolean never = store().write(tx -> tx.upstreams().lift("other", "*"));
        assertThat(lifted).isTrue();
        assertThat(again).isFalse();
        assertThat(never).isFalse();
        assertThat(quarantines("evil")).extracting(Quarantine::version).containsExactly("*");
    }

    // ------------------------------------------------------------------ events

    @Test
    default void eventsComeNewestFirstUpToTheLimitWithTheirOwnIds() {
        store().write(
                        tx -> {
                            for (int i = 0; i < 4; i++) {
                                tx.upstreams()
                                        .addEvent(
                                                new UpstreamEvent(
                                                        0,
                                                        "public",
                                                        "packument.invalid",
                                                        "p" + i,
                                                        i == 0 ? null : "1.0." + i,
                                                        "detail " + i,
                                                        T0));
                            }
                            return null;
                        });
        List<UpstreamEvent> two = store().read(tx -> tx.upstreams().events(2));
        List<UpstreamEvent> all = store().read(tx -> tx.upstreams().events(10));
        assertThat(two).extracting(UpstreamEvent::name).containsExactly("p3", "p2");
        assertThat(all).extracting(UpstreamEvent::name).containsExactly("p3", "p2", "p1", "p0");
        assertThat(all).extracting(UpstreamEvent::id).doesNotHaveDuplicates();
        assertThat(all.get(0).id()).isGreaterThan(all.get(1).id());
        UpstreamEvent first = all.get(3);
        assertThat(first.version()).isNull();
        assertThat(first.uplink()).isEqualTo("public");
        assertThat(first.kind()).isEqualTo("packument.invalid");
        assertThat(first.detail()).isEqualTo("detail 0");
        assertThat(first.at()).isEqualTo(T0);
    }

    @Test
    default void aFailedWriteKeepsNoEvent() {
        try {
            store().write(
                            tx -> {
                                tx.upstreams()
                                        .addEvent(
                                                new UpstreamEvent(
                                                        0, "u", "k", null, null, null, T0));
                                throw new IllegalStateException("boom");
                            });
        } catch (IllegalStateException expected) {
            assertThat(expected).hasMessage("boom");
        }
        Optional<UpstreamEvent> any =
                store().read(tx -> tx.upstreams().events(1)).stream().findAny();
        assertThat(any).isEmpty();
    }
}
