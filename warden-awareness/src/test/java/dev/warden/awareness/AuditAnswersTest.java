package dev.warden.awareness;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.List;

class AuditAnswersTest {

    @Test
    void patchedVersionsComeFromTheHighestIntervalsFix() {
        OsvRecord a = OsvRecordTest.advisory(); // >=1.0.0 <1.4.2 || <=0.9.9
        assertThat(AuditAnswers.patched(a, "@acme/merge")).isEqualTo(">=1.4.2");
        assertThat(AuditAnswers.range(a, "@acme/merge")).isEqualTo(">=1.0.0 <1.4.2 || <=0.9.9");
        // listed versions (malware) have no fix
        assertThat(AuditAnswers.patched(OsvRecordTest.malware(), "left-padd")).isEqualTo("<0.0.0");
        OsvRecord open =
                new OsvRecord(
                        "x_WARDEN-2026-9",
                        OsvRecordTest.AT,
                        OsvRecordTest.AT,
                        null,
                        "s",
                        null,
                        AdvisorySeverity.LOW,
                        List.of(new OsvRecord.Affected("x", NpmRanges.parse(">=2.0.0"), List.of())),
                        null,
                        null);
        assertThat(AuditAnswers.patched(open, "x")).isEqualTo("<0.0.0");
    }

    @Test
    void theBulkAnswerHasTheFieldsNpmAndYarnRead() {
        var out =
                AuditAnswers.bulk(
                        java.util.Map.of("left-padd", List.of(OsvRecordTest.malware())),
                        id -> "https://registry.invalid/-/osv/" + id);
        assertThat(out.toString())
                .isEqualTo(
                        "{\"left-padd\":[{\"id\":\"MAL-2026-3\",\"url\":\"https://registry.invalid/-/osv/MAL-2026-3\",\"title\":\"Malicious"
                            + " code in"
                            + " left-padd\",\"severity\":\"critical\",\"vulnerable_versions\":\"1.0.1"
                            + " || 1.0.2\",\"cwe\":[],"
                            + "\"cvss\":{\"score\":0,\"vectorString\":null}}]}");
    }
}
