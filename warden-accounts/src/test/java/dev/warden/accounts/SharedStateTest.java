package dev.warden.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;

import dev.warden.common.Problem;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.embedded.EmbeddedStorage;

import org.apache.commons.codec.binary.Base32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.crypto.spec.SecretKeySpec;

/**
 * What accounts keeps between requests lives in the metadata store: two {@link Accounts} over one
 * database (two nodes) finish each other's web logins and web OTP approvals, refuse each other's
 * replayed codes and share throttles, and a restart forgets none of it.
 */
class SharedStateTest {

    @TempDir Path dir;

    private final TestClock clock = new TestClock(Instant.parse("2026-03-01T10:00:10Z"));
    private final PasswordHasher hasher = new PasswordHasher(1024, 1, 1);
    private final List<MetadataStore> stores = new ArrayList<>();
    private final InetAddress home = address("198.51.100.7");
    private final InetAddress elsewhere = address("203.0.113.9");

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Another node over the test's database. */
    private Accounts node() {
        MetadataStore store = EmbeddedStorage.metadata(dir.resolve("warden.db"));
        stores.add(store);
        return new Accounts(store, hasher, Accounts.Settings.defaults(), clock);
    }

    /** Stops every node (a restart when nodes are opened again). */
    @AfterEach
    void stopAll() {
        stores.forEach(MetadataStore::close);
        stores.clear();
    }

    private String code(Accounts node, String user) throws Exception {
        String secret = node.twoFactorRecord(user).orElseThrow().secret();
        var generator = new TimeBasedOneTimePasswordGenerator(Duration.ofSeconds(30), 6);
        int otp =
                generator.generateOneTimePassword(
                        new SecretKeySpec(new Base32().decode(secret), "HmacSHA1"),
                        clock.instant());
        return String.format("%06d", otp);
    }

    /** Alice, with two-factor authentication turned on (on node {@code a}). */
    private void aliceWith2fa(Accounts a) throws Exception {
        a.createUser("alice", "alice@example.com", "correct horse 42", false);
        a.beginTwoFactor("alice", SecondFactors.AUTH_AND_WRITES, home);
        a.confirmTwoFactor("alice", code(a, "alice"), home);
        clock.advance(Duration.ofSeconds(30)); // the confirming code's step is used up
    }

    @Test
    void aWebLoginOpenedOnOneNodeIsFinishedOnAnotherAndPolledOnAThird() {
        Accounts a = node();
        Accounts b = node();
        Accounts c = node();
        a.createUser("alice", "alice@example.com", "correct horse 42", false);
        WebLogins.Request opened = a.webLogins().open("npm/11.19.1");
        assertThat(c.webLogins().poll(opened.doneId())).isEmpty();

        WebLogins.Request seen = b.webLogins().page(opened.pageId()).orElseThrow();
        assertThat(seen.client()).isEqualTo("npm/11.19.1");
        assertThat(seen.finished()).isFalse();
        b.webLogins().complete(opened.pageId(), "alice", "correct horse 42", null, home);
        assertThat(a.webLogins().page(opened.pageId()).orElseThrow().finished()).isTrue();
        assertThatThrownBy(
                        () ->
                                a.webLogins()
                                        .complete(
                                                opened.pageId(),
                                                "alice",
                                                "correct horse 42",
                                                null,
                                                home))
                .hasMessage("this login request is already complete");

        String token = c.webLogins().poll(opened.doneId()).orElseThrow();
        assertThat(a.authenticateToken(token, home).orElseThrow().user()).isEqualTo("alice");
        // handed out once: the request is gone on every node
        assertThatThrownBy(() -> b.webLogins().poll(opened.doneId())).hasMessage("unknown request");
        assertThat(a.webLogins().page(opened.pageId())).isEmpty();
    }

    @Test
    void aRestartKeepsALoginInProgressAndForgetsItWhenItExpires() {
        Accounts before = node();
        before.createUser("alice", "alice@example.com", "correct horse 42", false);
        WebLogins.Request opened = before.webLogins().open("npm/11.19.1");
        stopAll();

        Accounts after = node();
        after.webLogins().complete(opened.pageId(), "alice", "correct horse 42", null, home);
        stopAll();
        assertThat(node().webLogins().poll(opened.doneId())).isPresent();

        WebLogins.Request late = node().webLogins().open("npm/11.19.1");
        clock.advance(Duration.ofMinutes(10).plusSeconds(1));
        assertThat(node().webLogins().page(late.pageId())).isEmpty();
        assertThatThrownBy(() -> node().webLogins().poll(late.doneId()))
                .hasMessage("unknown request");
    }

