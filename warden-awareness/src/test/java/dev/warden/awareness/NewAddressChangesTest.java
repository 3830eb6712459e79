package dev.warden.awareness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.storage.SecurityEvents.Event;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The new-address rule: which sign-in or token use makes a later change worth telling. */
class NewAddressChangesTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Instant SINCE = NOW.minus(Duration.ofHours(24));

    private static Event e(long id, String kind, Duration ago, String address) {
        return new Event(id, "bob", kind, NOW.minus(ago), address, "{}");
    }

    @Test
    void aSignInFromANewAddressWithinTheWindowCounts() {
        List<Event> events =
                List.of(
                        e(3, "package.published", Duration.ofMinutes(1), null),
                        e(2, "login.new-address", Duration.ofHours(2), "203.0.113.7"),
                        e(1, "login", Duration.ofDays(30), "198.51.100.1"));
        assertThat(NewAddressChanges.newAddress(events, SINCE))
                .map(Event::address)
                .contains("203.0.113.7");
    }

    @Test
    void oneOlderThanTheWindowDoesNot() {
        List<Event> events =
                List.of(e(2, "login.new-address", Duration.ofHours(25), "203.0.113.7"));
        assertThat(NewAddressChanges.newAddress(events, SINCE)).isEmpty();
    }

    @Test
    void theAccountsVeryFirstTokenUseIsNotNew() {
        List<Event> events =
                List.of(
                        e(2, "token.new-address", Duration.ofMinutes(5), "127.0.0.1"),
                        e(1, "login", Duration.ofMinutes(6), "127.0.0.1"));
        assertThat(NewAddressChanges.newAddress(events, SINCE)).isEmpty();
    }

    @Test
    void aTokenUseFromAnotherAddressThanBeforeIs() {
        List<Event> events =
                List.of(
                        e(3, "token.new-address", Duration.ofMinutes(5), "203.0.113.50"),
                        e(2, "token.new-address", Duration.ofDays(3), "198.51.100.1"),
                        e(1, "login", Duration.ofDays(3), "198.51.100.1"));
        assertThat(NewAddressChanges.newAddress(events, SINCE))
                .map(Event::address)
                .contains("203.0.113.50");
    }

    @Test
    void onlyChangesToPackagesConcernCoMaintainers() {
        assertThat(NewAddressChanges.concerns("package.published")).isTrue();
        assertThat(NewAddressChanges.concerns("dist-tag.set")).isTrue();
        assertThat(NewAddressChanges.concerns("release.flagged")).isFalse();
    }
}
