package dev.warden.storage.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.storage.ExerciseCompletions.Completion;
import dev.warden.storage.PackageMfa.Policy;
import dev.warden.storage.Passkeys.Credential;
import dev.warden.storage.PhishingDefence.KnownAddress;
import dev.warden.storage.PhishingDefence.PasskeyGrace;
import dev.warden.storage.PhishingDefence.SentMessage;
import dev.warden.storage.PhishingDefence.SignInCode;
import dev.warden.storage.SecurityEvents.Event;
import dev.warden.storage.Tokens.TokenRecord;
import dev.warden.storage.TrustedPublishers.PublishToken;
import dev.warden.storage.TrustedPublishers.TrustRecord;
import dev.warden.storage.TwoFactor.TfaRecord;
import dev.warden.storage.Users.UserRecord;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The accounts' views (users, tokens, two-factor, security events, exercises, package MFA, email
 * verifications, phishing defence, invites, orgs, passkeys, trusted publishers), method by method.
 */
public interface AccountViewsContract extends StoreAccess {

    Instant A0 = Instant.parse("2026-04-01T12:00:00.250Z");

    @Test
    default void aUserIsFoundAsInsertedUpdatedAndCounted() {
        UserRecord alice = new UserRecord("alice", "a@example.invalid", "hash1", A0, false);
        write(
                tx -> {
                    tx.users().insert(alice);
                    tx.users().insert(new UserRecord("bob", "b@example.invalid", "h", A0, true));
                });
        UserRecord changed = new UserRecord("alice", "new@example.invalid", "hash2", A0, true);
        write(tx -> tx.users().update(changed));
        Optional<UserRecord> found = read(tx -> tx.users().find("alice"));
        Optional<UserRecord> bob = read(tx -> tx.users().find("bob"));
        long count = read(tx -> tx.users().count());
        assertThat(found).contains(changed);
        assertThat(bob.orElseThrow().admin()).isTrue();
        assertThat(readOptional(tx -> tx.users().find("carol"))).isEmpty();
        assertThat(count).isEqualTo(2);
    }

    @Test
    default void tokensAreFoundByHashListedByCreationAndDeletedOnce() {
        TokenRecord full =
                new TokenRecord(
                        "key-1",
                        "hash-1",
                        "alice",
                        true,
                        A0.plusSeconds(1),
                        A0.plusSeconds(3600),
                        List.of("192.0.2.0/24", "198.51.100.7/32"),
                        A0.plusSeconds(2),
                        "ci",
                        "for CI",
                        "{\"packages\":[\"p\"]}",
                        true);
        TokenRecord plain = new TokenRecord("key-2", "hash-2", "alice", false, A0, null, List.of());
        write(
                tx -> {
                    tx.tokens().insert(full);
                    tx.tokens().insert(plain);
                });
        Optional<TokenRecord> found = read(tx -> tx.tokens().findByHash("hash-1"));
        List<TokenRecord> alices = read(tx -> tx.tokens().of("alice"));
        boolean deleted = store().write(tx -> tx.tokens().delete("hash-2"));
        boolean again = store().write(tx -> tx.tokens().delete("hash-2"));
        assertThat(found).contains(full);
        assertThat(alices).containsExactly(plain, full);
        assertThat(deleted).isTrue();
        assertThat(again).isFalse();
        assertThat(readList(tx -> tx.tokens().of("alice"))).containsExactly(full);
    }

    @Test
    default void aSecondFactorIsReplacedInPlaceAndDeleted() {
        TfaRecord pending =
                new TfaRecord("alice", "SECRET", "auth-only", true, 0, List.of("r1", "r2"), A0);
        TfaRecord enabled =
                new TfaRecord(
                        "alice", "SECRET2", "auth-and-writes", false, 59_000_000L, List.of(), A0);
        write(tx -> tx.twoFactor().put(pending));
        Optional<TfaRecord> first = read(tx -> tx.twoFactor().find("alice"));
        write(tx -> tx.twoFactor().put(enabled));
        Optional<TfaRecord> second = read(tx -> tx.twoFactor().find("alice"));
        write(tx -> tx.twoFactor().delete("alice"));
        assertThat(first).contains(pending);
        assertThat(second).contains(enabled);
        assertThat(readOptional(tx -> tx.twoFactor().find("alice"))).isEmpty();
    }

