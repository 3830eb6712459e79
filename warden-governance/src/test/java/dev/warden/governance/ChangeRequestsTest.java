package dev.warden.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.accounts.Principal;
import dev.warden.common.HeldForApproval;
import dev.warden.common.Problem;
import dev.warden.storage.Governance.ChangeRequest;
import dev.warden.storage.Governance.StageRecord;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.MetadataStore.ReadTx;
import dev.warden.storage.MetadataStore.WriteTx;
import dev.warden.storage.Packages.PackageRecord;
import dev.warden.storage.Users.UserRecord;
import dev.warden.storage.Versions.VersionRecord;
import dev.warden.storage.embedded.EmbeddedStorage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Change requests through governance alone, over a real store and a registry stood in by its ports:
 * a held change is applied by the registry's {@link Enactment} once the quorum approves it, and a
 * change governance owns (its policy) is applied by governance itself.
 */
class ChangeRequestsTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    MetadataStore store;
    FakeRegistry registry;
    PackageGovernance governance;
    final Principal alice = new Principal("alice", false, null);
    final Principal bob = new Principal("bob", false, null);

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
        registry = new FakeRegistry();
        governance =
                new PackageGovernance(
                        store,
                        EmbeddedStorage.blobs(dir.resolve("blobs")),
                        JSON,
                        Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC),
                        GovernanceSettings.defaults(),
                        registry,
                        registry,
                        registry);
        governance.setPolicy("governed", GovernancePolicy.FRAMEWORKS.get("two-person"), alice);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aHeldChangeIsAppliedByTheRegistryOnceAnotherMaintainerApprovesIt() {
        Change lowerLatest = new Change.DistTag("latest", "0.9.0", "1.0.0", true);
        String id = heldRequest(lowerLatest, alice);
        assertThat(registry.applied).as("nothing applied while it waits").isEmpty();
        assertThat(registry.statements).contains("change.requested");

        ObjectNode approved = governance.approveRequest(id, bob);

        assertThat(approved.path("applied").asBoolean()).isTrue();
        assertThat(registry.applied).hasSize(1);
        Applied a = registry.applied.get(0);
        assertThat(a.pkg()).isEqualTo("governed");
        assertThat(a.requester()).as("applied as its requester made it").isEqualTo("alice");
        assertThat(a.change())
                .isInstanceOfSatisfying(
                        Change.DistTag.class,
                        t -> {
                            assertThat(t.tag()).isEqualTo("latest");
                            assertThat(t.version()).isEqualTo("0.9.0");
                        });
        assertThat(a.approval()).containsEntry("requestId", id);
    }

    @Test
    void theRequesterCannotApproveTheirOwnChange() {
        String id = heldRequest(new Change.Unpublish(), alice);

        assertThatThrownBy(() -> governance.approveRequest(id, alice))
                .isInstanceOf(Problem.class)
                .hasMessageContaining("you requested this change");
        assertThat(registry.applied).isEmpty();
    }

    @Test
    void anApprovedLooserPolicyIsAppliedByGovernanceNotTheRegistry() {
        GovernancePolicy solo = GovernancePolicy.SOLO;
        String id = heldRequest(new Change.Policy(solo, governance.policy("governed")), alice);
        assertThat(governance.policy("governed").approvals()).as("held, not loosened").isEqualTo(1);

        governance.approveRequest(id, bob);

        assertThat(registry.applied).as("the registry is not asked").isEmpty();
        assertThat(governance.policy("governed")).isEqualTo(solo);
    }

    private String heldRequest(Change change, Principal by) {
        try {
            governance.hold("governed", change, by, false);
        } catch (HeldForApproval held) {
            return held.requestId();
        }
        throw new AssertionError(change.kind() + " of a governed package was not held");
    }

    record Applied(String pkg, Change change, String requester, Map<String, Object> approval) {}

    /** The registry as governance sees it: every package readable, maintainers as stored. */
    static final class FakeRegistry implements PackageFacts, Events, Enactment {

        final List<Applied> applied = new ArrayList<>();
        final List<String> statements = new ArrayList<>();

        @Override
        public void requireReadable(String pkg, Principal reader) {}

        @Override
        public boolean readable(String pkg, Principal reader) {
            return true;
        }

        @Override
        public long weeklyDownloads(ReadTx tx, String pkg) {
            return 0;
        }

        @Override
        public boolean mayView(Principal principal, String pkg) {
            return true;
        }

        @Override
        public boolean mayMaintain(ReadTx tx, String pkg, String user) {
            return tx.maintainers().of(pkg).contains(user);
        }

        @Override
        public Optional<Instant> maintainerSince(ReadTx tx, String pkg, String user) {
            return tx.maintainers().addedAt(pkg, user);
        }

        @Override
        public void requireMaintainer(ReadTx tx, String pkg, Principal principal, String what) {
            if (!mayMaintain(tx, pkg, principal.user())) {
                throw Problem.forbidden("you are not a maintainer of " + pkg + ": you " + what);
            }
        }

        @Override
        public void requireCovers(Principal principal, String pkg) {}

        @Override
        public void requirePerson(Principal principal, String pkg, String what) {}

        @Override
        public Batch batch() {
            return new Batch() {
                int recorded;

                @Override
                public void record(
                        WriteTx tx,
                        String kind,
                        String pkg,
                        String version,
                        String actor,
                        Instant at,
                        Map<String, Object> detail,
                        boolean restricted) {
                    statements.add(kind);
                    recorded++;
                }

                @Override
                public List<Long> log() {
                    return recorded == 0 ? List.of() : List.of((long) statements.size());
                }
            };
        }

        @Override
        public void emit(String kind, String user, String pkg, Map<String, Object> detail) {}

        @Override
        public List<Long> apply(
                String pkg, Change change, String requester, Map<String, Object> approval) {
            applied.add(new Applied(pkg, change, requester, approval));
            return List.of();
        }

        @Override
        public List<Long> applyOrgChange(ChangeRequest request, JsonNode payload) {
            throw new AssertionError("no organization changes here");
        }

        @Override
        public List<Long> goLive(StageRecord stage, Principal stager) {
            throw new AssertionError("no stages here");
        }

        @Override
        public void describe(
                ObjectNode item,
                StageRecord stage,
                byte[] tarball,
                VersionRecord previous,
                byte[] previousTarball) {
            throw new AssertionError("no stages here");
        }
    }
}
