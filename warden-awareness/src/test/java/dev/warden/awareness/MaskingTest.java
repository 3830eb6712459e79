package dev.warden.awareness;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MaskingTest {

    @Test
    void showsTheFirstLetterOfEachPartAndTheTopLevelDomain() {
        assertThat(Masking.email("alice@example.com")).isEqualTo("a***@e***.com");
        assertThat(Masking.email("bob.smith@mail.example.co.uk")).isEqualTo("b***@m***.uk");
    }

    @Test
    void neverShowsMoreOfAShortAddress() {
        assertThat(Masking.email("a@b.c")).isEqualTo("a***@b***.c");
        assertThat(Masking.email("x@localhost")).isEqualTo("x***@l***");
    }

    @Test
    void somethingThatIsNoAddressShowsNothing() {
        assertThat(Masking.email(null)).isEqualTo("***");
        assertThat(Masking.email("no-at-sign")).isEqualTo("***");
        assertThat(Masking.email("@example.com")).isEqualTo("***");
        assertThat(Masking.email("alice@")).isEqualTo("***");
    }
}