    @Test
    default void securityEventsArePagedNewestFirstAndTheLatestOfKindsIsFound() {
        write(
                tx -> {
                    for (int i = 0; i < 5; i++) {
                        tx.securityEvents()
                                .append(
                                        "alice",
                                        i % 2 == 0 ? "login" : "email.changed",
                                        A0.plusSeconds(i),
                                        i == 0 ? null : "192.0.2." + i,
                                        "{\"i\":" + i + "}");
                    }
                    tx.securityEvents().append("bob", "login", A0.plusSeconds(99), null, "{}");
                });
        List<Event> newest = read(tx -> tx.securityEvents().list("alice", 0, 2));
        List<Event> older = read(tx -> tx.securityEvents().list("alice", newest.get(1).id(), 10));
        Optional<Instant> latest =
                read(tx -> tx.securityEvents().latestOf("alice", List.of("email.changed", "x")));
        Optional<Instant> none =
                read(tx -> tx.securityEvents().latestOf("carol", List.of("login")));
        assertThat(newest).extracting(Event::detailJson).containsExactly("{\"i\":4}", "{\"i\":3}");
        assertThat(newest.get(0).address()).isEqualTo("192.0.2.4");
        assertThat(newest.get(0).at()).isEqualTo(A0.plusSeconds(4));
        assertThat(newest.get(0).kind()).isEqualTo("login");
        assertThat(newest.get(0).user()).isEqualTo("alice");
        assertThat(older)
                .extracting(Event::detailJson)
                .containsExactly("{\"i\":2}", "{\"i\":1}", "{\"i\":0}");
        assertThat(older.get(2).address()).isNull();
        assertThat(latest).contains(A0.plusSeconds(3));
        assertThat(none).isEmpty();
    }

    @Test
    default void aClientIsSeenOnlyInTheAccountsOwnEventsOfThatKind() {
        write(
                tx -> {
                    tx.securityEvents()
                            .append(
                                    "alice",
                                    "package.published",
                                    A0,
                                    null,
                                    "{\"client\":\"npm/11.6.0\"}");
                    tx.securityEvents()
                            .append("alice", "token.created", A0, null, "{\"client\":\"curl/8\"}");
                    tx.securityEvents().append("alice", "package.published", A0, null, "not json");
                    tx.securityEvents().append("alice", "package.published", A0, null, "[1, 2]");
                });
        boolean npm =
                read(
                        tx ->
                                tx.securityEvents()
                                        .seenClient("alice", "package.published", "npm/11.6.0"));
        boolean curl =
                read(tx -> tx.securityEvents().seenClient("alice", "package.published", "curl/8"));
        boolean bob =
                read(
                        tx ->
                                tx.securityEvents()
                                        .seenClient("bob", "package.published", "npm/11.6.0"));
        assertThat(npm).isTrue();
        assertThat(curl).as("only events of that kind count").isFalse();
        assertThat(bob).as("only the account's own events count").isFalse();
    }

    @Test
    default void anAddressIsSeenOnlyInTheAccountsOwnEventsOfThatKind() {
        write(
                tx -> {
                    for (int i = 0; i < 3; i++) {
                        tx.securityEvents()
                                .append("alice", "package.published", A0, "192.0.2.1", "{}");
                    }
                    tx.securityEvents().append("alice", "token.created", A0, "198.51.100.7", "{}");
                });
        boolean seen =
                read(tx -> tx.securityEvents().seen("alice", "package.published", "192.0.2.1"));
        boolean otherKind =
                read(tx -> tx.securityEvents().seen("alice", "package.published", "198.51.100.7"));
        boolean bob = read(tx -> tx.securityEvents().seen("bob", "package.published", "192.0.2.1"));
        assertThat(seen).as("seen in several events").isTrue();
        assertThat(otherKind).as("only events of that kind count").isFalse();
        assertThat(bob).as("only the account's own events count").isFalse();
    }

