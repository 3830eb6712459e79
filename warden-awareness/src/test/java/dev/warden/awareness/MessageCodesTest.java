package dev.warden.awareness;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

class MessageCodesTest {

    @Test
    void codesAreEightCharactersOfTheAlphabetInTwoGroups() {
        MessageCodes codes = new MessageCodes(new Random(7));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String c = codes.next();
            assertThat(c)
                    .matches(
                            "["
                                    + MessageCodes.ALPHABET
                                    + "]{4}-["
                                    + MessageCodes.ALPHABET
                                    + "]{4}");
            seen.add(c);
        }
        assertThat(seen).hasSize(1000);
    }

    @Test
    void theAlphabetHasNoLookalikes() {
        assertThat(MessageCodes.ALPHABET).hasSize(32).doesNotContain("0", "O", "1", "I");
    }

    @Test
    void typedCodesAreReadWhateverTheirCaseAndSeparators() {
        assertThat(MessageCodes.parse("abcd-efgh")).contains("ABCD-EFGH");
        assertThat(MessageCodes.parse(" ABCDEFGH ")).contains("ABCD-EFGH");
        assertThat(MessageCodes.parse("ab cd ef gh")).contains("ABCD-EFGH");
    }

    @Test
    void malformedCodesAreRefused() {
        assertThat(MessageCodes.parse(null)).isEmpty();
        assertThat(MessageCodes.parse("")).isEmpty();
        assertThat(MessageCodes.parse("ABCD-EFG")).as("seven characters").isEmpty();
        assertThat(MessageCodes.parse("ABCD-EFGHJ")).as("nine characters").isEmpty();
        assertThat(MessageCodes.parse("ABCD-EFG0")).as("a zero is not in the alphabet").isEmpty();
        assertThat(MessageCodes.parse("ABCD-EF<>")).isEmpty();
        assertThat(MessageCodes.parse("ABCD-EFGH" + " ".repeat(40))).as("oversized").isEmpty();
        assertThat(MessageCodes.parse("ＡＢＣＤ-ＥＦＧＨ")).as("full-width letters").isEmpty();
    }
}
