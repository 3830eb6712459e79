package dev.warden.awareness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.accounts.Principal;
import dev.warden.common.Problem;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.Passkeys;
import dev.warden.storage.Tokens.TokenRecord;
import dev.warden.storage.TwoFactor.TfaRecord;
import dev.warden.storage.Users.UserRecord;
import dev.warden.storage.embedded.EmbeddedStorage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Postures read from real state (the embedded store): they change as the state changes, with no
 * score stored anywhere.
 */
class PosturesTest {

    static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");

    @TempDir Path dir;
    MetadataStore store;
    Postures postures;

    /** The registry's side, as a table: ada maintains left-pad alone; bob only reads it. */
    final MaintainedPackages packages =
            new MaintainedPackages() {
                @Override
                public Access access(String pkg, Principal who) {
                    if (!pkg.equals("left-pad")) {
                        return Access.HIDDEN;
                    }
                    return who.user().equals("ada") ? Access.MAINTAINER : Access.READER;
                }

                @Override
                public List<String> packagesOf(String user) {
                    return user.equals("ada") ? List.of("left-pad") : List.of();
                }

                @Override
                public Optional<PackageFacts> facts(String pkg) {
                    return pkg.equals("left-pad")
                            ? Optional.of(
                                    new PackageFacts(
                                            "left-pad",
                                            List.of("ada"),
                                            false,
                                            false,
                                            List.of("bob"),
                                            1,
                                            List.of(new PackageFacts.Version("1.0.0", true)),
                                            List.of()))
                            : Optional.empty();
                }
            };

    @BeforeEach
    void open() {
        store = EmbeddedStorage.metadata(dir.resolve("warden.db"));
        postures =
                new Postures(
                        store, packages, Clock.fixed(NOW, ZoneOffset.UTC), "https://r.example/");
        store.write(
                tx -> {
                    tx.users().insert(new UserRecord("ada", "ada@example.com", "x", NOW, false));
                    tx.users().insert(new UserRecord("bob", "bob@example.com", "x", NOW, false));
                    tx.twoFactor()
                            .put(
                                    new TfaRecord(
                                            "ada",
                                            "S",
                                            "auth-and-writes",
                                            false,
                                            0,
                                            List.of(),
                                            NOW));
                    tx.tokens()
                            .insert(
                                    new TokenRecord(
                                            "k1", "h1", "ada", false, NOW, null, List.of()));
                    return null;
                });
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void addingAPasskeyClosesItsStepsAndRaisesTheScore() {
        Postures.AccountPosture before = postures.ofAccount("ada");
        assertThat(before.secondFactor()).isEqualTo(SecondFactorKind.TOTP);
        assertThat(before.posture().steps())
                .extracting(Step::id)
                .contains(StepIds.ADD_PASSKEY, StepIds.MAINTAINERS_ADD_PASSKEYS);

        store.write(
                tx -> {
                    tx.passkeys()
                            .insert(
                                    new Passkeys.Credential(
                                            "cred-1", "ada", "pk", 0, "laptop", NOW));
                    return null;
                });

        Postures.AccountPosture after = postures.ofAccount("ada");
        assertThat(after.secondFactor()).isEqualTo(SecondFactorKind.PASSKEY);
        assertThat(after.posture().steps())
                .extracting(Step::id)
                .doesNotContain(StepIds.ADD_PASSKEY, StepIds.MAINTAINERS_ADD_PASSKEYS);
        assertThat(after.posture().score()).isGreaterThan(before.posture().score());
    }

    @Test
    void revokingATokenClosesItsStep() {
        assertThat(postures.ofAccount("ada").posture().steps())
                .filteredOn(s -> s.id().equals(StepIds.REPLACE_UNEXPIRING_TOKEN))
                .extracting(Step::subject)
                .containsExactly("k1");

        store.write(tx -> tx.tokens().delete("h1"));

        assertThat(postures.ofAccount("ada").posture().steps())
                .extracting(Step::id)
                .doesNotContain(StepIds.REPLACE_UNEXPIRING_TOKEN);
    }

    @Test
    void theAccountPostureSummarisesItsPackages() {
        Postures.AccountPosture a = postures.ofAccount("ada");
        assertThat(a.packages()).hasSize(1);
        Postures.PackageSummary s = a.packages().get(0);
        assertThat(s.name()).isEqualTo("left-pad");
        // ada has no passkey: the one step of left-pad (recommended: it is not high-impact)
        assertThat(s.important()).isZero();
        assertThat(s.recommended()).isEqualTo(1);
        assertThat(s.score()).isEqualTo(95);
        assertThat(a.posture().steps().get(0).url()).startsWith("https://r.example/-/web/");
    }

    @Test
    void aPackagePostureIsForItsMaintainersOnly() {
        assertThat(postures.ofPackage("left-pad", new Principal("ada", false, "h1")).maintainers())
                .isEqualTo(Map.of("ada", SecondFactorKind.TOTP));
        assertThatThrownBy(() -> postures.ofPackage("left-pad", new Principal("bob", false, "h")))
                .isInstanceOf(Problem.class)
                .hasMessageContaining("only the maintainers of left-pad");
        assertThatThrownBy(() -> postures.ofPackage("nope", new Principal("ada", false, "h1")))
                .isInstanceOf(Problem.class)
                .hasMessage("package nope not found");
    }

    @Test
    void theNudgeIsTheMostImportantOpenStep() {
        // ada: a login token that never expires (recommended: writes ask a code), no passkey
        // (recommended); bob: no second factor at all (important)
        assertThat(postures.nudge("bob", null).orElseThrow().id()).isEqualTo(StepIds.ENABLE_2FA);
        assertThat(postures.nudge("ada", "left-pad").orElseThrow().id())
                .isEqualTo(StepIds.ADD_PASSKEY);
    }

    @Test
    void nothingOpenMeansNoNudge() {
        // bob: a passkey and codes for every write, no token, no package: nothing to tell him
        store.write(
                tx -> {
                    tx.passkeys()
                            .insert(new Passkeys.Credential("cred-b", "bob", "pk", 0, "key", NOW));
                    tx.twoFactor()
                            .put(
                                    new TfaRecord(
                                            "bob",
                                            "S",
                                            "auth-and-writes",
                                            false,
                                            0,
                                            List.of(),
                                            NOW));
                    return null;
                });
        assertThat(postures.nudge("bob", null)).isEmpty();
        assertThat(postures.ofAccount("bob").posture().score()).isEqualTo(100);
    }
}