    @Test
    default void anExerciseIsCompletedOnce() {
        Completion second = new Completion("alice", "phishing", A0.plusSeconds(5), "answer");
        Completion first = new Completion("alice", "tokens", A0, "check");
        boolean added = store().write(tx -> tx.exerciseCompletions().add(second));
        boolean again =
                store().write(
                                tx ->
                                        tx.exerciseCompletions()
                                                .add(new Completion("alice", "phishing", A0, "x")));
        write(tx -> tx.exerciseCompletions().add(first));
        List<Completion> of = read(tx -> tx.exerciseCompletions().of("alice"));
        assertThat(added).isTrue();
        assertThat(again).isFalse();
        assertThat(of).containsExactly(first, second);
        assertThat(readList(tx -> tx.exerciseCompletions().of("bob"))).isEmpty();
    }

    @Test
    default void aPackagesMfaPolicyIsReplaced() {
        write(tx -> tx.packageMfa().put("p", new Policy(true, false, true)));
        Optional<Policy> first = read(tx -> tx.packageMfa().find("p"));
        write(tx -> tx.packageMfa().put("p", new Policy(false, true, false)));
        Optional<Policy> second = read(tx -> tx.packageMfa().find("p"));
        assertThat(first).contains(new Policy(true, false, true));
        assertThat(second).contains(new Policy(false, true, false));
        assertThat(readOptional(tx -> tx.packageMfa().find("q"))).isEmpty();
    }

    @Test
    default void anEmailIsVerifiedByItsLink() {
        write(tx -> tx.emailVerifications().put("h1", "alice", "a@example.invalid", A0));
        boolean before = read(tx -> tx.emailVerifications().verified("alice", "a@example.invalid"));
        write(tx -> tx.emailVerifications().markVerified("h1", A0.plusSeconds(1)));
        boolean after = read(tx -> tx.emailVerifications().verified("alice", "a@example.invalid"));
        boolean other = read(tx -> tx.emailVerifications().verified("alice", "b@example.invalid"));
        var pending = read(tx -> tx.emailVerifications().find("h1")).orElseThrow();
        assertThat(before).isFalse();
        assertThat(after).isTrue();
        assertThat(other).isFalse();
        assertThat(pending.user()).isEqualTo("alice");
        assertThat(pending.email()).isEqualTo("a@example.invalid");
        assertThat(pending.expires()).isEqualTo(A0);
        assertThat(pending.verified()).isEqualTo(A0.plusSeconds(1));
        assertThat(readOptional(tx -> tx.emailVerifications().find("h2"))).isEmpty();
    }

    @Test
    default void aSentMessageIsKeptOnceByItsCode() {
        boolean first =
                store().write(
                                tx ->
                                        tx.phishingDefence()
                                                .putMessage(
                                                        "c1",
                                                        "alice",
                                                        "a@example.invalid",
                                                        "Hi",
                                                        A0));
        boolean again =
                store().write(
                                tx ->
                                        tx.phishingDefence()
                                                .putMessage(
                                                        "c1",
                                                        "bob",
                                                        "b@example.invalid",
                                                        "Re",
                                                        A0));
        Optional<SentMessage> got = read(tx -> tx.phishingDefence().message("c1"));
        assertThat(first).isTrue();
        assertThat(again).isFalse();
        assertThat(got).contains(new SentMessage("c1", "alice", "a@example.invalid", "Hi", A0));
        assertThat(readOptional(tx -> tx.phishingDefence().message("c2"))).isEmpty();
    }

    @Test
    default void signInsFromAnAddressKeepTheFirstSightingAndMoveTheLast() {
        boolean before = read(tx -> tx.phishingDefence().hasKnownAddresses("alice"));
        write(
                tx -> {
                    tx.phishingDefence().noteSignIn("alice", "192.0.2.1", "npm", A0);
                    tx.phishingDefence().noteSignIn("alice", "192.0.2.1", "web", A0.plusSeconds(9));
                });
        boolean after = read(tx -> tx.phishingDefence().hasKnownAddresses("alice"));
        Optional<KnownAddress> known =
                read(tx -> tx.phishingDefence().knownAddress("alice", "192.0.2.1"));
        Optional<KnownAddress> other =
                read(tx -> tx.phishingDefence().knownAddress("alice", "192.0.2.2"));
        assertThat(before).isFalse();
        assertThat(after).isTrue();
        assertThat(known).contains(new KnownAddress("192.0.2.1", "npm", A0, A0.plusSeconds(9)));
        assertThat(other).isEmpty();
    }

