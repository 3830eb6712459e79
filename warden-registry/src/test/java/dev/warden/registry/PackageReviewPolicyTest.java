package dev.warden.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.common.Problem;
import dev.warden.governance.ReviewThresholds;
import dev.warden.review.Action;
import dev.warden.review.Finding;
import dev.warden.review.ReviewPolicy;
import dev.warden.review.Severity;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

/** The effective review policy: the stricter of the registry's and the package's, per action. */
class PackageReviewPolicyTest {

    static Finding finding(String id, Severity s) {
        return new Finding(id, s, id, List.of());
    }

    static final Finding MEDIUM = finding("child-process", Severity.MEDIUM);
    static final Finding HIGH = finding("install-script-added", Severity.HIGH);
    static final Finding LOW = finding("size-grew", Severity.LOW);

    @Test
    void aPackageHoldThresholdHoldsWhatTheRegistryWouldOnlyFlag() {
        PackageReviewPolicy p =
                new PackageReviewPolicy(
                        ReviewPolicy.DEFAULT, new ReviewThresholds(null, "medium", null));
        assertThat(ReviewPolicy.DEFAULT.actionOf(MEDIUM)).isEqualTo(Action.FLAG);
        assertThat(p.actionOf(MEDIUM)).isEqualTo(Action.HOLD);
        assertThat(p.actionOf(LOW)).as("below every threshold").isEqualTo(Action.ALLOW);
    }

    @Test
    void aPackageThresholdNeverLowersWhatTheRegistryAsks() {
        // flagging from low says nothing of holds: the registry's hold at high still holds
        PackageReviewPolicy p =
                new PackageReviewPolicy(
                        ReviewPolicy.DEFAULT, new ReviewThresholds("low", null, null));
        assertThat(p.actionOf(HIGH)).isEqualTo(Action.HOLD);
        assertThat(p.actionOf(LOW)).isEqualTo(Action.FLAG);
        assertThat(
                        new PackageReviewPolicy(ReviewPolicy.DEFAULT, ReviewThresholds.NONE)
                                .actionOf(HIGH))
                .isEqualTo(Action.HOLD);
    }

    @Test
    void aRegistryOverrideThatAllowsAFindingIsRaisedByThePackagesThreshold() {
        ReviewPolicy lenient =
                new ReviewPolicy(
                        Severity.MEDIUM,
                        Severity.HIGH,
                        Severity.CRITICAL,
                        Map.of("child-process", Action.ALLOW));
        assertThat(new PackageReviewPolicy(lenient, ReviewThresholds.NONE).actionOf(MEDIUM))
                .isEqualTo(Action.ALLOW);
        assertThat(
                        new PackageReviewPolicy(lenient, new ReviewThresholds(null, "medium", null))
                                .actionOf(MEDIUM))
                .isEqualTo(Action.HOLD);
    }

    @Test
    void aRegistryOverrideThatQuarantinesStaysAQuarantine() {
        ReviewPolicy strict =
                new ReviewPolicy(
                        Severity.MEDIUM,
                        Severity.HIGH,
                        Severity.CRITICAL,
                        Map.of("child-process", Action.QUARANTINE));
        assertThat(
                        new PackageReviewPolicy(strict, new ReviewThresholds(null, "medium", null))
                                .actionOf(MEDIUM))
                .isEqualTo(Action.QUARANTINE);
    }

    @Test
    void aLaxerThresholdIsRefusedNamingTheRegistrysValue() {
        assertThatThrownBy(
                        () ->
                                PackageReviewPolicy.requireNotLaxer(
                                        ReviewPolicy.DEFAULT,
                                        new ReviewThresholds(null, "critical", null)))
                .isInstanceOf(Problem.class)
                .hasMessage(
                        "review.holdAt \"critical\" is laxer than the registry's review.hold_at"
                                + " (\"high\"): a package's review thresholds may only be stricter"
                                + " than the registry's");
        assertThatThrownBy(
                        () ->
                                PackageReviewPolicy.requireNotLaxer(
                                        ReviewPolicy.DEFAULT,
                                        new ReviewThresholds("high", "high", null)))
                .isInstanceOf(Problem.class)
                .hasMessageStartingWith(
                        "review.flagAt \"high\" is laxer than the registry's review.flag_at"
                                + " (\"medium\")");
    }

    @Test
    void equalOrStricterThresholdsAreAccepted() {
        assertThatCode(
                        () ->
                                PackageReviewPolicy.requireNotLaxer(
                                        ReviewPolicy.DEFAULT,
                                        new ReviewThresholds("medium", "medium", "high")))
                .doesNotThrowAnyException();
        assertThatCode(
                        () ->
                                PackageReviewPolicy.requireNotLaxer(
                                        ReviewPolicy.DEFAULT, ReviewThresholds.NONE))
                .doesNotThrowAnyException();
    }

    @Test
    void governanceNamesTheReviewsSeveritiesInTheirOrder() {
        assertThat(ReviewThresholds.SEVERITIES)
                .containsExactlyElementsOf(
                        java.util.Arrays.stream(Severity.values())
                                .map(PackageReviewPolicy::word)
                                .toList());
    }
}
