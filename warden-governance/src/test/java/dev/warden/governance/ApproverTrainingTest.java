package dev.warden.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.accounts.Principal;
import dev.warden.common.HeldForApproval;
import dev.warden.common.Problem;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.MetadataStore.ReadTx;
import dev.warden.storage.Packages.PackageRecord;
import dev.warden.storage.Users.UserRecord;
import dev.warden.storage.embedded.EmbeddedStorage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A policy that asks approvers to have completed security exercises: its form, and approvals
 * refused (and not counted) until the approver has completed them.
 */
class ApproverTrainingTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;
    MetadataStore store;
    ChangeRequestsTest.FakeRegistry registry;
    PackageGovernance governance;
    final Principal alice = new Principal("alice", false, null);
    final Principal bob = new Principal("bob", false, null);

    /** "user/exercise" pairs completed. */
    final Set<String> completed = new HashSet<>();

    final ApproverTraining training =
            new ApproverTraining() {
                @Override
                public List<String> missing(ReadTx tx, String user, List<String> required) {
                    List<String> asked =
                            required.equals(GovernancePolicy.ALL_REQUIRED)
                                    ? List.of("phishing-basics", "leaked-token-response")
                                    : required;
                    return asked.stream()
                            .filter(id -> !completed.contains(user + "/" + id))
                            .toList();
                }

                @Override
                public List<String> unknown(List<String> ids) {
                    return ids.stream()
                            .filter(
                                    id ->
                                            !List.of(
                                                            "*",
                                                            "phishing-basics",
                                                            "leaked-token-response")
                                                    .contains(id))
                            .toList();
                }

                @Override
                public String where() {
                    return "https://registry.invalid/-/web/exercises";
                }
            };

    @BeforeEach
    void open() throws Exception {
        store = EmbeddedStorage.metadata(dir.resolve("warden.db"));
        store.write(
                tx -> {
                    for (String user : List.of("alice", "bob")) {
                        tx.users()
                                .insert(
                                        new UserRecord(
                                                user, user + "@example.org", "x", T0, false));
                    }
                    tx.packages().insert(new PackageRecord("governed", T0, T0, 1, "public", null));
                    tx.maintainers().add("governed", "alice", T0);
                    tx.maintainers().add("governed", "bob", T0);
                    return null;
                });
        registry = new ChangeRequestsTest.FakeRegistry();
        governance =
                new PackageGovernance(
                        store,
                        EmbeddedStorage.blobs(dir.resolve("blobs")),
                        JSON,
                        Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC),
                        GovernanceSettings.defaults(),
                        registry,
                        registry,
                        registry,
                        training);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aPolicyNamesExercisesOrAllRequiredOnes() throws Exception {
        GovernancePolicy all =
                GovernancePolicy.parse(
                        JSON.readTree("{\"framework\":\"two-person\",\"training\":true}"));
        assertThat(all.approvals()).isEqualTo(1);
        assertThat(all.training()).isEqualTo(GovernancePolicy.ALL_REQUIRED);
        assertThat(all.toJson().get("training").asBoolean()).isTrue();

        GovernancePolicy some =
                GovernancePolicy.parse(
                        JSON.readTree(
                                "{\"approvals\":1,\"training\":[\"phishing-basics\",\"phishing-basics\"]}"));
        assertThat(some.training()).containsExactly("phishing-basics");
        assertThat(GovernancePolicy.fromJson(some.toJson())).isEqualTo(some);

        assertThat(GovernancePolicy.SOLO.toJson().has("training"))
                .as("a policy without training is stored as before")
                .isFalse();
        assertThat(GovernancePolicy.fromJson(GovernancePolicy.SOLO.toJson()))
                .isEqualTo(GovernancePolicy.SOLO);

        for (String bad :
                List.of(
                        "{\"approvals\":1,\"training\":\"yes\"}",
                        "{\"approvals\":1,\"training\":[\"Phishing\"]}",
                        "{\"approvals\":1,\"training\":[1]}")) {
            assertThatThrownBy(() -> GovernancePolicy.parse(JSON.readTree(bad)))
                    .as(bad)
                    .hasMessage(
                            "training must be true, false or a list of up to 20 exercise ids"
                                    + " (lower-case letters, digits and dashes)");
        }
        assertThatThrownBy(
                        () ->
                                GovernancePolicy.parse(
                                        JSON.readTree(
                                                "{\"framework\":\"two-person\",\"approvals\":2}")))
                .hasMessageStartingWith("framework must be one of");
    }

    @Test
    void droppingAnExerciseIsLooserAddingOneIsNot() {
        GovernancePolicy base = GovernancePolicy.FRAMEWORKS.get("two-person");
        GovernancePolicy one = base.withTraining(List.of("phishing-basics"));
        GovernancePolicy two =
                base.withTraining(List.of("phishing-basics", "leaked-token-response"));

        assertThat(two.looserThan(one)).isFalse();
        assertThat(one.looserThan(two)).isTrue();
        assertThat(base.looserThan(one)).isTrue();
        assertThat(one.looserThan(base)).isFalse();
    }

    @Test
    void anUntrainedMaintainersApprovalIsRefusedNamingTheExercisesThenAllowedOnceDone() {
        governance.setPolicy(
                "governed",
                GovernancePolicy.FRAMEWORKS
                        .get("two-person")
                        .withTraining(List.of("phishing-basics")),
                alice);
        String id = held(new Change.DistTag("latest", "0.9.0", "1.0.0", true), alice);

        assertThatThrownBy(() -> governance.approveRequest(id, bob))
                .isInstanceOfSatisfying(
                        Problem.class,
                        p -> {
                            assertThat(p.kind()).isEqualTo(Problem.Kind.FORBIDDEN);
                            assertThat(p.getMessage())
                                    .isEqualTo(
                                            "the policy of governed asks approvers to complete"
                                                + " these security exercises first:"
                                                + " phishing-basics. Do them at"
                                                + " https://registry.invalid/-/web/exercises (or"
                                                + " POST /-/warden/v1/exercises/<id>), then approve"
                                                + " again");
                        });
        assertThat(registry.applied).as("nothing applied").isEmpty();
        assertThat(governance.request(id, alice).path("approvedBy")).isEmpty();

        completed.add("bob/phishing-basics");
        ObjectNode approved = governance.approveRequest(id, bob);

        assertThat(approved.path("applied").asBoolean()).isTrue();
        assertThat(registry.applied).hasSize(1);
    }

    @Test
    void trainingTrueAsksEveryRequiredExercise() {
        governance.setPolicy(
                "governed",
                GovernancePolicy.FRAMEWORKS
                        .get("two-person")
                        .withTraining(GovernancePolicy.ALL_REQUIRED),
                alice);
        completed.add("bob/phishing-basics");
        String id = held(new Change.DistTag("latest", "0.9.0", "1.0.0", true), alice);

        assertThatThrownBy(() -> governance.approveRequest(id, bob))
                .hasMessageContaining("security exercises first: leaked-token-response.");
    }

    @Test
    void aPolicyNamingAnUnknownExerciseIsRefusedAndChangesNothing() {
        assertThatThrownBy(
                        () ->
                                governance.setPolicy(
                                        "governed",
                                        GovernancePolicy.FRAMEWORKS
                                                .get("two-person")
                                                .withTraining(List.of("phishing-basics", "nope")),
                                        alice))
                .hasMessage(
                        "no such exercise: nope (the exercises are listed by GET"
                                + " /-/warden/v1/exercises)");
        assertThat(governance.policy("governed")).isEqualTo(GovernancePolicy.SOLO);
    }

    @Test
    void droppingTheRequirementIsAChangeTheOtherMaintainersApprove() {
        GovernancePolicy trained =
                GovernancePolicy.FRAMEWORKS
                        .get("two-person")
                        .withTraining(List.of("phishing-basics"));
        governance.setPolicy("governed", trained, alice);

        assertThatThrownBy(
                        () ->
                                governance.setPolicy(
                                        "governed",
                                        GovernancePolicy.FRAMEWORKS.get("two-person"),
                                        alice))
                .isInstanceOf(HeldForApproval.class);
        assertThat(governance.policy("governed")).as("held, not loosened").isEqualTo(trained);
    }

    private String held(Change change, Principal by) {
        try {
            governance.hold("governed", change, by, false);
        } catch (HeldForApproval h) {
            return h.requestId();
        }
        throw new AssertionError("not held");
    }
}
