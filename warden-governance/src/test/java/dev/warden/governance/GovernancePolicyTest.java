package dev.warden.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.common.Problem;

import org.junit.jupiter.api.Test;

/** A package's policy with its own review thresholds: read, written, compared. */
class GovernancePolicyTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void reviewThresholdsAreReadWithACustomPolicyOrAFramework() throws Exception {
        GovernancePolicy custom =
                GovernancePolicy.parse(
                        json("{\"approvals\": 0, \"review\": {\"holdAt\": \"medium\"}}"));
        assertThat(custom.review()).isEqualTo(new ReviewThresholds(null, "medium", null));

        GovernancePolicy framework =
                GovernancePolicy.parse(
                        json(
                                "{\"framework\": \"two-person\", \"review\": {\"flagAt\":"
                                        + " \"low\", \"quarantineAt\": \"high\"}}"));
        assertThat(framework.framework()).isEqualTo("two-person");
        assertThat(framework.approvals()).isEqualTo(1);
        assertThat(framework.review()).isEqualTo(new ReviewThresholds("low", null, "high"));
    }

    @Test
    void aPolicyWithoutReviewHasNoneAndWritesNoReviewField() throws Exception {
        GovernancePolicy p = GovernancePolicy.parse(json("{\"framework\": \"solo\"}"));
        assertThat(p.review().isEmpty()).isTrue();
        assertThat(p.toJson().has("review")).isFalse();
        assertThat(GovernancePolicy.FRAMEWORKS.values())
                .allSatisfy(f -> assertThat(f.review()).isEqualTo(ReviewThresholds.NONE));
    }

    @Test
    void thresholdsSurviveBeingStoredAndAPolicyStoredBeforeThemReadsAsNone() throws Exception {
        GovernancePolicy p =
                new GovernancePolicy(
                        "custom", 1, 2, "account", new ReviewThresholds("low", "medium", "high"));
        assertThat(GovernancePolicy.fromJson(p.toJson())).isEqualTo(p);
        GovernancePolicy old =
                GovernancePolicy.fromJson(
                        json(
                                "{\"framework\":\"two-person\",\"approvals\":1,"
                                        + "\"coolOffHours\":0,\"twoFactor\":\"account\"}"));
        assertThat(old).isEqualTo(GovernancePolicy.FRAMEWORKS.get("two-person"));
    }

    @Test
    void aSeverityThatIsNoneOfTheReviewsIsRefusedWithTheChoices() {
        assertThatThrownBy(
                        () ->
                                GovernancePolicy.parse(
                                        json("{\"review\": {\"holdAt\": \"severe\"}}")))
                .isInstanceOf(Problem.class)
                .hasMessage("review.holdAt must be one of info, low, medium, high, critical");
    }

    @Test
    void anUnknownReviewFieldIsRefusedByName() {
        assertThatThrownBy(
                        () -> GovernancePolicy.parse(json("{\"review\": {\"allowAt\": \"high\"}}")))
                .isInstanceOf(Problem.class)
                .hasMessage("unknown review field: allowAt");
    }

    @Test
    void thresholdsOutOfOrderAreRefused() {
        assertThatThrownBy(
                        () ->
                                GovernancePolicy.parse(
                                        json(
                                                "{\"review\": {\"holdAt\": \"high\","
                                                        + " \"quarantineAt\": \"medium\"}}")))
                .isInstanceOf(Problem.class)
                .hasMessage(
                        "review.quarantineAt (\"medium\") must be at or above review.holdAt"
                                + " (\"high\")");
    }

    @Test
    void raisingOrDroppingAThresholdLoosensThePolicy() {
        GovernancePolicy strict =
                GovernancePolicy.SOLO.withReview(new ReviewThresholds(null, "medium", null));
        assertThat(GovernancePolicy.SOLO.looserThan(strict)).as("dropped").isTrue();
        assertThat(
                        GovernancePolicy.SOLO
                                .withReview(new ReviewThresholds(null, "high", null))
                                .looserThan(strict))
                .as("raised")
                .isTrue();
        assertThat(
                        GovernancePolicy.SOLO
                                .withReview(new ReviewThresholds("low", "low", null))
                                .looserThan(strict))
                .as("lowered and added")
                .isFalse();
        assertThat(strict.looserThan(GovernancePolicy.SOLO)).isFalse();
    }
}
