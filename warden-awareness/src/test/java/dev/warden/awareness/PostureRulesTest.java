package dev.warden.awareness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.awareness.AccountFacts.Token;
import dev.warden.awareness.Step.Importance;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The posture rules, as a table: each row starts from a well-kept account and package (nothing
 * open), changes one fact, and names the step that must then be open, with its importance, or that
 * must stay closed.
 */
class PostureRulesTest {

    static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");
    static final Links LINKS = new Links("https://registry.example");

    /** The facts of one row, starting well kept. */
    static final class Given {
        String totpMode = "auth-and-writes";
        int passkeys = 1;
        List<Token> tokens = new ArrayList<>();
        List<AccountFacts.Event> events = new ArrayList<>();
        boolean highImpact;
        boolean governed;
        List<String> successors = new ArrayList<>(List.of("sam"));
        int trustedPublishers = 1;
        List<PackageFacts.Version> recent =
                new ArrayList<>(List.of(new PackageFacts.Version("1.2.0", true)));
        List<PackageFacts.Held> held = new ArrayList<>();
        Map<String, SecondFactorKind> maintainers =
                new LinkedHashMap<>(Map.of("ada", SecondFactorKind.PASSKEY));

        AccountFacts account() {
            return new AccountFacts(
                    "ada", totpMode, passkeys, tokens, events, highImpact || governed);
        }

        PackageFacts pkg() {
            return new PackageFacts(
                    "left-pad",
                    List.copyOf(maintainers.keySet()),
                    highImpact,
                    governed,
                    successors,
                    trustedPublishers,
                    recent,
                    held);
        }

        List<Step> steps() {
            List<Step> out = new ArrayList<>(AccountRules.steps(account(), NOW, LINKS));
            out.addAll(PackageRules.steps(pkg(), maintainers, LINKS));
            return out;
        }
    }

    /** A write token made by npm login: no name, no limits, no expiry, used an hour ago. */
    static Token loginToken() {
        return new Token(
                "k-login",
                null,
                false,
                true,
                false,
                NOW.minus(Duration.ofDays(2)),
                null,
                NOW.minus(Duration.ofHours(1)),
                false,
                false);
    }

    /** A write token made by npm token create: named, limited to a package, expiring, used. */
    static Token createdToken() {
        return new Token(
                "k-ci",
                "ci",
                false,
                false,
                true,
                NOW.minus(Duration.ofDays(2)),
                NOW.plus(Duration.ofDays(30)),
                NOW.minus(Duration.ofHours(1)),
                true,
                false);
    }

    static Token with(Token t, Consumer<Object[]> change) {
        Object[] f = {
            t.key(),
            t.name(),
            t.readOnly(),
            t.fromSignIn(),
            t.packageLimited(),
            t.created(),
            t.expires(),
            t.lastUsed(),
            t.networkLimited(),
            t.bypass2fa()
        };
        change.accept(f);
        return new Token(
                (String) f[0],
                (String) f[1],
                (Boolean) f[2],
                (Boolean) f[3],
                (Boolean) f[4],
                (Instant) f[5],
                (Instant) f[6],
                (Instant) f[7],
                (Boolean) f[8],
                (Boolean) f[9]);
    }

    record Row(String rule, Consumer<Given> given, String step, Importance expected) {
        @Override
        public String toString() {
            return rule;
        }
    }

    static Row open(String rule, Consumer<Given> given, String step, Importance importance) {
        return new Row(rule, given, step, importance);
    }

    static Row closed(String rule, Consumer<Given> given, String step) {
        return new Row(rule, given, step, null);
    }

