package dev.warden.governance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The governance decision, case by case: the facts in, the decision out. */
class RulesTest {

    static final GovernancePolicy SOLO = GovernancePolicy.SOLO;
    static final GovernancePolicy TWO = GovernancePolicy.FRAMEWORKS.get("two-person");
    static final GovernancePolicy STEWARD = GovernancePolicy.FRAMEWORKS.get("foundation-steward");

    static final Actor MAINTAINER = Actor.ofMaintainer();
    static final Actor OUTSIDER = new Actor(false, false, false);
    static final Actor CI = new Actor(false, true, false);
    static final Actor APPLYING = Actor.applyingApproval();

    static final Change.Release RELEASE = new Change.Release("1.1.0", false, null);
    static final Change.Release STAGE = new Change.Release("1.1.0", true, null);
    static final Change.Release BROKEN_LINE =
            new Change.Release("1.1.0", false, "its build differs from 1.0.0's: workflow");
    static final Change LOWER_LATEST = new Change.DistTag("latest", "1.0.0", "2.0.0", true);
    static final Change RAISE_TAG = new Change.DistTag("next", "3.0.0-rc.1", "2.0.0", false);
    static final Change OWNERS = new Change.Owners(List.of("mallory"), List.of());
    static final Change LOOSER = new Change.Policy(SOLO, TWO);
    static final Change TIGHTER = new Change.Policy(STEWARD, TWO);
    static final Change MFA_RELAXED = new Change.Mfa(false, false, true);
    static final Change MFA_TIGHTENED = new Change.Mfa(true, false, false);

    static final Signal HOLDING =
            new Signal("install-script-added", true, "a postinstall script was added");
    static final Signal NOTED = new Signal("size-grew", false, "the tarball doubled in size");

