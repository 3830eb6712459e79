package dev.warden.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.common.Problem;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

class VersionNumberTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "0.0.0",
                "1.2.3",
                "10.20.30",
                "1.0.0-alpha",
                "1.0.0-alpha.1",
                "1.0.0-0.3.7",
                "999999.999999.999999"
            })
    void acceptsStrictSemver(String v) {
        assertThat(VersionNumber.check(v)).isEqualTo(v);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "1",
                "1.2",
                "1.2.3.4",
                "v1.2.3",
                "=1.2.3",
                "01.2.3",
                "1.02.3",
                "1.2.3-",
                "1.2.3-01",
                " 1.2.3",
                "1.2.3 ",
                "latest",
                "^1.2.3",
                "1.2.x"
            })
    void refusesEverythingElse(String v) {
        assertThatThrownBy(() -> VersionNumber.check(v))
                .isInstanceOf(Problem.class)
                .hasMessageContaining("invalid version");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.0.0+build.1", "1.0.0-rc.1+build.5"})
    void refusesBuildMetadata(String v) {
        assertThatThrownBy(() -> VersionNumber.check(v))
                .isInstanceOf(Problem.class)
                .hasMessageContaining("build metadata");
    }

    @Test
    void ordersBySemverPrecedence() {
        List<String> versions =
                new ArrayList<>(
                        List.of(
                                "1.10.0",
                                "1.2.0",
                                "1.0.0-rc.1",
                                "1.0.0",
                                "1.0.0-beta.2",
                                "1.0.0-beta.11"));
        versions.sort(VersionNumber.ORDER);
        assertThat(versions)
                .containsExactly(
                        "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.2.0", "1.10.0");
        assertThat(VersionNumber.isPrerelease("1.0.0-rc.1")).isTrue();
        assertThat(VersionNumber.isPrerelease("1.0.0")).isFalse();
    }
}
