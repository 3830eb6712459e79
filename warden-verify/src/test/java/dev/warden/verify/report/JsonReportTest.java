package dev.warden.verify.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

class JsonReportTest {

    private static JsonNode parse(Report r) throws Exception {
        return new ObjectMapper().readTree(JsonReport.render(r));
    }

    @Test
    void theRunIsDescribedAtTheTop() throws Exception {
        JsonNode json = parse(Reports.mixed("package-lock.json"));

        assertThat(json.get("lockfile").asText()).isEqualTo("package-lock.json");
        assertThat(json.get("format").asText()).isEqualTo("package-lock v3");
        assertThat(json.get("policy").asText()).isEqualTo("warden-policy.toml");
        assertThat(json.get("at").asText()).isEqualTo("2026-12-05T08:00:00Z");
        assertThat(json.get("exitCode").asInt()).isEqualTo(1);
        JsonNode summary = json.get("summary");
        assertThat(summary.get("packages").asInt()).isEqualTo(4);
        assertThat(summary.get("pass").asInt()).isEqualTo(1);
        assertThat(summary.get("info").asInt()).isEqualTo(1);
        assertThat(summary.get("waived").asInt()).isEqualTo(1);
        assertThat(summary.get("fail").asInt()).isEqualTo(1);
        assertThat(json.get("notices").get(0).asText())
                .isEqualTo("pinned the TUF root of http://203.0.113.7:4873 on first use");
    }

    @Test
    void everyPackageAndEveryFindingIsListedWhole() throws Exception {
        JsonNode packages = parse(Reports.mixed("package-lock.json")).get("packages");

        assertThat(packages).hasSize(4);
        JsonNode waived = packages.get(2);
        assertThat(waived.get("name").asText()).isEqualTo("left-pad");
        assertThat(waived.get("version").asText()).isEqualTo("1.3.0");
        assertThat(waived.get("status").asText()).isEqualTo("waived");
        assertThat(waived.get("waiver").asText()).isEqualTo("vendored fix");
        assertThat(waived.get("source").asText()).isEqualTo("registry");
        assertThat(waived.get("resolved").asText()).startsWith("https://registry.example.invalid/");
        assertThat(waived.get("integrity").asText()).isEqualTo("sha512-AAAA");
        assertThat(waived.get("paths").get(0).asText()).isEqualTo("node_modules/left-pad");
        assertThat(waived.get("findings").get(1).get("check").asText()).isEqualTo("scripts");
        assertThat(waived.get("findings").get(1).get("status").asText()).isEqualTo("waived");
        JsonNode failed = packages.get(3);
        assertThat(failed.get("status").asText()).isEqualTo("fail");
        assertThat(failed.get("waiver").isNull()).isTrue();
        assertThat(failed.get("findings")).hasSize(3);
        assertThat(failed.get("findings").get(0).get("message").asText())
                .isEqualTo("expected sha512-AAAA (the lockfile), found sha512-BBBB (the tarball)");
        assertThat(failed.get("findings").get(1).get("check").asText()).isEqualTo("provenance");
        assertThat(failed.get("findings").get(2).get("status").asText()).isEqualTo("info");
        assertThat(packages.get(0).get("status").asText()).isEqualTo("pass");
        assertThat(packages.get(1).get("status").asText()).isEqualTo("info");
    }

    @Test
    void aPassingRunExitsZero() throws Exception {
        JsonNode json = parse(Reports.allPassing());

        assertThat(json.get("exitCode").asInt()).isZero();
        assertThat(json.get("summary").get("fail").asInt()).isZero();
        assertThat(json.get("notices")).isEmpty();
    }

    @Test
    void hostileTextStaysInsideItsString() throws Exception {
        Report r =
                new Report(
                        "l",
                        "f",
                        "default",
                        java.util.List.of(
                                new PackageResult(
                                        Reports.pkg("x", "1.0.0"),
                                        java.util.List.of(
                                                Finding.fail(
                                                        Check.FETCH, "\"}],\"x\":\u0000\u001b")),
                                        null)),
                        java.util.List.of(),
                        Reports.AT);

        JsonNode json = parse(r);

        assertThat(json.get("packages").get(0).get("findings").get(0).get("message").asText())
                .isEqualTo("\"}],\"x\":\u0000\u001b");
        assertThat(JsonReport.render(r)).doesNotContain("\u001b");
    }
}
