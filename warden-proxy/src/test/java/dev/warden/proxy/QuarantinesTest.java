package dev.warden.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.storage.MetadataStore;
import dev.warden.storage.Upstreams.Quarantine;
import dev.warden.storage.embedded.EmbeddedStorage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

class QuarantinesTest {

    private static final Instant T0 = Instant.parse("2026-06-01T08:00:00Z");

    @TempDir Path dir;
    private MetadataStore store;
    private final StatementLog log = new StatementLog();
    private final SteppedClock clock = new SteppedClock(T0);
    private Quarantines quarantines;

    @BeforeEach
    void open() {
        store = EmbeddedStorage.metadata(dir.resolve("q.db"));
        quarantines = new Quarantines(store, log, clock);
    }

    @AfterEach
    void close() throws Exception {
        store.close();
    }

    @Test
    void anAdminsQuarantineIsKeptAndIsALogStatementLoggedAfterTheCommit() {
        quarantines.quarantine("@acme/evil", "1.0.1", "steals npm tokens", "ann");

        assertThat(quarantines.of("@acme/evil"))
                .containsExactly(
                        new Quarantine(
                                "@acme/evil", "1.0.1", "steals npm tokens", "admin:ann", T0));
        StatementLog.Statement s =
                new StatementLog.Statement(
                        "proxy.quarantined",
                        "@acme/evil",
                        "1.0.1",
                        Map.of("reason", "steals npm tokens", "source", "admin:ann"),
                        T0);
        assertThat(log.recorded).containsExactly(s);
        assertThat(log.logged).containsExactly(s);
    }

    @Test
    void aClientIsToldWhyWithTheVersionsOwnQuarantineBeforeTheOneOfEveryVersion() {
        quarantines.quarantine("evil", "*", "typosquat of a popular package", "ann");
        quarantines.quarantine("evil", "2.0.0", "credential stealer", "bob");

        assertThat(quarantines.refusal("evil", "2.0.0"))
                .contains("evil@2.0.0 is quarantined: credential stealer (admin:bob)");
        assertThat(quarantines.refusal("evil", "1.0.0"))
                .contains("evil@1.0.0 is quarantined: typosquat of a popular package (admin:ann)");
        assertThat(quarantines.refusal("good", "1.0.0")).isEmpty();
    }

    @Test
    void aSecondQuarantineOfTheSameVersionReplacesTheFirst() {
        quarantines.quarantine("evil", "1.0.0", "first look", "ann");
        clock.advance(Duration.ofMinutes(5));
        quarantines.quarantine("evil", "1.0.0", "confirmed: exfiltrates ~/.npmrc", "bob");

        assertThat(quarantines.of("evil"))
                .containsExactly(
                        new Quarantine(
                                "evil",
                                "1.0.0",
                                "confirmed: exfiltrates ~/.npmrc",
                                "admin:bob",
                                T0.plusSeconds(300)));
        assertThat(log.logged).hasSize(2);
    }

    @Test
    void aLiftIsLoggedWithWhatItLiftedAndASecondLiftFindsNothing() {
        quarantines.quarantine("evil", "1.0.0", "false alarm?", "ann");
        clock.advance(Duration.ofHours(1));

        boolean lifted = quarantines.lift("evil", "1.0.0", "bob");
        boolean again = quarantines.lift("evil", "1.0.0", "bob");

        assertThat(lifted).isTrue();
        assertThat(again).isFalse();
        assertThat(quarantines.of("evil")).isEmpty();
        assertThat(log.logged)
                .last()
                .isEqualTo(
                        new StatementLog.Statement(
                                "proxy.lifted",
                                "evil",
                                "1.0.0",
                                Map.of(
                                        "by", "admin:bob",
                                        "reason", "false alarm?",
                                        "source", "admin:ann"),
                                T0.plusSeconds(3600)));
        assertThat(log.recorded).as("the second lift records nothing").hasSize(2);
    }

    @Test
    void liftingOneVersionLeavesTheQuarantineOfEveryVersion() {
        quarantines.quarantine("evil", "*", "all of it", "ann");

        assertThat(quarantines.lift("evil", "1.0.0", "bob")).isFalse();
        assertThat(quarantines.refusal("evil", "1.0.0")).isPresent();
    }

