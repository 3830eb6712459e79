package dev.warden.awareness;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CredentialLinksTest {

    @Test
    void findsLinksToPagesThatAskForCredentials() {
        String body =
                "Sign in at https://registry.example.invalid/-/web/signin now, or"
                    + " http://registry.example.invalid/-/web/package/left-pad to approve.\n"
                    + "Verify: https://registry.example.invalid/-/warden/v1/verify-email?token=x";
        assertThat(CredentialLinks.in(body))
                .containsExactly(
                        "https://registry.example.invalid/-/web/signin",
                        "http://registry.example.invalid/-/web/package/left-pad");
    }

    @Test
    void theCaseOfThePathDoesNotHideOne() {
        assertThat(CredentialLinks.in("HTTPS://x.invalid/-/WEB/OTP/abc")).hasSize(1);
    }

    @Test
    void removesThemAndKeepsEverythingElse() {
        String out =
                CredentialLinks.removed(
                        "a https://x.invalid/-/web/login/123 b https://x.invalid/-/web/official c");
        assertThat(out)
                .isEqualTo(
                        "a [link removed: sign in by typing the registry's address yourself] b"
                                + " https://x.invalid/-/web/official c");
    }

    @Test
    void aHostWithoutPathAsksForNothing() {
        assertThat(CredentialLinks.in("see https://x.invalid and http://y.invalid/")).isEmpty();
    }
}
