package dev.warden.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.common.Problem;
import dev.warden.storage.Upstreams.Quarantine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

/** Quarantines as the server reaches them: through the facade, a refusal is the admin's 400. */
class ProxyQuarantinesTest {

    @Test
    void aRefusedQuarantineIsABadRequestNamingWhatIsWrong(@TempDir Path dir) {
        try (Harness h = new Harness(dir)) {
            assertThatThrownBy(() -> h.proxy.quarantine("foo$bar", "1.0.0", "r", "ann"))
                    .isInstanceOfSatisfying(
                            Problem.class,
                            p -> assertThat(p.kind()).isEqualTo(Problem.Kind.BAD_REQUEST))
                    .hasMessageStartingWith("invalid package name \"foo$bar\"");
            assertThatThrownBy(() -> h.proxy.lift("evil", "next", "ann"))
                    .isInstanceOfSatisfying(
                            Problem.class,
                            p -> assertThat(p.kind()).isEqualTo(Problem.Kind.BAD_REQUEST))
                    .hasMessageStartingWith("invalid version \"next\"");
            assertThatThrownBy(() -> h.proxy.quarantines(0))
                    .isInstanceOf(Problem.class)
                    .hasMessage("limit must be at least 1, not 0");
            List<Quarantine> none = h.proxy.quarantines(10);
            assertThat(none).isEmpty();
        }
    }

    @Test
    void aQuarantineThroughTheFacadeIsListedAndLifted(@TempDir Path dir) {
        try (Harness h = new Harness(dir)) {
            h.proxy.quarantine("evil", "*", "typosquat", "ann");
            List<Quarantine> listed = h.proxy.quarantines(10);
            boolean lifted = h.proxy.lift("evil", "*", "ann");
            List<Quarantine> after = h.proxy.quarantines(10);

            assertThat(listed)
                    .containsExactly(
                            new Quarantine("evil", "*", "typosquat", "admin:ann", Harness.T0));
            assertThat(lifted).isTrue();
            assertThat(after).isEmpty();
        }
    }
}