    @Test
    void theListIsNewestFirstAndBounded() {
        quarantines.quarantine("a", "*", "r", "ann");
        clock.advance(Duration.ofSeconds(1));
        quarantines.quarantine("b", "1.0.0", "r", "ann");
        clock.advance(Duration.ofSeconds(1));
        quarantines.quarantine("c", "2.0.0-beta.1", "r", "ann");

        assertThat(quarantines.list(2)).extracting(Quarantine::name).containsExactly("c", "b");
        assertThatThrownBy(() -> quarantines.list(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("limit must be at least 1, not 0");
    }

    @Test
    void aNameLongerThanNpmAllowsIsRefusedAndChangesNothing() {
        String name = "a".repeat(215);
        assertRefused(
                () -> quarantines.quarantine(name, "1.0.0", "r", "ann"),
                "package name is longer than 214 characters");
        assertThat(quarantines.of(name)).isEmpty();
    }

    @Test
    void aNameWithAControlCharacterIsRefused() {
        assertRefused(
                () -> quarantines.quarantine("evil\n1", "1.0.0", "r", "ann"),
                "package name contains a control character: \"evil?1\"");
    }

    @Test
    void aNameThatIsNoNpmNameIsRefused() {
        assertRefused(
                () -> quarantines.quarantine("../etc/passwd", "1.0.0", "r", "ann"),
                "invalid package name \"../etc/passwd\"");
        assertRefused(
                () -> quarantines.quarantine("@scope", "1.0.0", "r", "ann"),
                "invalid package name \"@scope\"");
        assertRefused(
                () -> quarantines.quarantine("", "1.0.0", "r", "ann"),
                "a quarantine needs a package name");
    }

    @Test
    void aVersionMustBeSemverOrTheStar() {
        assertRefused(
                () -> quarantines.quarantine("evil", "latest", "r", "ann"),
                "invalid version \"latest\": a semver version or \"*\"");
        assertRefused(
                () -> quarantines.quarantine("evil", "^1.0.0", "r", "ann"),
                "invalid version \"^1.0.0\"");
        assertRefused(() -> quarantines.lift("evil", "1.0", "ann"), "invalid version \"1.0\"");
    }

    @Test
    void aReasonIsRequiredAndBounded() {
        assertRefused(
                () -> quarantines.quarantine("evil", "1.0.0", " ", "ann"),
                "a quarantine needs a reason");
        assertRefused(
                () -> quarantines.quarantine("evil", "1.0.0", "x".repeat(1001), "ann"),
                "reason is longer than 1000 characters");
        assertRefused(
                () -> quarantines.quarantine("evil", "1.0.0", "bad\u0007bell", "ann"),
                "reason contains a control character");
        quarantines.quarantine("evil", "1.0.0", "x".repeat(1000), "ann");
        assertThat(quarantines.of("evil")).hasSize(1);
    }

    @Test
    void addingNewQuarantinesSkipsAVersionAlreadyQuarantinedWhoeverDecided() {
        quarantines.quarantine("evil", "1.0.0", "seen first by an admin", "ann");
        log.logged.clear();

        int added =
                quarantines.addNew(
                        List.of(
                                new Quarantine("evil", "1.0.0", "malware", "MAL-2026-1", T0),
                                new Quarantine("evil", "1.0.1", "malware", "MAL-2026-1", T0),
                                new Quarantine("other", "*", "malware", "MAL-2026-2", T0)));

        assertThat(added).isEqualTo(2);
        assertThat(quarantines.refusal("evil", "1.0.0"))
                .contains("evil@1.0.0 is quarantined: seen first by an admin (admin:ann)");
        assertThat(log.logged)
                .extracting(StatementLog.Statement::name, StatementLog.Statement::version)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("evil", "1.0.1"),
                        org.assertj.core.groups.Tuple.tuple("other", "*"));
    }

    private void assertRefused(Runnable r, String message) {
        assertThatThrownBy(r::run)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
        assertThat(log.recorded).as("a refused change records no statement").isEmpty();
        List<Quarantine> rows = store.read(tx -> tx.upstreams().quarantines(100));
        assertThat(rows).isEmpty();
    }
}
