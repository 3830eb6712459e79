package dev.warden.awareness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.accounts.Principal;
import dev.warden.common.Problem;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.MetadataStore.ReadTx;
import dev.warden.storage.MetadataStore.WriteTx;
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
import java.util.Set;

class AdvisoriesTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Principal ALICE = new Principal("alice", false, null);
    static final Principal BOB = new Principal("bob", false, null);

    @TempDir Path dir;
    MetadataStore store;
    Advisories advisories;
    List<String> logged = new ArrayList<>();

    /** alice maintains left-merge, whose 1.0.0, 1.4.2 and 2.0.0 are published. */
    final AdvisoryFacts facts =
            new AdvisoryFacts() {
                @Override
                public boolean mayMaintain(ReadTx tx, String pkg, String user) {
                    return pkg.equals("left-merge") && user.equals("alice");
                }

                @Override
                public boolean covers(Principal principal, String pkg) {
                    return principal.limits().covers(pkg);
                }

                @Override
                public boolean published(ReadTx tx, String pkg, String version) {
                    return pkg.equals("left-merge")
                            && Set.of("1.0.0", "1.4.2", "2.0.0").contains(version);
                }

                @Override
                public List<String> maintainedBy(ReadTx tx, String user) {
                    return user.equals("alice") ? List.of("left-merge") : List.of();
                }

                @Override
                public Statements statements() {
                    return new Statements() {
                        final List<String> kinds = new ArrayList<>();

                        @Override
                        public void record(
                                WriteTx tx,
                                String kind,
                                String pkg,
                                String actor,
                                Instant at,
                                Map<String, Object> detail) {
                            kinds.add(
                                    kind + " " + pkg + " " + actor + " " + detail.get("advisory"));
                        }

                        @Override
                        public List<Long> log() {
                            logged.addAll(kinds);
                            return List.of((long) logged.size());
                        }
                    };
                }
            };

    @BeforeEach
    void open() {
        store = EmbeddedStorage.metadata(dir.resolve("warden.db"));
        advisories = new Advisories(store, facts, Clock.fixed(OsvRecordTest.AT, ZoneOffset.UTC));
    }

    @AfterEach
    void close() {
        store.close();
    }

    static DraftInput input(String json) throws Exception {
        return DraftInput.parse(JSON.readTree(json), true);
    }

    String draft(String affected, String patched) throws Exception {
        return (String)
                advisories
                        .create(
                                input(
                                        "{\"package\":\"left-merge\",\"affected\":\""
                                                + affected
                                                + "\",\"severity\":\"moderate\",\"summary\":\"Merge"
                                                + " follows __proto__\""
                                                + (patched == null
                                                        ? ""
                                                        : ",\"patched\":\"" + patched + "\"")
                                                + ",\"references\":[\"https://example.invalid/r\"]}"),
                                ALICE)
                        .get("id");
    }

    @Test
    void aPublishedAdvisoryIsAnOsvRecordThatValidatesAgainstTheSchema() throws Exception {
        String id = draft(">=1.0.0 <1.4.2 || <=0.9.9", "1.4.2");
        Advisories.Logged<OsvRecord> p = advisories.publish(id, ALICE);
        OsvRecord r = p.value();
        assertThat(r.id()).isEqualTo("x_WARDEN-2026-1");
        assertThat(OsvRecordTest.schema().validate(r.toJson())).isEmpty();
        assertThat(r.affects("left-merge", "1.3.0")).isTrue();
        assertThat(r.affects("left-merge", "1.4.2")).isFalse();
        assertThat(r.references())
                .containsExactly(new OsvRecord.Reference("WEB", "https://example.invalid/r"));
        assertThat(new OsvRecords(store).get(r.id())).contains(r);
        assertThat(logged).containsExactly("advisory.published left-merge alice x_WARDEN-2026-1");
        assertThat(p.logIndexes()).containsExactly(1L);
        assertThat(advisories.get(id, ALICE)).containsEntry("osvId", r.id());

        Advisories.Logged<OsvRecord> w = advisories.withdraw(id, ALICE);
        assertThat(w.value().withdrawn())
                .isEqualTo(OsvRecordTest.AT.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        assertThat(OsvRecordTest.schema().validate(w.value().toJson())).isEmpty();
        assertThat(new OsvRecords(store).affecting("left-merge")).isEmpty();
        assertThat(advisories.get(id, ALICE)).containsEntry("state", "withdrawn");
        assertThat(logged).hasSize(2).last().asString().startsWith("advisory.withdrawn");
    }

    @Test
    void thePatchedVersionMustBePublishedAndAboveEveryAffectedVersion() throws Exception {
        assertThat(draft("<1.4.2", "1.4.2")).isNotNull();
        assertThat(draft("<=1.0.0", "1.4.2")).isNotNull();
        assertThatThrownBy(() -> draft("<1.4.2", "1.4.3"))
                .hasMessage("patched version 1.4.3 of left-merge is not published");
        assertThatThrownBy(() -> draft("<1.4.2", "1.0.0"))
                .hasMessage("patched version 1.0.0 is not above the affected versions '<1.4.2'");
        assertThatThrownBy(() -> draft(">=1.0.0", "2.0.0"))
                .hasMessage("patched version 2.0.0 is not above the affected versions '>=1.0.0'");
        assertThatThrownBy(() -> draft("<1.4.2 || >=2.0.0 <2.0.1", "1.4.2"))
                .hasMessage(
                        "patched version 1.4.2 is not above the affected versions '>=2.0.0"
                                + " <2.0.1'");
    }

    @Test
    void onlyMaintainersChangeTheInvitedReadAndCommentOthersLearnNothing() throws Exception {
        String id = draft("<1.4.2", null);
        assertThatThrownBy(() -> advisories.get(id, BOB))
                .isInstanceOf(Problem.class)
                .hasMessage("there is no advisory draft " + id);
        assertThat(advisories.mine(BOB)).isEmpty();
        // bob is not a user in this store: inviting him is refused
        assertThatThrownBy(() -> advisories.invite(id, "bob", ALICE))
                .hasMessage("there is no user bob to invite");
        assertThatThrownBy(() -> advisories.get(id, null))
                .hasMessage("there is no advisory draft " + id);
        Principal limited =
                new Principal(
                        "alice",
                        false,
                        null,
                        false,
                        new Principal.TokenLimits(List.of("other"), List.of()));
        assertThatThrownBy(() -> advisories.get(id, limited))
                .hasMessage("there is no advisory draft " + id);
        assertThat(advisories.mine(ALICE)).extracting(d -> d.get("id")).containsExactly(id);
    }

    @Test
    void aDraftCannotChangeOncePublished() throws Exception {
        String id = draft("<1.4.2", null);
        String osv = advisories.publish(id, ALICE).value().id();
        assertThatThrownBy(
                        () ->
                                advisories.edit(
                                        id,
                                        DraftInput.parse(
                                                JSON.readTree("{\"severity\":\"low\"}"), false),
                                        ALICE))
                .hasMessageContaining("was published as " + osv);
        assertThatThrownBy(() -> advisories.publish(id, ALICE))
                .hasMessageContaining("was published as " + osv);
        assertThat(new OsvRecords(store).page(null)).hasSize(1);
    }
}