    @Test
    void aCodeOneNodeAcceptedIsAReplayOnAnother() throws Exception {
        Accounts a = node();
        Accounts b = node();
        aliceWith2fa(a);
        String code = code(a, "alice");
        assertThat(a.secondFactors().verify("alice", code, home)).isTrue();
        assertThat(b.secondFactors().verify("alice", code, home)).isFalse();
    }

    @Test
    void theTokenACodeWasAcceptedWithMayRepeatItOnAnyNodeForTwoMinutes() throws Exception {
        Accounts a = node();
        Accounts b = node();
        aliceWith2fa(a);
        String code = code(a, "alice");
        assertThat(a.secondFactors().verify("alice", code, home, "token-hash-1")).isTrue();
        assertThat(b.secondFactors().verify("alice", code, home, "token-hash-1")).isTrue();
        assertThat(b.secondFactors().verify("alice", code, home, "token-hash-2")).isFalse();
        clock.advance(Duration.ofMinutes(2));
        assertThat(a.secondFactors().verify("alice", code, home, "token-hash-1")).isFalse();
    }

    @Test
    void aWebOtpApprovedOnOneNodeGivesAOneShotTokenOnAnother() throws Exception {
        Accounts a = node();
        Accounts b = node();
        aliceWith2fa(a);
        WebOtps.Request opened =
                a.webOtps().open("alice", "token-hash-1", "PUT /left-pad").orElseThrow();
        WebOtps.Request seen = b.webOtps().page(opened.pageId()).orElseThrow();
        assertThat(seen.operation()).isEqualTo("PUT /left-pad");
        assertThat(seen.user()).isEqualTo("alice");
        assertThat(a.webOtps().poll(opened.doneId())).isEmpty();

        b.webOtps().approve(opened.pageId(), code(b, "alice"), home);
        assertThatThrownBy(() -> a.webOtps().approve(opened.pageId(), "000000", home))
                .hasMessage("this approval is already complete");
        String token = a.webOtps().poll(opened.doneId()).orElseThrow();
        assertThat(token).startsWith(SecondFactors.WEB_PREFIX);
        assertThat(b.secondFactors().verify("alice", token, home, "token-hash-2")).isFalse();

        WebOtps.Request again =
                a.webOtps().open("alice", "token-hash-1", "PUT /left-pad").orElseThrow();
        b.webOtps().approveVerified(again.pageId(), "alice");
        String second = b.webOtps().poll(again.doneId()).orElseThrow();
        assertThat(a.secondFactors().verify("alice", second, home, "token-hash-1")).isTrue();
        assertThat(b.secondFactors().verify("alice", second, home, "token-hash-1")).isFalse();
    }

    @Test
    void webOtpRequestsAreCountedPerAccountAcrossNodes() throws Exception {
        Accounts a = node();
        Accounts b = node();
        aliceWith2fa(a);
        for (int i = 0; i < 10; i++) {
            assertThat(a.webOtps().open("alice", "t", "PUT /x")).isPresent();
            assertThat(b.webOtps().open("alice", "t", "PUT /x")).isPresent();
        }
        assertThat(a.webOtps().open("alice", "t", "PUT /x")).isEmpty();
        assertThat(b.webOtps().open("bob", "t", "PUT /x")).isPresent();
    }

