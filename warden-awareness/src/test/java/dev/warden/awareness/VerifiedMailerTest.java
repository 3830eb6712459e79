package dev.warden.awareness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.common.Problem;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.embedded.EmbeddedStorage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

class VerifiedMailerTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final Pattern CODE =
            Pattern.compile("Verification code: ([A-Z0-9]{4}-[A-Z0-9]{4})");

    record Mail(String user, String to, String subject, String body) {}

    @TempDir Path dir;
    MetadataStore store;
    final List<Mail> sent = new ArrayList<>();
    final TestClock clock = new TestClock(T0);
    VerifiedMailer mailer;
    MessageVerification verification;

    @BeforeEach
    void open() {
        store = EmbeddedStorage.metadata(dir.resolve("warden.db"));
        mailer =
                new VerifiedMailer(
                        (user, to, subject, body) -> sent.add(new Mail(user, to, subject, body)),
                        store,
                        new MessageCodes(new Random(1)),
                        "https://registry.example.invalid/-/web/official",
                        clock);
        verification = new MessageVerification(store, clock, 5, Duration.ofHours(1));
    }

    @AfterEach
    void close() {
        store.close();
    }

    static String codeOf(Mail m) {
        Matcher matcher = CODE.matcher(m.body());
        assertThat(matcher.find()).as("a code in " + m.body()).isTrue();
        return matcher.group(1);
    }

    @Test
    void everyMailCarriesACodeThatVerifiesWithWhenToWhomAndWhat() throws Exception {
        mailer.send(
                "alice", "alice@example.com", "Warden security notice: token.created", "A token.");
        Mail m = sent.get(0);
        assertThat(m.body())
                .startsWith("A token.\n-- \n")
                .contains(
                        "Warden never mails you a link that asks for your password or code; sign"
                                + " in by typing the address yourself:"
                                + " https://registry.example.invalid/-/web/official");
        clock.advance(Duration.ofMinutes(5));
        var answer =
                verification.check(codeOf(m).toLowerCase(), InetAddress.getByName("192.0.2.1"));
        assertThat(answer)
                .isEqualTo(
                        new MessageVerification.Sent(
                                codeOf(m),
                                T0,
                                "a***@e***.com",
                                "Warden security notice: token.created"));
    }

    @Test
    void eachMailHasItsOwnCode() {
        mailer.send("alice", "alice@example.com", "one", "1");
        mailer.send("alice", "alice@example.com", "two", "2");
        assertThat(codeOf(sent.get(0))).isNotEqualTo(codeOf(sent.get(1)));
    }

    @Test
    void aCodeNeverSentIsUnknownAndGarbageIsMalformed() throws Exception {
        InetAddress from = InetAddress.getByName("192.0.2.2");
        assertThat(verification.check("ZZZZ-ZZZZ", from))
                .isEqualTo(new MessageVerification.Unknown("ZZZZ-ZZZZ"));
        assertThat(verification.check("<script>", from))
                .isInstanceOf(MessageVerification.Malformed.class);
        assertThat(verification.check("A".repeat(10_000), from))
                .isInstanceOf(MessageVerification.Malformed.class);
    }

    @Test
    void lookupsArePacedPerAddressWhateverTheyAsk() throws Exception {
        InetAddress guesser = InetAddress.getByName("2001:db8:1:2::1");
        for (int i = 0; i < 5; i++) {
            verification.check("ZZZZ-ZZZ" + (i + 2), guesser);
        }
        // another address in the same /64 is the same guesser
        assertThatThrownBy(
                        () ->
                                verification.check(
                                        "ZZZZ-ZZZZ", InetAddress.getByName("2001:db8:1:2::99")))
                .isInstanceOf(Problem.class)
                .hasMessageContaining("too many message checks from your address");
        // others are not paced by it
        assertThat(verification.check("ZZZZ-ZZZZ", InetAddress.getByName("198.51.100.7")))
                .isInstanceOf(MessageVerification.Unknown.class);
        clock.advance(Duration.ofHours(1));
        assertThat(verification.check("ZZZZ-ZZZZ", guesser))
                .isInstanceOf(MessageVerification.Unknown.class);
    }

    @Test
    void aLinkToASignInPageIsTakenOutOfTheMail() {
        mailer.send(
                "alice",
                "alice@example.com",
                "s",
                "Approve at https://registry.example.invalid/-/web/package/left-pad please");
        assertThat(sent.get(0).body())
                .doesNotContain("/-/web/package/")
                .contains("[link removed: sign in by typing the registry's address yourself]");
    }

    @Test
    void anAddressTheMailerRefusesGetsNoCodeStored() {
        mailer.send("mallory", "bad\r\nBcc: x@example.com", "s", "b");
        assertThat(sent).isEmpty();
    }
}
