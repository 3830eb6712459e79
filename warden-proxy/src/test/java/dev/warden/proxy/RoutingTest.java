package dev.warden.proxy;

import static dev.warden.proxy.Harness.packument;
import static dev.warden.proxy.Harness.version;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Which names come from an uplink: dependency confusion is decided here. */
class RoutingTest {

    @TempDir Path dir;
    Harness h;

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void aNameTheUplinkHasIsServedFromIt() {
        h = new Harness(dir);
        h.publish("lodash", version(packument("lodash"), "4.17.21", Duration.ofDays(900)), "\"a\"");

        assertThat(h.proxy.serves("lodash")).isTrue();
        Proxy.Served s = h.proxy.packument("lodash").orElseThrow();
        assertThat(s.uplink()).isEqualTo("public");
        assertThat(Harness.full(s).path("versions").has("4.17.21")).isTrue();
    }

    @Test
    void aLocalPackageOfTheNameIsNeverTakenFromAnUplink() {
        h = new Harness(dir);
        h.publish(
                "internal-tool",
                version(packument("internal-tool"), "9.9.9", Duration.ofDays(9)),
                "\"a\"");
        h.localPackage("internal-tool");

        assertThat(h.proxy.serves("internal-tool")).isFalse();
        assertThat(h.proxy.packument("internal-tool")).isEmpty();
        assertThat(h.proxy.tarball("internal-tool", "9.9.9")).isEmpty();
        assertThat(h.upstream.all).isEmpty();
    }

    @Test
    void aNameThatBecameLocalIsNoLongerAnsweredFromMemory() {
        h = new Harness(dir);
        h.publish("taken", version(packument("taken"), "1.0.0", Duration.ofDays(9)), "\"a\"");
        assertThat(h.proxy.packument("taken")).isPresent();
        assertThat(h.proxy.cachedPackument("taken")).isNotNull();

        // a staged first release went live: the registry committed the package and says so
        h.localPackage("taken");
        h.proxy.forgetLocal("taken");

        assertThat(h.proxy.cachedPackument("taken")).isNull();
        assertThat(h.proxy.packument("taken")).isEmpty();
    }

    @Test
    void internalScopesAndLocalNamesAreComparedWithoutCase() {
        h = new Harness(dir, Harness.settings(Duration.ZERO, List.of(), List.of("@acme")));
        h.localPackage("@corp/tool");

        assertThat(h.proxy.serves("@Acme/tool")).isFalse();
        assertThat(h.proxy.packument("@Acme/tool")).isEmpty();
        assertThat(h.proxy.upstreamHas("@ACME/tool")).isEmpty();
        assertThat(h.proxy.serves("@corp/Tool")).isFalse();
        assertThat(h.proxy.packument("@corp/Tool")).isEmpty();
        assertThat(h.upstream.all).isEmpty();
        assertThat(h.proxy.serves("@corp/other")).isTrue();
    }

    @Test
    void anInternalScopeIsNeverLookedUpUpstream() {
        h = new Harness(dir, Harness.settings(Duration.ZERO, List.of(), List.of("@acme")));
        h.publish(
                "@acme/tool",
                version(packument("@acme/tool"), "1.0.0", Duration.ofDays(9)),
                "\"a\"");

        assertThat(h.proxy.serves("@acme/tool")).isFalse();
        assertThat(h.proxy.packument("@acme/tool")).isEmpty();
        assertThat(h.proxy.upstreamHas("@acme/tool")).isEmpty();
        assertThat(h.upstream.all).isEmpty();
        assertThat(h.proxy.serves("@other/tool")).isTrue();
    }

    @Test
    void aNameNoUplinkPatternMatchesIsNotServed() {
        Uplink only =
                new Uplink(
                        "mirror",
                        URI.create("https://mirror.invalid/"),
                        List.of("@vendor/*", "left-pad"),
                        Optional.empty(),
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(60));
        ProxySettings settings =
                new ProxySettings(
                        List.of(only),
                        Duration.ZERO,
                        List.of(),
                        List.of(),
                        ProxySettings.UnsignedUpstream.ALLOW,
                        false,
                        List.of(),
                        null);
        h = new Harness(dir, settings);

        assertThat(h.proxy.serves("@vendor/lib")).isTrue();
        assertThat(h.proxy.serves("left-pad")).isTrue();
        assertThat(h.proxy.serves("lodash")).isFalse();
        assertThat(h.proxy.serves("@vendor-x/lib")).isFalse();
        assertThat(h.proxy.packument("lodash")).isEmpty();
        assertThat(h.upstream.all).isEmpty();
    }

    @Test
    void aNameThatCouldNotBeAPackageIsNotServedNorPutInAUrl() {
        h = new Harness(dir);
        for (String bad : List.of("../etc", "a b", "@scope", "@a/b/c", "", "x?y=1", ".hidden")) {
            assertThat(h.proxy.serves(bad)).as(bad).isFalse();
            assertThat(h.proxy.packument(bad)).as(bad).isEmpty();
        }
        assertThat(h.upstream.all).isEmpty();
    }

    @Test
    void aPublishOfANewNameIsToldWhetherTheUplinkHasIt() {
        h = new Harness(dir);
        h.publish("taken", version(packument("taken"), "1.0.0", Duration.ofDays(9)), "\"a\"");

        assertThat(h.proxy.upstreamHas("taken")).contains("public");
        assertThat(h.proxy.upstreamHas("free")).isEmpty();
        h.upstream.down = "connection refused";
        assertThat(
                        org.assertj.core.api.Assertions.catchThrowableOfType(
                                dev.warden.common.Problem.class,
                                () -> h.proxy.upstreamHas("other")))
                .satisfies(
                        p -> {
                            assertThat(p.kind())
                                    .isEqualTo(dev.warden.common.Problem.Kind.UNAVAILABLE);
                            assertThat(p.getMessage())
                                    .isEqualTo(
                                            "uplink public could not be asked whether other exists"
                                                    + " there: connection refused");
                        });
    }
}
