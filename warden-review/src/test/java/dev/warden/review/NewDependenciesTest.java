package dev.warden.review;

import static dev.warden.review.Reviews.find;
import static dev.warden.review.Reviews.review;
import static dev.warden.review.Reviews.the;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.time.Duration;

class NewDependenciesTest {

    private final FakeEcosystem eco =
            new FakeEcosystem()
                    .with("lodash", Pkg.NOW.minus(Duration.ofDays(4000)), 150_000)
                    .with("fresh-thing", Pkg.NOW.minus(Duration.ofDays(2)), 3)
                    .with("lonely", Pkg.NOW.minus(Duration.ofDays(400)), 0);

    private final Pkg lib =
            Pkg.of("1.0.0").file("index.js", "module.exports = 1;\n").dep("lodash", "^4.17.21");

    @Test
    void urlDependencyIsHigh() {
        Findings f =
                review(lib, lib.next("1.0.1").dep("helper", "http://203.0.113.8/helper.tgz"), eco);

        Finding d = the(f, "dependency-url");
        assertThat(d.severity()).isEqualTo(Severity.HIGH);
        assertThat(d.evidence().get(0).excerpt()).contains("203.0.113.8");
    }

    @Test
    void gitAndGithubShorthandDependenciesAreMedium() {
        Findings f =
                review(
                        lib,
                        lib.next("1.0.1")
                                .dep("a", "git+https://git.example.invalid/a.git")
                                .dep("b", "someone/b#main"),
                        eco);

        assertThat(the(f, "dependency-git").summary()).contains("a").contains("b");
    }

    @Test
    void fileDependencyIsFound() {
        assertThat(
                        find(
                                review(lib, lib.next("1.0.1").dep("c", "file:../c"), eco),
                                "dependency-file"))
                .isPresent();
    }

    @Test
    void youngDependencyIsMedium() {
        assertThat(
                        the(
                                        review(
                                                lib,
                                                lib.next("1.0.1").dep("fresh-thing", "^1.0.0"),
                                                eco),
                                        "dependency-young")
                                .severity())
                .isEqualTo(Severity.MEDIUM);
    }

    @Test
    void dependencyNoOneElseUsesIsLow() {
        assertThat(
                        the(
                                        review(lib, lib.next("1.0.1").dep("lonely", "^1.0.0"), eco),
                                        "dependency-unused")
                                .severity())
                .isEqualTo(Severity.LOW);
    }

    @Test
    void dependencyAbsentFromTheRegistryIsMedium() {
        assertThat(
                        the(
                                        review(
                                                lib,
                                                lib.next("1.0.1").dep("nowhere", "^1.0.0"),
                                                eco),
                                        "dependency-missing")
                                .summary())
                .contains("nowhere");
    }

    @Test
    void keptOrBumpedDependenciesAreNotNew() {
        Findings f = review(lib, lib.next("1.0.1").dep("lodash", "^4.17.22"), eco);

        assertThat(f.findings()).isEmpty();
    }

    @Test
    void establishedNewDependencyIsNothing() {
        Pkg noDeps = Pkg.of("1.0.0").file("index.js", "module.exports = 1;\n");

        assertThat(review(noDeps, noDeps.next("1.0.1").dep("lodash", "^4.0.0"), eco).findings())
                .isEmpty();
    }
}