    static Stream<Arguments> cases() {
        return Stream.of(
                // releases
                Arguments.of(
                        "solo release goes live",
                        SOLO,
                        MAINTAINER,
                        RELEASE,
                        List.of(),
                        Decision.LIVE),
                Arguments.of(
                        "asked-for stage on a solo package needs one approval, the stager's own"
                                + " counts",
                        SOLO,
                        MAINTAINER,
                        STAGE,
                        List.of(),
                        new Decision.Staged(1, true, 0)),
                Arguments.of(
                        "two-person release is staged for one other maintainer",
                        TWO,
                        MAINTAINER,
                        RELEASE,
                        List.of(),
                        new Decision.Staged(1, false, 0)),
                Arguments.of(
                        "steward release waits for two and a day's cool-off",
                        STEWARD,
                        MAINTAINER,
                        RELEASE,
                        List.of(),
                        new Decision.Staged(2, false, 24)),
                Arguments.of(
                        "a trusted publisher's release is staged like anyone's",
                        TWO,
                        CI,
                        RELEASE,
                        List.of(),
                        new Decision.Staged(1, false, 0)),
                Arguments.of(
                        "a break in the provenance line holds even a solo release",
                        SOLO,
                        MAINTAINER,
                        BROKEN_LINE,
                        List.of(),
                        new Decision.Held("its build differs from 1.0.0's: workflow", 1, true, 0)),
                Arguments.of(
                        "a break in the provenance line on a governed package asks its quorum",
                        STEWARD,
                        MAINTAINER,
                        BROKEN_LINE,
                        List.of(),
                        new Decision.Held(
                                "its build differs from 1.0.0's: workflow", 2, false, 24)),
                Arguments.of(
                        "a holding review signal holds a solo release",
                        SOLO,
                        MAINTAINER,
                        RELEASE,
                        List.of(HOLDING),
                        new Decision.Held("a postinstall script was added", 1, true, 0)),
                Arguments.of(
                        "a signal that does not hold changes nothing",
                        SOLO,
                        MAINTAINER,
                        RELEASE,
                        List.of(NOTED),
                        Decision.LIVE),
                Arguments.of(
                        "provenance break and signal are both named",
                        SOLO,
                        MAINTAINER,
                        BROKEN_LINE,
                        List.of(NOTED, HOLDING),
                        new Decision.Held(
                                "its build differs from 1.0.0's: workflow; a postinstall script was"
                                        + " added",
                                1,
                                true,
                                0)),
                // other changes
                Arguments.of(
                        "critical change to a solo package goes through",
                        SOLO,
                        MAINTAINER,
                        OWNERS,
                        List.of(),
                        Decision.LIVE),
                Arguments.of(
                        "owner change to a governed package is held",
                        TWO,
                        MAINTAINER,
                        OWNERS,
                        List.of(),
                        new Decision.Held("adding or removing maintainers", 1, false, 0)),
                Arguments.of(
                        "steward package's critical change needs two",
                        STEWARD,
                        MAINTAINER,
                        LOWER_LATEST,
                        List.of(),
                        new Decision.Held("moving latest down from 2.0.0 to 1.0.0", 2, false, 0)),
                Arguments.of(
                        "moving a tag up is not critical",
                        STEWARD,
                        MAINTAINER,
                        RAISE_TAG,
                        List.of(),
                        Decision.LIVE),
                Arguments.of(
                        "loosening the policy is held",
                        TWO,
                        MAINTAINER,
                        LOOSER,
                        List.of(),
                        new Decision.Held(
                                "loosening its policy (from two-person to solo)", 1, false, 0)),
                Arguments.of(
                        "tightening the policy is not",
                        TWO,
                        MAINTAINER,
                        TIGHTER,
                        List.of(),
                        Decision.LIVE),
                Arguments.of(
                        "relaxing the 2FA rule is held",
                        TWO,
                        MAINTAINER,
                        MFA_RELAXED,
                        List.of(),
                        new Decision.Held("relaxing its two-factor rule", 1, false, 0)),
                Arguments.of(
                        "tightening the 2FA rule is not",
                        TWO,
                        MAINTAINER,
                        MFA_TIGHTENED,
                        List.of(),
                        Decision.LIVE),
                Arguments.of(
                        "a non-maintainer's change is not held in a maintainer's name: the change"
                                + " refuses it",
                        TWO,
                        OUTSIDER,
                        OWNERS,
                        List.of(),
                        Decision.LIVE),
                Arguments.of(
                        "a trusted publisher files no change requests",
                        TWO,
                        CI,
                        OWNERS,
                        List.of(),
                        Decision.LIVE),
                Arguments.of(
                        "an approved request is applied, not held again",
                        STEWARD,
                        APPLYING,
                        OWNERS,
                        List.of(),
                        Decision.LIVE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decides(
            String name,
            GovernancePolicy policy,
            Actor actor,
            Change change,
            List<Signal> signals,
            Decision expected) {
        assertThat(Rules.decide(new Rules.Facts(policy, actor, change, signals)))
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} survives a change request")
    @MethodSource("stored")
    void changeRequestPayloadReadsBack(String kind, Change change) {
        com.fasterxml.jackson.databind.ObjectMapper json =
                new com.fasterxml.jackson.databind.ObjectMapper();
        Change back = Change.fromRequest(kind, json.valueToTree(change.payload()), json);
        assertThat(back.kind()).isEqualTo(kind);
        assertThat(back.payload()).isEqualTo(change.payload());
    }

    static Stream<Arguments> stored() {
        return Stream.of(
                Arguments.of("dist-tag", LOWER_LATEST),
                Arguments.of("owners", OWNERS),
                Arguments.of(
                        "versions",
                        new Change.Versions(Map.of("1.0.0", "use 2"), List.of("0.9.0"))),
                Arguments.of("unpublish", new Change.Unpublish()),
                Arguments.of("access", new Change.Access("restricted")),
                Arguments.of("mfa", MFA_RELAXED),
                Arguments.of(
                        "trusted-publisher-add",
                        new Change.TrustedPublisherAdd(
                                "github",
                                Map.of(
                                        "type",
                                        "github",
                                        "claims",
                                        Map.of("repository", "acme/x"),
                                        "permissions",
                                        List.of("publish")))),
                Arguments.of("trusted-publisher-remove", new Change.TrustedPublisherRemove("abc")),
                Arguments.of("trusted-publishing-optional", new Change.TrustedPublishingOptional()),
                Arguments.of("policy", LOOSER),
                Arguments.of("successors", new Change.Successors(List.of("bob"))));
    }
}
