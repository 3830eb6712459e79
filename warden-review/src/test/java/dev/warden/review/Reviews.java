package dev.warden.review;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

/** Running the reviewer in tests and reading its findings. */
final class Reviews {

    private Reviews() {}

    static Findings review(Pkg previous, Pkg next) {
        return review(previous, next, new FakeEcosystem());
    }

    static Findings review(Pkg previous, Pkg next, Ecosystem ecosystem) {
        return new Reviewer(ReviewSettings.DEFAULTS, ecosystem).examine(next.release(previous));
    }

    static Optional<Finding> find(Findings f, String id) {
        return f.findings().stream().filter(x -> x.id().equals(id)).findFirst();
    }

    static Finding the(Findings f, String id) {
        return find(f, id)
                .orElseThrow(() -> new AssertionError("no " + id + " among " + ids(f.findings())));
    }

    static List<String> ids(List<Finding> findings) {
        return findings.stream().map(x -> x.id() + ":" + x.severity()).toList();
    }

    static void noneAtLeast(Findings f, Severity s) {
        assertThat(f.findings())
                .as("findings %s", ids(f.findings()))
                .noneMatch(x -> x.severity().atLeast(s));
        assertThat(f.notComputed()).isEmpty();
    }
}
