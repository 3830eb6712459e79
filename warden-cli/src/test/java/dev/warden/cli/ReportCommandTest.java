package dev.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReportCommandTest {

    @Test
    void aSpecSplitsAtItsLastAtSignNotAtTheScopes() {
        assertThat(ReportCommand.split("left-padd@1.0.1")).containsExactly("left-padd", "1.0.1");
        assertThat(ReportCommand.split("@acme/ui@2.0.0")).containsExactly("@acme/ui", "2.0.0");
        assertThat(ReportCommand.split("@acme/ui")).containsExactly("@acme/ui", null);
        assertThat(ReportCommand.split("left-padd")).containsExactly("left-padd", null);
    }
}