    @Test
    default void aSignInCodeIsReplacedAndRemoved() {
        write(
                tx -> {
                    tx.phishingDefence().putSignInCode("alice", "192.0.2.1", "h1", A0);
                    tx.phishingDefence()
                            .putSignInCode("alice", "192.0.2.1", "h2", A0.plusSeconds(60));
                });
        Optional<SignInCode> code =
                read(tx -> tx.phishingDefence().signInCode("alice", "192.0.2.1"));
        write(tx -> tx.phishingDefence().removeSignInCode("alice", "192.0.2.1"));
        Optional<SignInCode> gone =
                read(tx -> tx.phishingDefence().signInCode("alice", "192.0.2.1"));
        assertThat(code).contains(new SignInCode("h2", A0.plusSeconds(60)));
        assertThat(gone).isEmpty();
    }

    @Test
    default void anAlertIsSentOncePerAddressAndPackage() {
        boolean first =
                store().write(tx -> tx.phishingDefence().putAlert("alice", "192.0.2.1", "p", A0));
        boolean again =
                store().write(tx -> tx.phishingDefence().putAlert("alice", "192.0.2.1", "p", A0));
        boolean other =
                store().write(tx -> tx.phishingDefence().putAlert("alice", "192.0.2.1", "q", A0));
        assertThat(first).isTrue();
        assertThat(again).isFalse();
        assertThat(other).isTrue();
    }

    @Test
    default void aPasskeyGraceStartsOnceAndRemembersTheLastReminder() {
        Optional<PasskeyGrace> none = read(tx -> tx.phishingDefence().passkeyGrace("alice"));
        PasskeyGrace started =
                store().write(tx -> tx.phishingDefence().startPasskeyGrace("alice", A0));
        PasskeyGrace again =
                store().write(
                                tx ->
                                        tx.phishingDefence()
                                                .startPasskeyGrace("alice", A0.plusSeconds(5)));
        write(tx -> tx.phishingDefence().markReminded("alice", A0.plusSeconds(7)));
        Optional<PasskeyGrace> reminded = read(tx -> tx.phishingDefence().passkeyGrace("alice"));
        assertThat(none).isEmpty();
        assertThat(started).isEqualTo(new PasskeyGrace(A0, null));
        assertThat(again).as("the start is recorded, never recomputed").isEqualTo(started);
        assertThat(reminded).contains(new PasskeyGrace(A0, A0.plusSeconds(7)));
    }

    @Test
    default void anInviteIsReplacedAndDeleted() {
        write(
                tx -> {
                    tx.invites().put("carol", "old@example.invalid", A0);
                    tx.invites().put("carol", "c@example.invalid", A0.plusSeconds(1));
                });
        Optional<String> email = read(tx -> tx.invites().emailFor("carol"));
        write(tx -> tx.invites().delete("carol"));
        assertThat(email).contains("c@example.invalid");
        assertThat(readOptional(tx -> tx.invites().emailFor("carol"))).isEmpty();
    }

