package dev.warden.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.common.Problem;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;

/**
 * The rule behind the body budget: one address, and one account, holds at most a quarter of it
 * across its bodies in flight, though its one body may be as large as its route allows; what is
 * held is given back when a request ends; a body that drips is cut off.
 */
class BodyBudgetTest {

    private static final long MIB = 1 << 20;

    private static BodyBudget budget(long mib) {
        return new BodyBudget(mib * MIB, 1000, 0, Duration.ZERO, Clock.systemUTC());
    }

    private static Problem refusal(Runnable r) {
        try {
            r.run();
        } catch (Problem p) {
            return p;
        }
        throw new AssertionError("not refused");
    }

    @Test
    void oneAddressHoldsAtMostAQuarterAcrossItsBodies() {
        BodyBudget b = budget(16);
        b.share("203.0.113.1", () -> null).grow(2 * MIB);
        b.share("203.0.113.1", () -> null).grow(2 * MIB);
        Problem p = refusal(() -> b.share("203.0.113.1", () -> null).grow(2 * MIB));
        assertThat(p.kind()).isEqualTo(Problem.Kind.TOO_MANY_REQUESTS);
        assertThat(p.getMessage())
                .isEqualTo(
                        "large request bodies from this address already hold 4 MiB of the server's"
                            + " memory, and one address or account may hold at most 4 MiB at once;"
                            + " try again in 5 seconds");
        assertThat(p.retryAfter()).contains(Duration.ofSeconds(5));
        // the rest of the budget stays for everyone else
        b.share("198.51.100.1", () -> null).grow(8 * MIB);
        b.share("198.51.100.2", () -> null).grow(4 * MIB);
    }

    @Test
    void oneAccountHoldsAtMostAQuarterFromWhateverAddresses() {
        BodyBudget b = budget(16);
        b.share("203.0.113.1", () -> "mallory").grow(2 * MIB);
        b.share("203.0.113.2", () -> "mallory").grow(2 * MIB);
        Problem p = refusal(() -> b.share("203.0.113.3", () -> "mallory").grow(2 * MIB));
        assertThat(p.getMessage())
                .startsWith("large request bodies from this account already hold 4 MiB");
        b.share("203.0.113.3", () -> "alice").grow(2 * MIB);
    }

    @Test
    void itsOneBodyMayBeAsLargeAsTheRouteAllowsButNotBesideOthers() {
        BodyBudget b = budget(16);
        BodyBudget.Share publish = b.share("203.0.113.1", () -> "alice");
        publish.grow(6 * MIB);
        publish.grow(10 * MIB); // a gzip body growing as it is read
        assertThat(refusal(() -> b.share("203.0.113.1", () -> null).grow(2 * MIB)).getMessage())
                .startsWith("large request bodies from this address already hold 10 MiB");
        publish.close();
        b.share("203.0.113.1", () -> null).grow(2 * MIB);
        b.share("203.0.113.1", () -> null).grow(2 * MIB);
    }

    @Test
    void whatARequestHeldIsGivenBackWhenItEnds() {
        BodyBudget b = budget(16);
        BodyBudget.Share first = b.share("203.0.113.1", () -> null);
        first.grow(2 * MIB);
        BodyBudget.Share second = b.share("203.0.113.1", () -> null);
        second.grow(2 * MIB);
        first.close();
        first.close(); // twice changes nothing
        b.share("203.0.113.1", () -> null).grow(2 * MIB);
        assertThat(refusal(() -> b.share("203.0.113.1", () -> null).grow(2 * MIB)).kind())
                .isEqualTo(Problem.Kind.TOO_MANY_REQUESTS);
    }

    @Test
    void whenTheBudgetIsTakenOthersAreAskedToComeBack() {
        BodyBudget b = budget(4);
        b.share("203.0.113.1", () -> null).grow(4 * MIB);
        Problem p = refusal(() -> b.share("198.51.100.1", () -> null).grow(2 * MIB));
        assertThat(p.kind()).isEqualTo(Problem.Kind.UNAVAILABLE);
        // a refused body holds nothing: asking again is answered the same, not as if this address
        // held a share
        assertThat(refusal(() -> b.share("198.51.100.1", () -> null).grow(2 * MIB)).kind())
                .isEqualTo(Problem.Kind.UNAVAILABLE);
    }

    @Test
    void aBodyThatDripsIsCutOffAfterTheGracePeriod() {
        BodyBudget b = new BodyBudget(16 * MIB, 1000, 64 * 1024, Duration.ZERO, Clock.systemUTC());
        InputStream drip =
                new InputStream() {
                    @Override
                    public int read() {
                        try {
                            Thread.sleep(50);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return 'a';
                    }

                    @Override
                    public int read(byte[] b, int off, int len) {
                        b[off] = (byte) read();
                        return 1;
                    }
                };
        InputStream paced = b.paced(drip);
        Problem p =
                (Problem)
                        org.assertj.core.api.Assertions.catchThrowable(() -> paced.readNBytes(100));
        assertThat(p.kind()).isEqualTo(Problem.Kind.REQUEST_TIMEOUT);
        assertThat(BodyBudget.tooSlow(p)).isTrue();
        assertThat(p.getMessage())
                .isEqualTo(
                        "request body arrives too slowly: after the first 0 s, at least 64 KiB a"
                                + " second must arrive");
        // no minimum, no cut
        assertThat(budget(16).paced(drip)).isSameAs(drip);
        assertThatThrownBy(() -> new BodyBudget(16 * MIB, 1, -1, Duration.ZERO, Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
