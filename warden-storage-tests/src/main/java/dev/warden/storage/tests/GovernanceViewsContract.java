package dev.warden.storage.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.storage.AdvisoryDrafts.Comment;
import dev.warden.storage.AdvisoryDrafts.Draft;
import dev.warden.storage.AdvisoryDrafts.Invite;
import dev.warden.storage.Governance.ChangeRequest;
import dev.warden.storage.Governance.Notice;
import dev.warden.storage.Governance.PolicyRecord;
import dev.warden.storage.Governance.StageRecord;
import dev.warden.storage.MalwareReports.Hold;
import dev.warden.storage.MalwareReports.Report;
import dev.warden.storage.OsvRows.Row;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Governance (policies, stages, change requests, succession), OSV records, malware reports and
 * advisory drafts, method by method.
 */
public interface GovernanceViewsContract extends StoreAccess {

    Instant G0 = Instant.parse("2026-05-01T09:30:00.500Z");

    private static StageRecord stage(String id, String pkg, Instant created, Instant coolOff) {
        return new StageRecord(
                id,
                pkg,
                "1.0.0",
                "latest",
                "{\"doc\":1}",
                "blob",
                "sha1",
                "sha512-x",
                "alice",
                "user",
                null,
                2,
                true,
                coolOff,
                created,
                created.plusSeconds(3600),
                "open",
                null,
                null,
                null,
                "{\"release\":1}");
    }

    @Test
    default void policiesAreVersionedAndTheLatestIsTheCurrent() {
        PolicyRecord v1 = new PolicyRecord("p", 1, "{\"a\":1}", G0, "alice");
        PolicyRecord v2 = new PolicyRecord("p", 2, "{\"a\":2}", G0.plusSeconds(1), "bob");
        write(
                tx -> {
                    tx.governance().addPolicy(v2);
                    tx.governance().addPolicy(v1);
                });
        assertThat(readOptional(tx -> tx.governance().policy("p"))).contains(v2);
        assertThat(readList(tx -> tx.governance().policies("p"))).containsExactly(v1, v2);
        assertThat(readOptional(tx -> tx.governance().policy("q"))).isEmpty();
    }

    @Test
    default void stagesArePagedCountedByPackageAndDecided() {
        write(
                tx -> {
                    for (int i = 0; i < 4; i++) {
                        tx.governance()
                                .insertStage(
                                        stage("s" + i, i < 3 ? "p" : "q", G0.plusSeconds(i), null));
                    }
                });
        List<StageRecord> page = read(tx -> tx.governance().stages(null, "open", 1, 2));
        List<StageRecord> ofQ = read(tx -> tx.governance().stages(List.of("q"), "open", 0, 10));
        List<StageRecord> ofNone = read(tx -> tx.governance().stages(List.of(), "open", 0, 10));
        int all = read(tx -> tx.governance().countStages(null, "open"));
        int ofP = read(tx -> tx.governance().countStages(List.of("p", "x"), "open"));
        int none = read(tx -> tx.governance().countStages(List.of(), "open"));
        write(tx -> tx.governance().decide("s0", "approved", G0.plusSeconds(9), "bob"));
        StageRecord decided = read(tx -> tx.governance().stage("s0")).orElseThrow();
        assertThat(page).extracting(StageRecord::id).as("newest first").containsExactly("s2", "s1");
        assertThat(ofQ).containsExactly(stage("s3", "q", G0.plusSeconds(3), null));
        assertThat(ofNone).isEmpty();
        assertThat(all).isEqualTo(4);
        assertThat(ofP).isEqualTo(3);
        assertThat(none).isZero();
        assertThat(decided.state()).isEqualTo("approved");
        assertThat(decided.decided()).isEqualTo(G0.plusSeconds(9));
        assertThat(decided.decidedBy()).isEqualTo("bob");
        assertThat(readInt(tx -> tx.governance().countStages(null, "open"))).isEqualTo(3);
        assertThat(readOptional(tx -> tx.governance().stage("nope"))).isEmpty();
    }