    @Test
    default void orgsHaveMembersWithRolesAndTeamsWithPackages() {
        write(
                tx -> {
                    tx.orgs().create("acme", A0);
                    tx.orgs().putMember("acme", "bob", "developer", A0);
                    tx.orgs().putMember("acme", "alice", "owner", A0);
                    tx.orgs().createTeam("acme", "devs", "the developers");
                    tx.orgs().createTeam("acme", "ops", null);
                    tx.orgs().addTeamMember("acme", "devs", "bob", A0);
                    tx.orgs().addTeamMember("acme", "devs", "carol", A0);
                    tx.orgs().grant("acme", "devs", "@acme/a", "read-only", A0);
                    tx.orgs().grant("acme", "devs", "@acme/b", "read-write", A0);
                    tx.orgs().grant("acme", "ops", "@acme/a", "read-write", A0);
                });
        assertThat(readFlag(tx -> tx.orgs().exists("acme"))).isTrue();
        assertThat(readFlag(tx -> tx.orgs().exists("other"))).isFalse();
        assertThat(readMap(tx -> tx.orgs().members("acme")))
                .containsExactly(Map.entry("alice", "owner"), Map.entry("bob", "developer"));
        assertThat(readOptional(tx -> tx.orgs().role("acme", "bob"))).contains("developer");
        assertThat(readOptional(tx -> tx.orgs().role("acme", "dave"))).isEmpty();
        assertThat(readList(tx -> tx.orgs().teams("acme"))).containsExactly("devs", "ops");
        assertThat(readFlag(tx -> tx.orgs().teamExists("acme", "ops"))).isTrue();
        assertThat(readFlag(tx -> tx.orgs().teamExists("acme", "qa"))).isFalse();
        assertThat(readList(tx -> tx.orgs().teamMembers("acme", "devs")))
                .containsExactly("bob", "carol");
        assertThat(readMap(tx -> tx.orgs().teamPackages("acme", "devs")))
                .containsExactly(
                        Map.entry("@acme/a", "read-only"), Map.entry("@acme/b", "read-write"));
        assertThat(readOptional(tx -> tx.orgs().teamPermission("@acme/a", "bob")))
                .contains("read-only");
        assertThat(readOptional(tx -> tx.orgs().teamPermission("@acme/b", "bob")))
                .contains("read-write");
        assertThat(readOptional(tx -> tx.orgs().teamPermission("@acme/c", "bob"))).isEmpty();

        write(
                tx -> {
                    tx.orgs().revoke("acme", "devs", "@acme/b");
                    tx.orgs().removeTeamMember("acme", "devs", "carol");
                    tx.orgs().deleteTeam("acme", "ops");
                    tx.orgs().removeMember("acme", "bob");
                });
        assertThat(readMap(tx -> tx.orgs().teamPackages("acme", "devs")))
                .containsExactly(Map.entry("@acme/a", "read-only"));
        assertThat(readList(tx -> tx.orgs().teamMembers("acme", "devs")))
                .as("removing a member of the org removes them from its teams")
                .isEmpty();
        assertThat(readList(tx -> tx.orgs().teams("acme"))).containsExactly("devs");
        assertThat(readMap(tx -> tx.orgs().members("acme"))).containsOnlyKeys("alice");
    }

    @Test
    default void aManagerCountsFromTheEarliestWayTheyCouldManageThePackage() {
        write(
                tx -> {
                    tx.orgs().create("acme", A0);
                    tx.orgs().putMember("acme", "bob", "developer", A0);
                    tx.orgs().createTeam("acme", "devs", null);
                    tx.orgs().addTeamMember("acme", "devs", "bob", A0.plusSeconds(10));
                    tx.orgs().grant("acme", "devs", "@acme/a", "read-only", A0);
                });
        Optional<Instant> readOnly = read(tx -> tx.orgs().managerSince("acme", "@acme/a", "bob"));
        write(tx -> tx.orgs().grant("acme", "devs", "@acme/a", "read-write", A0.plusSeconds(20)));
        Optional<Instant> viaTeam = read(tx -> tx.orgs().managerSince("acme", "@acme/a", "bob"));
        write(tx -> tx.orgs().putMember("acme", "bob", "admin", A0.plusSeconds(5)));
        Optional<Instant> viaRole = read(tx -> tx.orgs().managerSince("acme", "@acme/a", "bob"));
        write(tx -> tx.orgs().putMember("acme", "bob", "owner", A0.plusSeconds(50)));
        Optional<Instant> promotedAgain =
                read(tx -> tx.orgs().managerSince("acme", "@acme/a", "bob"));
        assertThat(readOnly).as("a developer with read-only access manages nothing").isEmpty();
        assertThat(viaTeam)
                .as("the later of the grant and the membership")
                .contains(A0.plusSeconds(20));
        assertThat(viaRole).as("the earliest way").contains(A0.plusSeconds(5));
        assertThat(promotedAgain).as("admin to owner keeps the date").contains(A0.plusSeconds(5));
    }