    @Test
    void wrongPasswordsOnOneNodeSlowTheGuesserOnAnother() {
        Accounts a = node();
        Accounts b = node();
        a.createUser("alice", "alice@example.com", "correct horse 42", false);
        for (int i = 0; i < CredentialGuard.PAIR_FREE; i++) {
            Accounts node = i % 2 == 0 ? a : b;
            assertThatThrownBy(() -> node.checkPassword("alice", "wrong", elsewhere))
                    .hasMessage("incorrect password");
        }
        assertThatThrownBy(() -> b.checkPassword("alice", "correct horse 42", elsewhere))
                .isInstanceOfSatisfying(
                        Problem.class,
                        p -> assertThat(p.kind()).isEqualTo(Problem.Kind.TOO_MANY_REQUESTS))
                .hasMessage(
                        "too many wrong passwords for alice from this address; try again in 1"
                                + " second");
        stopAll();
        // a restart forgets nothing
        assertThatThrownBy(() -> node().checkPassword("alice", "correct horse 42", elsewhere))
                .hasMessageStartingWith("too many wrong passwords for alice from this address");
        clock.advance(Duration.ofSeconds(1));
        node().checkPassword("alice", "correct horse 42", elsewhere);
    }

    @Test
    void theSignUpRateOfAnAddressIsSharedByNodes() {
        Accounts a = node();
        Accounts b = node();
        for (int i = 0; i < SignUps.SIGN_UPS_PER_HOUR; i++) {
            Accounts node = i % 2 == 0 ? a : b;
            node.register("user" + i, "correct horse 42", "user" + i + "@example.com", home);
        }
        stopAll();
        Accounts c = node();
        assertThatThrownBy(
                        () ->
                                c.register(
                                        "one-more",
                                        "correct horse 42",
                                        "one-more@example.com",
                                        home))
                .hasMessageStartingWith("too many accounts created from this address");
        assertThat(c.user("one-more")).isEmpty();
        c.register("other", "correct horse 42", "other@example.com", elsewhere);
    }

    @Test
    void aRefusedSignUpDoesNotUseUpTheAddressOnAnyNode() {
        Accounts a = node();
        Accounts b = node();
        a.createUser("taken", "taken@example.com", "correct horse 42", false);
        for (int i = 0; i < SignUps.SIGN_UPS_PER_HOUR; i++) {
            assertThatThrownBy(() -> a.register("taken", "correct horse 42", "x@example.com", home))
                    .hasMessage("user taken already exists");
        }
        b.register("fresh", "correct horse 42", "fresh@example.com", home);
        assertThat(a.user("fresh")).isPresent();
    }

    @Test
    void aPasskeyCeremonyStartedOnOneNodeIsFinishedOnAnotherOnce() {
        Accounts a = nodeAt("https://registry.example.invalid");
        Accounts b = nodeAt("https://registry.example.invalid");
        var started = a.webAuthn().startAssertion();
        assertThat(started.optionsJson()).contains("challenge");
        // the other node finds the ceremony: the response itself is what it refuses
        assertThatThrownBy(() -> b.webAuthn().finishAssertion(started.id(), "{", home))
                .hasMessage("the passkey response is not valid JSON");
        // one use: the ceremony is gone on every node
        assertThatThrownBy(() -> a.webAuthn().finishAssertion(started.id(), "{", home))
                .hasMessage("this passkey request is unknown or has expired; start again");
    }

    @Test
    void aPasskeyCeremonyExpiresAfterFiveMinutesAndCannotBeFinishedAsTheOtherKind() {
        Accounts a = nodeAt("https://registry.example.invalid");
        a.createUser("alice", "alice@example.com", "correct horse 42", false);
        var registration = a.webAuthn().startRegistration("alice", "alice@example.com");
        assertThatThrownBy(() -> a.webAuthn().finishAssertion(registration.id(), "{", home))
                .hasMessage("this passkey request is unknown or has expired; start again");
        var signIn = a.webAuthn().startAssertion();
        clock.advance(Duration.ofMinutes(5).plusMillis(1));
        assertThatThrownBy(() -> a.webAuthn().finishAssertion(signIn.id(), "{", home))
                .hasMessage("this passkey request is unknown or has expired; start again");
    }

    private Accounts nodeAt(String publicUrl) {
        MetadataStore store = EmbeddedStorage.metadata(dir.resolve("warden.db"));
        stores.add(store);
        var d = Accounts.Settings.defaults();
        return new Accounts(
                store,
                hasher,
                new Accounts.Settings(
                        d.registration(),
                        d.minPasswordLength(),
                        d.loginTokenLifetime(),
                        d.sensitivePause(),
                        publicUrl),
                clock);
    }
}
