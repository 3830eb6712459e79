package dev.warden.awareness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.common.Problem;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.Passkeys.Credential;
import dev.warden.storage.Users.UserRecord;
import dev.warden.storage.embedded.EmbeddedStorage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

class PasskeyRuleTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir Path dir;
    MetadataStore store;
    final TestClock clock = new TestClock(T0);
    final List<String> mailed = new ArrayList<>();
    Set<String> highImpact = Set.of("core");
    Set<String> policyAsks = Set.of();

    final PackageStanding standing =
            new PackageStanding() {
                @Override
                public boolean highImpact(String pkg) {
                    return highImpact.contains(pkg);
                }

                @Override
                public boolean governed(String pkg) {
                    return false;
                }

                @Override
                public boolean policyRequiresPasskeys(String pkg) {
                    return policyAsks.contains(pkg);
                }
            };

    @BeforeEach
    void open() {
        store = EmbeddedStorage.metadata(dir.resolve("warden.db"));
        store.write(
                tx -> {
                    for (String u : List.of("alice", "bob")) {
                        tx.users().insert(new UserRecord(u, u + "@example.com", "x", T0, false));
                    }
                    for (String pkg : List.of("core", "leaf")) {
                        tx.packages()
                                .insert(
                                        new dev.warden.storage.Packages.PackageRecord(
                                                pkg, T0, T0, 1, "public", null));
                        tx.maintainers().add(pkg, "alice", T0);
                    }
                    return null;
                });
    }

    @AfterEach
    void close() {
        store.close();
    }

    PasskeyRule rule(PasskeyRule.Scope scope, Duration grace) {
        return new PasskeyRule(
                store,
                (user, to, subject, body) -> mailed.add(subject + "\n" + body),
                clock,
                scope,
                grace,
                standing,
                "https://registry.example.invalid/-/web/account");
    }

    @Test
    void graceThenRemindersAtMostWeeklyThenARefusalNamingTheRule() {
        PasskeyRule r = rule(PasskeyRule.Scope.HIGH_IMPACT, Duration.ofDays(14));
        assertThat(r.check("alice", "core", "publish"))
                .get()
                .asString()
                .contains("add a passkey before 2026-03-15T10:00:00Z")
                .contains("high-impact packages");
        assertThat(mailed).hasSize(1);
        assertThat(mailed.get(0))
                .startsWith("Warden: add a passkey before 2026-03-15T10:00:00Z")
                .doesNotContain("http");
        clock.advance(Duration.ofDays(6));
        r.check("alice", "core", "publish");
        assertThat(mailed).as("reminded at most weekly").hasSize(1);
        clock.advance(Duration.ofDays(1));
        r.check("alice", "core", "publish");
        assertThat(mailed).hasSize(2);
        clock.advance(Duration.ofDays(7));
        assertThatThrownBy(() -> r.check("alice", "core", "publish"))
                .isInstanceOf(Problem.class)
                .hasMessageContaining("a passkey is required to publish")
                .hasMessageContaining("high-impact packages, and core is one")
                .hasMessageContaining("grace period ended at 2026-03-15T10:00:00Z")
                .hasMessageContaining("Add a passkey on your account page")
                .extracting(p -> ((Problem) p).kind())
                .isEqualTo(Problem.Kind.FORBIDDEN);
    }

    @Test
    void theStartOfTheGraceIsRecordedNotRecomputed() {
        rule(PasskeyRule.Scope.HIGH_IMPACT, Duration.ofDays(14)).check("alice", "core", "publish");
        clock.advance(Duration.ofDays(20));
        // a longer grace configured later counts from the recorded start, not from today
        assertThatThrownBy(
                        () ->
                                rule(PasskeyRule.Scope.HIGH_IMPACT, Duration.ofDays(15))
                                        .check("alice", "core", "publish"))
                .hasMessageContaining("grace period ended at 2026-03-16T10:00:00Z");
    }

    @Test
    void aMaintainerWithAPasskeyOrAPackageOutsideTheRuleIsNotAsked() {
        PasskeyRule r = rule(PasskeyRule.Scope.HIGH_IMPACT, Duration.ZERO);
        assertThat(r.check("alice", "leaf", "publish")).isEmpty();
        assertThat(r.check("bob", "core", "publish")).as("not a maintainer").isEmpty();
        store.write(
                tx -> {
                    tx.passkeys().insert(new Credential("cred-1", "alice", "key", 0, "laptop", T0));
                    return null;
                });
        assertThat(r.check("alice", "core", "publish")).isEmpty();
        assertThat(mailed).isEmpty();
    }

    @Test
    void aPolicyAsksEvenWhenTheRegistryDoesNot() {
        policyAsks = Set.of("leaf");
        PasskeyRule r = rule(PasskeyRule.Scope.NONE, Duration.ZERO);
        assertThat(r.check("alice", "core", "publish")).isEmpty();
        assertThatThrownBy(() -> r.check("alice", "leaf", "approve"))
                .hasMessageContaining("a passkey is required to approve")
                .hasMessageContaining("the policy of leaf requires passkeys of its maintainers");
    }

    @Test
    void theConfiguredWordsAreTheScopes() {
        assertThat(PasskeyRule.Scope.of("high-impact")).isEqualTo(PasskeyRule.Scope.HIGH_IMPACT);
        assertThat(PasskeyRule.Scope.of("governed")).isEqualTo(PasskeyRule.Scope.GOVERNED);
        assertThat(PasskeyRule.Scope.of("none")).isEqualTo(PasskeyRule.Scope.NONE);
    }
}