    @Test
    default void passkeysBelongToAnAccountThroughItsHandle() {
        Credential key = new Credential("cred-1", "alice", "pk", 4_294_967_296L, "laptop", A0);
        Credential other = new Credential("cred-2", "alice", "pk2", 0, null, A0.plusSeconds(1));
        write(
                tx -> {
                    tx.passkeys().putHandle("alice", "handle-a");
                    tx.passkeys().insert(other);
                    tx.passkeys().insert(key);
                    tx.passkeys().updateSignCount("cred-2", 7);
                });
        assertThat(readOptional(tx -> tx.passkeys().handleOf("alice"))).contains("handle-a");
        assertThat(readOptional(tx -> tx.passkeys().userOfHandle("handle-a"))).contains("alice");
        assertThat(readOptional(tx -> tx.passkeys().userOfHandle("handle-b"))).isEmpty();
        assertThat(readList(tx -> tx.passkeys().of("alice")))
                .containsExactly(
                        key, new Credential("cred-2", "alice", "pk2", 7, null, A0.plusSeconds(1)));
        assertThat(readOptional(tx -> tx.passkeys().find("cred-1"))).contains(key);
        boolean notHers = store().write(tx -> tx.passkeys().delete("cred-1", "bob"));
        boolean deleted = store().write(tx -> tx.passkeys().delete("cred-1", "alice"));
        assertThat(notHers).isFalse();
        assertThat(deleted).isTrue();
        assertThat(readOptional(tx -> tx.passkeys().find("cred-1"))).isEmpty();
    }

    @Test
    default void trustedPublishersAreListedFoundAndDeleted() {
        TrustRecord gh =
                new TrustRecord(
                        "t1", "p", "github", "{\"repo\":\"a/b\"}", List.of("publish"), A0, "alice");
        TrustRecord gl =
                new TrustRecord("t2", "p", "gitlab", "{}", List.of(), A0.plusSeconds(1), "alice");
        write(
                tx -> {
                    tx.trustedPublishers().insert(gl);
                    tx.trustedPublishers().insert(gh);
                });
        assertThat(readList(tx -> tx.trustedPublishers().of("p"))).containsExactly(gh, gl);
        assertThat(readOptional(tx -> tx.trustedPublishers().find("p", "t2"))).contains(gl);
        assertThat(readOptional(tx -> tx.trustedPublishers().find("q", "t2"))).isEmpty();
        boolean deleted = store().write(tx -> tx.trustedPublishers().delete("p", "t1"));
        boolean again = store().write(tx -> tx.trustedPublishers().delete("p", "t1"));
        assertThat(deleted).isTrue();
        assertThat(again).isFalse();
        assertThat(readList(tx -> tx.trustedPublishers().of("p"))).containsExactly(gl);
    }

    @Test
    default void anIdTokenIsUsedOnceAndExpiredTokensArePruned() {
        PublishToken token =
                new PublishToken(
                        "ph",
                        "p",
                        "t1",
                        List.of("publish", "stage"),
                        "repo:a/b",
                        A0,
                        A0.plusSeconds(900));
        boolean first =
                store().write(tx -> tx.trustedPublishers().useIdToken("jti-1", A0.plusSeconds(60)));
        boolean again =
                store().write(tx -> tx.trustedPublishers().useIdToken("jti-1", A0.plusSeconds(60)));
        write(tx -> tx.trustedPublishers().insertToken(token));
        Optional<PublishToken> found = read(tx -> tx.trustedPublishers().findToken("ph"));
        int early = store().write(tx -> tx.trustedPublishers().prune(A0.plusSeconds(60)));
        int late = store().write(tx -> tx.trustedPublishers().prune(A0.plusSeconds(901)));
        boolean reusable = store().write(tx -> tx.trustedPublishers().useIdToken("jti-1", A0));
        assertThat(first).isTrue();
        assertThat(again).isFalse();
        assertThat(found).contains(token);
        assertThat(early).as("nothing expired strictly before").isZero();
        assertThat(late).isEqualTo(2);
        assertThat(readOptional(tx -> tx.trustedPublishers().findToken("ph"))).isEmpty();
        assertThat(reusable).isTrue();
    }
}
