package dev.warden.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.awareness.StateCheck.Outcome;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.Packages.PackageRecord;
import dev.warden.storage.Passkeys.Credential;
import dev.warden.storage.Tokens.TokenRecord;
import dev.warden.storage.TrustedPublishers.TrustRecord;
import dev.warden.storage.Users.UserRecord;
import dev.warden.storage.embedded.EmbeddedStorage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** The practical steps read from the account's and its packages' real rows. */
class TrainingLinkTest {

    private static final Instant T0 = Instant.parse("2026-02-01T00:00:00Z");

    @TempDir Path dir;
    MetadataStore store;
    TrainingLink link;

    @BeforeEach
    void open() {
        store = EmbeddedStorage.metadata(dir.resolve("warden.db"));
        store.write(
                tx -> {
                    tx.users().insert(new UserRecord("alice", "alice@example.org", "x", T0, false));
                    tx.users().insert(new UserRecord("bob", "bob@example.org", "x", T0, false));
                    tx.packages().insert(new PackageRecord("pkg", T0, T0, 1, "public", null));
                    tx.maintainers().add("pkg", "alice", T0);
                    return null;
                });
        link =
                new TrainingLink(
                        Clock.fixed(T0.plus(Duration.ofDays(1)), ZoneOffset.UTC),
                        "https://r.invalid/");
    }

    @AfterEach
    void close() {
        store.close();
    }

    private Outcome check(String user, String step) {
        return store.read(tx -> link.check(tx, user, step));
    }

    private void token(
            String key, boolean readOnly, Instant expires, List<String> cidrs, String description) {
        store.write(
                tx -> {
                    tx.tokens()
                            .insert(
                                    new TokenRecord(
                                            key,
                                            "hash-" + key,
                                            "alice",
                                            readOnly,
                                            T0,
                                            expires,
                                            cidrs,
                                            null,
                                            null,
                                            description,
                                            "{}",
                                            false));
                    return null;
                });
    }

    @Test
    void aPasskeyIsAddedWhenTheAccountHasOne() {
        assertThat(check("alice", "add-passkey"))
                .isEqualTo(new Outcome(false, "Your account has no passkey yet."));
        store.write(
                tx -> {
                    tx.passkeys().insert(new Credential("cred-1", "alice", "pk", 0, "laptop", T0));
                    return null;
                });
        assertThat(check("alice", "add-passkey").done()).isTrue();
        assertThat(check("bob", "add-passkey").done()).as("another account's key").isFalse();
    }

    @Test
    void anUnexpiringTokenIsReplacedWhenNoLiveTokenLivesForever() {
        token("k1", false, null, List.of(), null);
        token("k2", true, T0.plus(Duration.ofDays(30)), List.of(), null);

        Outcome open = check("alice", "replace-unexpiring-token");
        assertThat(open.done()).isFalse();
        assertThat(open.detail()).startsWith("1 of your tokens never expire: k1.");

        store.write(tx -> tx.tokens().delete("hash-k1"));
        assertThat(check("alice", "replace-unexpiring-token").done()).isTrue();
    }

    @Test
    void aWriteTokenIsLimitedToANetworkOnlyWhenALiveWriteTokenNamesOne() {
        token("read", true, null, List.of("192.0.2.0/24"), null);
        token("expired", false, T0.plusSeconds(60), List.of("198.51.100.0/24"), null);
        token("session", false, T0.plus(Duration.ofDays(2)), List.of(), "browser session");
        assertThat(check("alice", "limit-write-token-cidr").done())
                .as("a read token, an expired one and a session do not count")
                .isFalse();

        token("ci", false, T0.plus(Duration.ofDays(7)), List.of("203.0.113.0/24"), null);
        assertThat(check("alice", "limit-write-token-cidr").done()).isTrue();
    }

    @Test
    void successorsAndTrustedPublishersAreReadFromThePackagesTheUserMaintains() {
        assertThat(check("bob", "name-successor"))
                .isEqualTo(new Outcome(false, "You maintain no package yet."));
        assertThat(check("alice", "name-successor").done()).isFalse();
        assertThat(check("alice", "set-up-trusted-publishing").done()).isFalse();

        store.write(
                tx -> {
                    tx.governance().setSuccessors("pkg", List.of("bob"), "alice", T0);
                    tx.trustedPublishers()
                            .insert(
                                    new TrustRecord(
                                            "t1",
                                            "pkg",
                                            "github",
                                            "{}",
                                            List.of("createPackage"),
                                            T0,
                                            "alice"));
                    return null;
                });

        assertThat(check("alice", "name-successor"))
                .isEqualTo(new Outcome(true, "pkg has a named successor."));
        assertThat(check("alice", "set-up-trusted-publishing"))
                .isEqualTo(new Outcome(true, "pkg is published by a trusted publisher."));
        assertThat(check("bob", "set-up-trusted-publishing").done())
                .as("bob is the successor, not a maintainer")
                .isFalse();
    }

    @Test
    void anUnknownStepIsNeverDone() {
        assertThat(check("alice", "fly"))
                .isEqualTo(new Outcome(false, "Warden cannot check the step fly"));
    }
}
