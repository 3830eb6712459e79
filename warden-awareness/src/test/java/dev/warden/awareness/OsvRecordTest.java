package dev.warden.awareness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Set;

class OsvRecordTest {

    static final Instant AT = Instant.parse("2026-12-05T05:00:00.123Z");

    static JsonSchema schema() throws Exception {
        try (InputStream in = OsvRecordTest.class.getResourceAsStream("/osv/schema.json")) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
    }

    static OsvRecord advisory() {
        return new OsvRecord(
                "x_WARDEN-2026-1",
                AT,
                AT,
                null,
                "Prototype pollution in merge()",
                "A crafted `__proto__` key reaches `Object.prototype`.",
                AdvisorySeverity.HIGH,
                List.of(
                        new OsvRecord.Affected(
                                "@acme/merge",
                                NpmRanges.parse(">=1.0.0 <1.4.2 || <=0.9.9"),
                                List.of())),
                List.of("CVE-2026-0001"),
                List.of(new OsvRecord.Reference("WEB", "https://example.invalid/advisory")));
    }

    static OsvRecord malware() {
        return new OsvRecord(
                "MAL-2026-3",
                AT,
                AT,
                null,
                "Malicious code in left-padd",
                null,
                AdvisorySeverity.CRITICAL,
                List.of(new OsvRecord.Affected("left-padd", List.of(), List.of("1.0.1", "1.0.2"))),
                List.of(),
                List.of());
    }

    @Test
    void anAdvisoryValidatesAgainstTheOsvSchema() throws Exception {
        Set<ValidationMessage> errors = schema().validate(advisory().toJson());
        assertThat(errors).isEmpty();
    }

    @Test
    void aMalwareRecordValidatesAgainstTheOsvSchema() throws Exception {
        Set<ValidationMessage> errors = schema().validate(malware().toJson());
        assertThat(errors).isEmpty();
    }

    @Test
    void theSchemaCatchesARecordWithoutItsRequiredFields() throws Exception {
        var broken = advisory().toJson();
        broken.remove("modified");
        assertThat(schema().validate(broken)).anyMatch(m -> m.getMessage().contains("modified"));
    }

    @Test
    void intervalsBecomeSemverEventsAndScopedNamesAnEncodedPurl() throws Exception {
        String json = new ObjectMapper().writeValueAsString(advisory().toJson());
        assertThat(json)
                .contains(
                        "{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"1.0.0\"},{\"fixed\":\"1.4.2\"}]},"
                            + "{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\"},{\"last_affected\":\"0.9.9\"}]}")
                .contains("\"purl\":\"pkg:npm/%40acme/merge\"")
                .contains("\"database_specific\":{\"severity\":\"HIGH\"}")
                .contains("\"modified\":\"2026-12-05T05:00:00Z\"");
    }

    @Test
    void readsBackWhatItWrote() {
        assertThat(OsvRecord.fromBytes(advisory().toBytes())).isEqualTo(advisory());
        assertThat(OsvRecord.fromBytes(malware().toBytes())).isEqualTo(malware());
    }

    @Test
    void affectsTheVersionsInItsIntervalsAndList() {
        assertThat(advisory().affects("@acme/merge", "1.3.0")).isTrue();
        assertThat(advisory().affects("@acme/merge", "0.9.9")).isTrue();
        assertThat(advisory().affects("@acme/merge", "1.4.2")).isFalse();
        assertThat(advisory().affects("merge", "1.3.0")).isFalse();
        assertThat(malware().affects("left-padd", "1.0.2")).isTrue();
        assertThat(malware().affects("left-padd", "1.0.3")).isFalse();
        assertThat(malware().affects("left-padd", "not-semver")).isFalse();
    }

    @Test
    void idsOutsideWardensPrefixesAreRefused() {
        assertThatThrownBy(
                        () ->
                                new OsvRecord(
                                        "GHSA-xxxx-yyyy-zzzz",
                                        AT,
                                        AT,
                                        null,
                                        "s",
                                        null,
                                        AdvisorySeverity.LOW,
                                        malware().affected(),
                                        null,
                                        null))
                .hasMessageContaining("not an OSV id Warden gives");
    }
}