    static Stream<Row> rules() {
        return Stream.of(
                // second factors
                open(
                        "no second factor at all: turn on 2FA",
                        g -> {
                            g.totpMode = null;
                            g.passkeys = 0;
                        },
                        StepIds.ENABLE_2FA,
                        Importance.IMPORTANT),
                open(
                        "one-time codes only: a passkey is recommended",
                        g -> g.passkeys = 0,
                        StepIds.ADD_PASSKEY,
                        Importance.RECOMMENDED),
                open(
                        "one-time codes only, maintaining a high-impact package: a passkey is"
                                + " important",
                        g -> {
                            g.passkeys = 0;
                            g.highImpact = true;
                        },
                        StepIds.ADD_PASSKEY,
                        Importance.IMPORTANT),
                open(
                        "one-time codes only, maintaining a governed package: a passkey is"
                                + " important",
                        g -> {
                            g.passkeys = 0;
                            g.governed = true;
                        },
                        StepIds.ADD_PASSKEY,
                        Importance.IMPORTANT),
                closed("a passkey: no passkey step", g -> g.totpMode = null, StepIds.ADD_PASSKEY),
                closed(
                        "no second factor: 2FA for writes is part of turning it on",
                        g -> {
                            g.totpMode = null;
                            g.passkeys = 0;
                        },
                        StepIds.REQUIRE_2FA_FOR_WRITES),
                open(
                        "a passkey but no one-time codes: npm publishes with a token alone",
                        g -> g.totpMode = null,
                        StepIds.REQUIRE_2FA_FOR_WRITES,
                        Importance.RECOMMENDED),
                open(
                        "codes asked at sign-in only",
                        g -> g.totpMode = "auth-only",
                        StepIds.REQUIRE_2FA_FOR_WRITES,
                        Importance.RECOMMENDED),
                // security events
                open(
                        "a token reported leaked 3 days ago",
                        g ->
                                g.events.add(
                                        new AccountFacts.Event(
                                                "token.leaked", NOW.minus(Duration.ofDays(3)))),
                        StepIds.REVIEW_SECURITY_EVENTS,
                        Importance.IMPORTANT),
                open(
                        "someone guessing one-time codes",
                        g ->
                                g.events.add(
                                        new AccountFacts.Event(
                                                "2fa.guessing", NOW.minus(Duration.ofHours(3)))),
                        StepIds.REVIEW_SECURITY_EVENTS,
                        Importance.IMPORTANT),
                closed(
                        "a leak 20 days ago is no longer recent",
                        g ->
                                g.events.add(
                                        new AccountFacts.Event(
                                                "token.leaked", NOW.minus(Duration.ofDays(20)))),
                        StepIds.REVIEW_SECURITY_EVENTS),
                closed(
                        "ordinary events (a login, a publish) are not alarming",
                        g -> {
                            g.events.add(new AccountFacts.Event("login", NOW));
                            g.events.add(new AccountFacts.Event("package.published", NOW));
                        },
                        StepIds.REVIEW_SECURITY_EVENTS),
                // tokens
                open(
                        "a login token that never expires, writes asking a one-time password",
                        g -> g.tokens.add(loginToken()),
                        StepIds.REPLACE_UNEXPIRING_TOKEN,
                        Importance.RECOMMENDED),
                open(
                        "a login token that never expires, codes asked at sign-in only",
                        g -> {
                            g.totpMode = "auth-only";
                            g.tokens.add(loginToken());
                        },
                        StepIds.REPLACE_UNEXPIRING_TOKEN,
                        Importance.IMPORTANT),
                closed(
                        "a read-only token that never expires publishes nothing",
                        g -> g.tokens.add(with(loginToken(), f -> f[2] = true)),
                        StepIds.REPLACE_UNEXPIRING_TOKEN),
                closed(
                        "an expiring token",
                        g -> g.tokens.add(createdToken()),
                        StepIds.REPLACE_UNEXPIRING_TOKEN),
                open(
                        "a token bypassing 2FA from any network",
                        g ->
                                g.tokens.add(
                                        with(
                                                createdToken(),
                                                f -> {
                                                    f[9] = true;
                                                    f[8] = false;
                                                })),
                        StepIds.RESTRICT_BYPASS_TOKEN,
                        Importance.IMPORTANT),
                open(
                        "a token bypassing 2FA for every package",
                        g ->
                                g.tokens.add(
                                        with(
                                                createdToken(),
                                                f -> {
                                                    f[9] = true;
                                                    f[4] = false;
                                                })),
                        StepIds.RESTRICT_BYPASS_TOKEN,
                        Importance.IMPORTANT),
                open(
                        "a token bypassing 2FA that never expires writes without a second factor",
                        g ->
                                g.tokens.add(
                                        with(
                                                createdToken(),
                                                f -> {
                                                    f[9] = true;
                                                    f[6] = null;
                                                })),
                        StepIds.REPLACE_UNEXPIRING_TOKEN,
                        Importance.IMPORTANT),
                closed(
                        "a token bypassing 2FA limited to a network and a package",
                        g -> g.tokens.add(with(createdToken(), f -> f[9] = true)),
                        StepIds.RESTRICT_BYPASS_TOKEN),
                open(
                        "a write token last used 31 days ago",
                        g ->
                                g.tokens.add(
                                        with(
                                                createdToken(),
                                                f -> f[7] = NOW.minus(Duration.ofDays(31)))),
                        StepIds.REVOKE_UNUSED_TOKEN,
                        Importance.RECOMMENDED),
                open(
                        "a write token never used since it was made 40 days ago",
                        g ->
                                g.tokens.add(
                                        with(
                                                createdToken(),
                                                f -> {
                                                    f[5] = NOW.minus(Duration.ofDays(40));
                                                    f[7] = null;
                                                })),
                        StepIds.REVOKE_UNUSED_TOKEN,
                        Importance.RECOMMENDED),
                closed(
                        "a write token made yesterday and never used yet",
                        g ->
                                g.tokens.add(
                                        with(
                                                createdToken(),
                                                f -> {
                                                    f[5] = NOW.minus(Duration.ofDays(1));
                                                    f[7] = null;
                                                })),
                        StepIds.REVOKE_UNUSED_TOKEN),
                closed(
                        "a read-only token unused for a year",
                        g ->
                                g.tokens.add(
                                        with(
                                                createdToken(),
                                                f -> {
                                                    f[2] = true;
                                                    f[7] = NOW.minus(Duration.ofDays(365));
                                                })),
                        StepIds.REVOKE_UNUSED_TOKEN),
                open(
                        "a write token made 400 days ago",
                        g ->
                                g.tokens.add(
                                        with(
                                                createdToken(),
                                                f -> {
                                                    f[5] = NOW.minus(Duration.ofDays(400));
                                                    f[6] = NOW.plus(Duration.ofDays(1));
                                                })),
                        StepIds.ROTATE_OLD_TOKEN,
                        Importance.RECOMMENDED),
                open(
                        "a token made by npm token create for every package",
                        g -> g.tokens.add(with(createdToken(), f -> f[4] = false)),
                        StepIds.LIMIT_TOKEN_PACKAGES,
                        Importance.RECOMMENDED),
                closed(
                        "a sign-in's token is not asked to be limited to packages",
                        g ->
                                g.tokens.add(
                                        with(
                                                loginToken(),
                                                f -> f[6] = NOW.plus(Duration.ofDays(1)))),
                        StepIds.LIMIT_TOKEN_PACKAGES),
                closed(
                        "an expired token is gone",
                        g ->
                                g.tokens.add(
                                        with(
                                                loginToken(),
                                                f -> f[6] = NOW.minus(Duration.ofDays(1)))),
                        StepIds.REPLACE_UNEXPIRING_TOKEN),
                // packages
                open(
                        "a quarantined release",
                        g -> g.held.add(new PackageFacts.Held("1.2.1", "quarantined")),
                        StepIds.REVIEW_HELD_RELEASES,
                        Importance.IMPORTANT),
                open(
                        "a held release",
                        g -> g.held.add(new PackageFacts.Held("1.2.1", "held")),
                        StepIds.REVIEW_HELD_RELEASES,
                        Importance.IMPORTANT),
                open(
                        "a high-impact package without a policy of its own",
                        g -> g.highImpact = true,
                        StepIds.ADOPT_GOVERNANCE,
                        Importance.IMPORTANT),
                closed(
                        "a high-impact package that adopted a policy",
                        g -> {
                            g.highImpact = true;
                            g.governed = true;
                        },
                        StepIds.ADOPT_GOVERNANCE),
                closed(
                        "a package that is not high-impact need not be governed",
                        g -> {},
                        StepIds.ADOPT_GOVERNANCE),
                open(
                        "a co-maintainer with one-time codes only",
                        g -> g.maintainers.put("bob", SecondFactorKind.TOTP),
                        StepIds.MAINTAINERS_ADD_PASSKEYS,
                        Importance.RECOMMENDED),
                open(
                        "a co-maintainer with no second factor, on a governed package",
                        g -> {
                            g.governed = true;
                            g.maintainers.put("bob", SecondFactorKind.NONE);
                        },
                        StepIds.MAINTAINERS_ADD_PASSKEYS,
                        Importance.IMPORTANT),
                open(
                        "releases but no trusted publisher",
                        g -> g.trustedPublishers = 0,
                        StepIds.CONFIGURE_TRUSTED_PUBLISHING,
                        Importance.RECOMMENDED),
                closed(
                        "no release yet: nothing to publish from CI",
                        g -> {
                            g.trustedPublishers = 0;
                            g.recent.clear();
                        },
                        StepIds.CONFIGURE_TRUSTED_PUBLISHING),
                open(
                        "a recent release without provenance",
                        g -> g.recent.add(new PackageFacts.Version("1.1.0", false)),
                        StepIds.PUBLISH_WITH_PROVENANCE,
                        Importance.RECOMMENDED),
                open(
                        "no successor named",
                        g -> g.successors.clear(),
                        StepIds.NAME_SUCCESSORS,
                        Importance.RECOMMENDED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void rule(Row row) {
        Given g = new Given();
        row.given().accept(g);
        Optional<Step> step = g.steps().stream().filter(s -> s.id().equals(row.step())).findFirst();
        if (row.expected() == null) {
            assertThat(step).as(row.rule()).isEmpty();
        } else {
            assertThat(step).as(row.rule()).isPresent();
            assertThat(step.get().importance()).as(row.rule()).isEqualTo(row.expected());
            assertThat(step.get().url()).as(row.rule()).startsWith("https://");
        }
    }

    @Test
    void aWellKeptAccountAndPackageHaveNothingOpenAndScore100() {
        Posture p = Posture.of(new Given().steps());
        assertThat(p.steps()).isEmpty();
        assertThat(p.score()).isEqualTo(100);
        assertThat(p.first()).isEmpty();
        assertThat(p.importantOpen()).isFalse();
    }

    @Test
    void everyStepIdIsListedOnceAndEveryRuleRowUsesAKnownId() {
        assertThat(StepIds.ALL).doesNotHaveDuplicates();
        assertThat(rules().map(Row::step)).allMatch(StepIds.ALL::contains);
        assertThat(StepIds.ALL).allMatch(id -> rules().anyMatch(r -> r.step().equals(id)));
    }

    @Test
    void reasonsNameTheConcreteThing() {
        Given g = new Given();
        g.governed = true;
        g.maintainers.put("bob", SecondFactorKind.TOTP);
        g.maintainers.put("cy", SecondFactorKind.NONE);
        g.tokens.add(with(createdToken(), f -> f[9] = true));
        g.tokens.add(with(loginToken(), f -> f[0] = "k-old"));
        g.totpMode = "auth-only";
        List<Step> steps = g.steps();
        Step passkeys = find(steps, StepIds.MAINTAINERS_ADD_PASSKEYS);
        assertThat(passkeys.reason())
                .isEqualTo(
                        "maintainers of left-pad without phishing-resistant 2FA: bob (totp), cy"
                                + " (none)");
        assertThat(passkeys.url()).isEqualTo("https://registry.example/-/web/package/left-pad");
        Step unexpiring = find(steps, StepIds.REPLACE_UNEXPIRING_TOKEN);
        assertThat(unexpiring.reason())
                .isEqualTo(
                        "the sign-in token k-old can publish until it is revoked, without a"
                                + " one-time password");
        assertThat(unexpiring.fix()).isEqualTo("npm token revoke k-old");
        assertThat(unexpiring.subject()).isEqualTo("k-old");
    }

    @Test
    void importantStepsComeFirstThenTheTableOrderAndTheScoreCountsKindsOfSteps() {
        Given g = new Given();
        g.successors.clear(); // recommended
        g.passkeys = 0;
        g.totpMode = null; // enable-2fa (important), add-passkey (recommended)
        g.tokens.add(with(loginToken(), f -> f[0] = "k-b")); // important (no OTP on writes)
        g.tokens.add(with(loginToken(), f -> f[0] = "k-a")); // the same kind again
        Posture p = Posture.of(g.steps());
        assertThat(p.steps())
                .extracting(s -> s.id() + "/" + s.subject())
                .containsExactly(
                        "enable-2fa/ada",
                        "replace-unexpiring-token/k-a",
                        "replace-unexpiring-token/k-b",
                        "add-passkey/ada",
                        "name-successors/left-pad");
        // two kinds of important steps (15 each), two kinds of recommended ones (5 each)
        assertThat(p.score()).isEqualTo(100 - 2 * 15 - 2 * 5);
        assertThat(p.first().orElseThrow().id()).isEqualTo(StepIds.ENABLE_2FA);
        assertThat(p.importantOpen()).isTrue();
    }

    @Test
    void theScoreNeverGoesBelowZero() {
        List<Step> many = new ArrayList<>();
        for (String id : StepIds.ALL) {
            many.add(new Step(id, Importance.IMPORTANT, "t", "r", "https://x", null, id));
        }
        assertThat(Posture.of(many).score()).isZero();
    }

    private static Step find(List<Step> steps, String id) {
        return steps.stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
    }
}
