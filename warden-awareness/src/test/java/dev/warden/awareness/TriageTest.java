package dev.warden.awareness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.common.Problem;
import dev.warden.storage.MalwareReports.Report;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

class TriageTest {

    static final ReportSettings SETTINGS = new ReportSettings(Set.of("alice", "bob"), 2, 20, 30);

    static Report by(String reporter) {
        return new Report(
                "rpt-" + reporter,
                "left-padd",
                "1.0.1",
                reporter,
                "steals tokens",
                Instant.EPOCH,
                "open",
                null,
                null,
                null,
                null);
    }

    @Test
    void twoDistinctTrustedReportersQuarantine() {
        assertThat(Triage.quarantines(List.of(by("alice")), SETTINGS)).isFalse();
        assertThat(Triage.quarantines(List.of(by("alice"), by("bob")), SETTINGS)).isTrue();
    }

    @Test
    void ordinaryReportersNeverQuarantineHoweverMany() {
        List<Report> many =
                List.of(by("mallory"), by("mallory2"), by("mallory3"), by("eve"), by("alice"));
        assertThat(Triage.trustedReporters(many, SETTINGS)).isEqualTo(1);
        assertThat(Triage.quarantines(many, SETTINGS)).isFalse();
    }

    @Test
    void oneTrustedReporterCountsOnceWhateverItsReports() {
        assertThat(Triage.quarantines(List.of(by("alice"), by("alice")), SETTINGS)).isFalse();
    }

    @Test
    void theThresholdIsTheConfiguredOne() {
        ReportSettings one = new ReportSettings(Set.of("alice"), 1, 20, 30);
        assertThat(Triage.quarantines(List.of(by("alice")), one)).isTrue();
    }

    @Test
    void onlyAdministratorsAndTrustedReportersTriage() {
        assertThat(Triage.triager("carol", false, SETTINGS)).isFalse();
        assertThat(Triage.triager("carol", true, SETTINGS)).isTrue();
        assertThat(Triage.triager("alice", false, SETTINGS)).isTrue();
        assertThat(reason("carol", false, false, List.of(by("eve"))))
                .contains("only administrators and trusted reporters triage malware reports");
    }

    @Test
    void aMaintainerDoesNotDecideReportsAboutTheirOwnPackageEvenAsAdministrator() {
        assertThat(reason("carol", true, true, List.of(by("eve"))))
                .contains(
                        "you maintain left-padd: reports about your own package are decided by"
                                + " another triager");
    }

    @Test
    void aReporterDoesNotDecideTheirOwnReport() {
        assertThat(reason("alice", false, false, List.of(by("eve"), by("alice"))))
                .contains("you reported this version yourself: another triager decides");
    }

    @Test
    void anAdministratorDecidesOthersReports() {
        assertThat(reason("carol", true, false, List.of(by("eve"), by("alice")))).isEmpty();
        assertThat(reason("bob", false, false, List.of(by("eve"), by("alice")))).isEmpty();
    }

    private static Optional<String> reason(
            String user, boolean admin, boolean maintains, List<Report> open) {
        return Triage.refusal(user, admin, maintains, open, SETTINGS).map(Problem::getMessage);
    }
}