    @Test
    default void stagesExpireAndCoolOffByTheirTimes() {
        write(
                tx -> {
                    tx.governance().insertStage(stage("a", "p", G0, null));
                    tx.governance()
                            .insertStage(stage("b", "p", G0.plusSeconds(100), G0.plusSeconds(50)));
                });
        List<StageRecord> expired =
                read(tx -> tx.governance().stagesExpiredBy("open", G0.plusSeconds(3600)));
        List<StageRecord> cooled = read(tx -> tx.governance().stagesCooledOffBy("open", G0));
        List<StageRecord> cooledLater =
                read(tx -> tx.governance().stagesCooledOffBy("open", G0.plusSeconds(50)));
        assertThat(expired).extracting(StageRecord::id).containsExactly("a");
        assertThat(cooled).extracting(StageRecord::id).containsExactly("a");
        assertThat(cooledLater).extracting(StageRecord::id).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    default void anApprovalCountsOncePerUser() {
        write(tx -> tx.governance().insertStage(stage("s", "p", G0, null)));
        boolean first = store().write(tx -> tx.governance().approve("s", "bob", G0.plusSeconds(2)));
        boolean again = store().write(tx -> tx.governance().approve("s", "bob", G0.plusSeconds(3)));
        write(tx -> tx.governance().approve("s", "alice", G0.plusSeconds(1)));
        assertThat(first).isTrue();
        assertThat(again).isFalse();
        assertThat(readList(tx -> tx.governance().approvers("s"))).containsExactly("alice", "bob");
    }

    @Test
    default void changeRequestsAreListedApprovedAndDecided() {
        ChangeRequest r1 =
                new ChangeRequest(
                        "r1",
                        "p",
                        "owner.add",
                        "{}",
                        "alice",
                        2,
                        G0,
                        G0.plusSeconds(60),
                        "open",
                        null,
                        null);
        ChangeRequest r2 =
                new ChangeRequest(
                        "r2",
                        "q",
                        "access",
                        "{}",
                        "alice",
                        1,
                        G0.plusSeconds(1),
                        G0.plusSeconds(60),
                        "open",
                        null,
                        null);
        write(
                tx -> {
                    tx.governance().insertRequest(r2);
                    tx.governance().insertRequest(r1);
                });
        assertThat(readList(tx -> tx.governance().requests(null, "open"))).containsExactly(r1, r2);
        assertThat(readList(tx -> tx.governance().requests(List.of("q"), "open")))
                .containsExactly(r2);
        assertThat(readList(tx -> tx.governance().requests(List.of(), "open"))).isEmpty();
        boolean first = store().write(tx -> tx.governance().approveRequest("r1", "bob", G0));
        boolean again = store().write(tx -> tx.governance().approveRequest("r1", "bob", G0));
        write(tx -> tx.governance().decideRequest("r1", "applied", G0.plusSeconds(5), "bob"));
        assertThat(first).isTrue();
        assertThat(again).isFalse();
        assertThat(readList(tx -> tx.governance().requestApprovers("r1"))).containsExactly("bob");
        assertThat(readOptional(tx -> tx.governance().request("r1")))
                .contains(
                        new ChangeRequest(
                                "r1",
                                "p",
                                "owner.add",
                                "{}",
                                "alice",
                                2,
                                G0,
                                G0.plusSeconds(60),
                                "applied",
                                G0.plusSeconds(5),
                                "bob"));
        assertThat(readOptional(tx -> tx.governance().request("r3"))).isEmpty();
    }

    @Test
    default void successorsAreReplacedAsAWhole() {
        write(
                tx -> {
                    tx.governance().setSuccessors("p", List.of("bob", "carol"), "alice", G0);
                    tx.governance().setSuccessors("q", List.of("dave"), "alice", G0);
                    tx.governance().setSuccessors("p", List.of("erin"), "alice", G0.plusSeconds(1));
                });
        assertThat(readList(tx -> tx.governance().successors("p"))).containsExactly("erin");
        assertThat(readList(tx -> tx.governance().packagesWithSuccessors()))
                .containsExactly("p", "q");
        write(tx -> tx.governance().setSuccessors("q", List.of(), "alice", G0));
        assertThat(readList(tx -> tx.governance().packagesWithSuccessors())).containsExactly("p");
    }

    @Test
    default void successionNoticesAreListedByStateAndDecided() {
        Notice n1 =
                new Notice(
                        "n1", "p", "handover", "bob", G0, G0.plusSeconds(60), "posted", null, null);
        Notice n2 =
                new Notice(
                        "n2",
                        "q",
                        "claim",
                        "carol",
                        G0.plusSeconds(1),
                        G0.plusSeconds(60),
                        "posted",
                        null,
                        null);
        write(
                tx -> {
                    tx.governance().insertNotice(n2);
                    tx.governance().insertNotice(n1);
                    tx.governance().decideNotice("n2", "objected", G0.plusSeconds(2), "alice");
                });
        assertThat(readList(tx -> tx.governance().notices(null, List.of("posted"))))
                .containsExactly(n1);
        assertThat(readList(tx -> tx.governance().notices(null, List.of("posted", "objected"))))
                .extracting(Notice::id)
                .containsExactly("n1", "n2");
        assertThat(readList(tx -> tx.governance().notices("q", List.of("posted", "objected"))))
                .containsExactly(
                        new Notice(
                                "n2",
                                "q",
                                "claim",
                                "carol",
                                G0.plusSeconds(1),
                                G0.plusSeconds(60),
                                "objected",
                                G0.plusSeconds(2),
                                "alice"));
        assertThat(readOptional(tx -> tx.governance().notice("n1"))).contains(n1);
        assertThat(readOptional(tx -> tx.governance().notice("n3"))).isEmpty();
    }

    @Test
    default void osvRecordsAreNumberedPagedAndFoundByPackage() {
        byte[] json = "{\"id\":\"WARDEN-2026-7\"}".getBytes(StandardCharsets.UTF_8);
        write(
                tx -> {
                    tx.osvRows().put(new Row("WARDEN-2026-7", json, G0, false), List.of("p", "q"));
                    tx.osvRows().put(new Row("WARDEN-2026-12", json, G0, false), List.of("p"));
                    tx.osvRows().put(new Row("MAL-2026-3", json, G0, false), List.of("p"));
                    tx.osvRows().put(new Row("odd-id", json, G0, false), List.of());
                    // a second put replaces the document and the packages it affects
                    tx.osvRows()
                            .put(
                                    new Row("MAL-2026-3", new byte[] {1}, G0.plusSeconds(1), true),
                                    List.of("q"));
                });
        assertThat(readInt(tx -> tx.osvRows().lastNumber("WARDEN", 2026))).isEqualTo(12);
        assertThat(readInt(tx -> tx.osvRows().lastNumber("WARDEN", 2025))).isZero();
        assertThat(readList(tx -> tx.osvRows().affecting("p")))
                .extracting(Row::id)
                .containsExactly("WARDEN-2026-12", "WARDEN-2026-7");
        assertThat(readList(tx -> tx.osvRows().affecting("q")))
                .as("a withdrawn record affects nothing")
                .extracting(Row::id)
                .containsExactly("WARDEN-2026-7");
        assertThat(readList(tx -> tx.osvRows().page(null, 2)))
                .extracting(Row::id)
                .containsExactly("MAL-2026-3", "WARDEN-2026-12");
        assertThat(readList(tx -> tx.osvRows().page("WARDEN-2026-12", 10)))
                .extracting(Row::id)
                .containsExactly("WARDEN-2026-7", "odd-id");
        Row mal = read(tx -> tx.osvRows().get("MAL-2026-3")).orElseThrow();
        assertThat(mal.json()).containsExactly(1);
        assertThat(mal.withdrawn()).isTrue();
        assertThat(mal.modified()).isEqualTo(G0.plusSeconds(1));
        assertThat(readOptional(tx -> tx.osvRows().get("none"))).isEmpty();
    }

    private static Report report(String id, String version, String reporter, Instant at) {
        return new Report(
                id, "p", version, reporter, "steals tokens", at, "open", null, null, null, null);
    }

    @Test
    default void aReporterReportsAVersionOnceAndReportsAreDecidedOnce() {
        boolean first =
                store().write(tx -> tx.malwareReports().add(report("m1", "1.0.0", "bob", G0)));
        boolean again =
                store().write(tx -> tx.malwareReports().add(report("m2", "1.0.0", "bob", G0)));
        write(
                tx -> {
                    tx.malwareReports().add(report("m3", "1.0.0", "carol", G0.plusSeconds(1)));
                    tx.malwareReports().add(report("m4", "", "bob", G0.plusSeconds(2)));
                });
        assertThat(first).isTrue();
        assertThat(again).isFalse();
        assertThat(readOptional(tx -> tx.malwareReports().find("m1")))
                .contains(report("m1", "1.0.0", "bob", G0));
        assertThat(
                        read(tx -> tx.malwareReports().byReporter("p", "1.0.0", "carol"))
                                .map(Report::id))
                .contains("m3");
        assertThat(readList(tx -> tx.malwareReports().open("p", "1.0.0")))
                .extracting(Report::id)
                .containsExactly("m1", "m3");
        assertThat(readList(tx -> tx.malwareReports().list("open", null, 2)))
                .extracting(Report::id)
                .containsExactly("m1", "m3");
        assertThat(readList(tx -> tx.malwareReports().list("open", "q", 10))).isEmpty();
        assertThat(readList(tx -> tx.malwareReports().madeSince("bob", G0)))
                .containsExactly(G0.plusSeconds(2));

        boolean decided =
                store().write(
                                tx ->
                                        tx.malwareReports()
                                                .decide(
                                                        "m1",
                                                        "confirmed",
                                                        "admin",
                                                        "yes",
                                                        G0.plusSeconds(5),
                                                        "MAL-2026-1"));
        boolean twice =
                store().write(
                                tx ->
                                        tx.malwareReports()
                                                .decide(
                                                        "m1",
                                                        "dismissed",
                                                        "admin",
                                                        "no",
                                                        G0.plusSeconds(6),
                                                        null));
        assertThat(decided).isTrue();
        assertThat(twice).as("only an open report is decided").isFalse();
        assertThat(readOptional(tx -> tx.malwareReports().find("m1")))
                .contains(
                        new Report(
                                "m1",
                                "p",
                                "1.0.0",
                                "bob",
                                "steals tokens",
                                G0,
                                "confirmed",
                                "admin",
                                "yes",
                                G0.plusSeconds(5),
                                "MAL-2026-1"));
        assertThat(readList(tx -> tx.malwareReports().list("confirmed", "p", 10)))
                .extracting(Report::id)
                .containsExactly("m1");
    }

    @Test
    default void aConfirmedHoldStaysWhenTheReportsHoldsAreLifted() {
        write(
                tx -> {
                    tx.malwareReports()
                            .hold(new Hold("p", "1.0.0", "1.0.0", "reported", G0, false));
                    tx.malwareReports()
                            .hold(new Hold("p", "1.0.1", "1.0.0", "reported", G0, false));
                    tx.malwareReports()
                            .hold(new Hold("p", "2.0.0", "2.0.0", "reported", G0, false));
                    // an unconfirmed hold never weakens one; a confirmed one replaces it
                    tx.malwareReports()
                            .hold(
                                    new Hold(
                                            "p",
                                            "2.0.0",
                                            "2.0.0",
                                            "confirmed",
                                            G0.plusSeconds(1),
                                            true));
                    tx.malwareReports()
                            .hold(new Hold("p", "2.0.0", "x", "again", G0.plusSeconds(2), false));
                });
        assertThat(readOptional(tx -> tx.malwareReports().hold("p", "2.0.0")))
                .contains(new Hold("p", "2.0.0", "2.0.0", "confirmed", G0, true));
        List<String> lifted = store().write(tx -> tx.malwareReports().lift("p", "1.0.0"));
        List<String> none = store().write(tx -> tx.malwareReports().lift("p", "2.0.0"));
        assertThat(lifted).containsExactly("1.0.0", "1.0.1");
        assertThat(none).isEmpty();
        assertThat(readList(tx -> tx.malwareReports().holds("p")))
                .extracting(Hold::version)
                .containsExactly("2.0.0");
        assertThat(readOptional(tx -> tx.malwareReports().hold("p", "1.0.0"))).isEmpty();
    }

    private static Draft draft(String id, String pkg, String by, Instant created) {
        return new Draft(
                id, pkg, "<2.0.0", "high", "summary", null, "2.0.0", "[]", by, created, created,
                null);
    }

    @Test
    default void anAdvisoryDraftIsUpdatedAndSharedWithInvitedUsers() {
        Draft d = draft("d1", "p", "alice", G0);
        write(tx -> tx.advisoryDrafts().insert(d));
        Draft edited =
                new Draft(
                        "d1",
                        "p",
                        "<2.1.0",
                        "critical",
                        "new",
                        "details",
                        null,
                        "[\"u\"]",
                        "alice",
                        G0,
                        G0.plusSeconds(5),
                        "WARDEN-2026-1");
        write(tx -> tx.advisoryDrafts().update(edited));
        boolean invited =
                store().write(
                                tx ->
                                        tx.advisoryDrafts()
                                                .invite("d1", "bob", "alice", G0.plusSeconds(1)));
        boolean twice =
                store().write(
                                tx ->
                                        tx.advisoryDrafts()
                                                .invite("d1", "bob", "alice", G0.plusSeconds(2)));
        write(tx -> tx.advisoryDrafts().invite("d1", "carol", "alice", G0));
        assertThat(readOptional(tx -> tx.advisoryDrafts().find("d1"))).contains(edited);
        assertThat(readOptional(tx -> tx.advisoryDrafts().find("d2"))).isEmpty();
        assertThat(invited).isTrue();
        assertThat(twice).isFalse();
        assertThat(readFlag(tx -> tx.advisoryDrafts().isInvited("d1", "bob"))).isTrue();
        assertThat(readList(tx -> tx.advisoryDrafts().invites("d1")))
                .containsExactly(
                        new Invite("carol", "alice", G0),
                        new Invite("bob", "alice", G0.plusSeconds(1)));
        boolean uninvited = store().write(tx -> tx.advisoryDrafts().uninvite("d1", "bob"));
        boolean again = store().write(tx -> tx.advisoryDrafts().uninvite("d1", "bob"));
        assertThat(uninvited).isTrue();
        assertThat(again).isFalse();
        assertThat(readFlag(tx -> tx.advisoryDrafts().isInvited("d1", "bob"))).isFalse();
    }

    @Test
    default void commentsOnADraftKeepTheirOrderAndAreCounted() {
        write(
                tx -> {
                    tx.advisoryDrafts().insert(draft("d1", "p", "alice", G0));
                    tx.advisoryDrafts().comment("d1", "alice", "first", G0);
                    tx.advisoryDrafts().comment("d1", "bob", "second", G0);
                });
        List<Comment> comments = read(tx -> tx.advisoryDrafts().comments("d1"));
        assertThat(comments).extracting(Comment::text).containsExactly("first", "second");
        assertThat(comments.get(1).user()).isEqualTo("bob");
        assertThat(comments.get(1).at()).isEqualTo(G0);
        assertThat(comments.get(0).id()).isLessThan(comments.get(1).id());
        assertThat(readInt(tx -> tx.advisoryDrafts().commentCount("d1"))).isEqualTo(2);
        assertThat(readInt(tx -> tx.advisoryDrafts().commentCount("d2"))).isZero();
    }

    @Test
    default void draftCandidatesAreTheUsersOwnInvitedOrOfTheirPackages() {
        write(
                tx -> {
                    tx.advisoryDrafts().insert(draft("own", "x", "bob", G0));
                    tx.advisoryDrafts().insert(draft("invited", "y", "alice", G0.plusSeconds(1)));
                    tx.advisoryDrafts()
                            .insert(draft("maintained", "p", "alice", G0.plusSeconds(2)));
                    tx.advisoryDrafts().insert(draft("other", "z", "alice", G0.plusSeconds(3)));
                    tx.advisoryDrafts().invite("invited", "bob", "alice", G0);
                });
        List<Draft> withPackages =
                read(tx -> tx.advisoryDrafts().candidates("bob", List.of("p", "q"), 10));
        List<Draft> without = read(tx -> tx.advisoryDrafts().candidates("bob", List.of(), 10));
        List<Draft> one = read(tx -> tx.advisoryDrafts().candidates("bob", List.of("p"), 1));
        assertThat(withPackages)
                .extracting(Draft::id)
                .containsExactly("maintained", "invited", "own");
        assertThat(without).extracting(Draft::id).containsExactly("invited", "own");
        assertThat(one).extracting(Draft::id).containsExactly("maintained");
    }

    @Test
    default void aFailedWriteOfSeveralViewsLeavesNone() {
        try {
            write(
                    tx -> {
                        tx.governance().insertStage(stage("s", "p", G0, null));
                        tx.malwareReports().add(report("m", "1.0.0", "bob", G0));
                        tx.advisoryDrafts().insert(draft("d", "p", "bob", G0));
                        throw new IllegalStateException("boom");
                    });
        } catch (IllegalStateException expected) {
            assertThat(expected).hasMessage("boom");
        }
        Optional<StageRecord> stage = read(tx -> tx.governance().stage("s"));
        Optional<Report> report = read(tx -> tx.malwareReports().find("m"));
        Optional<Draft> draft = read(tx -> tx.advisoryDrafts().find("d"));
        assertThat(stage).isEmpty();
        assertThat(report).isEmpty();
        assertThat(draft).isEmpty();
    }
}
