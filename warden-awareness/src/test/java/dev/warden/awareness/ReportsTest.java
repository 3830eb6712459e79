package dev.warden.awareness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.accounts.Principal;
import dev.warden.accounts.SecurityLog;
import dev.warden.common.Problem;
import dev.warden.storage.MalwareReports.Report;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.MetadataStore.ReadTx;
import dev.warden.storage.MetadataStore.WriteTx;
import dev.warden.storage.Users.UserRecord;
import dev.warden.storage.embedded.EmbeddedStorage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

class ReportsTest {

    static final String PKG = "left-padd";

    @TempDir Path dir;
    MetadataStore store;
    Reports reports;
    final MovableClock clock = new MovableClock(Instant.parse("2026-12-05T06:00:00Z"));
    final FakePackages packages = new FakePackages();
    final List<String[]> mails = new ArrayList<>();

    @BeforeEach
    void open() {
        store = EmbeddedStorage.metadata(dir.resolve("warden.db"));
        for (String u : List.of("alice", "bob", "carol", "dave", "eve", "mallory", "root")) {
            store.write(
                    tx -> {
                        tx.users()
                                .insert(
                                        new UserRecord(
                                                u,
                                                u + "@example.invalid",
                                                "x",
                                                clock.instant(),
                                                u.equals("root")));
                        return null;
                    });
        }
        reports = reports(new ReportSettings(Set.of("alice", "bob", "carol"), 2, 3, 30));
    }

    private Reports reports(ReportSettings settings) {
        return new Reports(
                store,
                packages,
                settings,
                (user, to, subject, body) -> mails.add(new String[] {user, subject, body}),
                new SecurityLog(store, clock, (u, t, s, b) -> {}),
                clock,
                "http://registry.invalid");
    }

    @AfterEach
    void close() {
        store.close();
    }

    static Principal as(String user) {
        return new Principal(user, false, null);
    }

    static InetAddress address(int last) throws Exception {
        return InetAddress.getByName("198.51.100." + last);
    }

    private Reports.Filed report(String user, String version) throws Exception {
        return reports.report(as(user), address(7), PKG, version, "posts ~/.npmrc to a new host");
    }

    private List<Report> stored() {
        List<Report> all = new ArrayList<>();
        store.read(
                tx -> {
                    for (String s : List.of("open", "confirmed", "dismissed")) {
                        all.addAll(tx.malwareReports().list(s, null, 1000));
                    }
                    return null;
                });
        return all;
    }

    private boolean withheld(String version) {
        return store.read(tx -> tx.malwareReports().hold(PKG, version)).isPresent();
    }

    @Test
    void twoTrustedReportersQuarantineTheVersionAtOnce() throws Exception {
        assertThat(report("alice", "1.0.1").quarantined()).isFalse();
        assertThat(withheld("1.0.1")).isFalse();
        Reports.Filed second = report("bob", "1.0.1");
        assertThat(second.quarantined()).isTrue();
        assertThat(withheld("1.0.1")).isTrue();
        assertThat(withheld("1.0.0")).isFalse();
        assertThat(packages.changed).containsExactly(PKG + "=[1.0.1]");
        assertThat(packages.kinds())
                .containsExactly("report.received", "report.received", "report.quarantined");
        assertThat(store.read(tx -> tx.malwareReports().hold(PKG, "1.0.1")).orElseThrow().message())
                .contains("left-padd@1.0.1 is quarantined: 2 trusted reporters reported it");
    }

    @Test
    void ordinaryUsersReportsNeverQuarantine() throws Exception {
        for (String u : List.of("dave", "eve", "mallory", "root")) {
            report(u, "1.0.1");
        }
        report("alice", "1.0.1");
        assertThat(withheld("1.0.1")).isFalse();
        assertThat(packages.changed).isEmpty();
    }

    @Test
    void aRepeatedReportCountsOnceAndStoresNothing() throws Exception {
        Reports.Filed first = report("alice", "1.0.1");
        Reports.Filed again = report("alice", "1.0.1");
        assertThat(again.duplicate()).isTrue();
        assertThat(again.report().id()).isEqualTo(first.report().id());
        assertThat(stored()).hasSize(1);
        assertThat(withheld("1.0.1")).isFalse();
    }

    @Test
    void aWholePackageReportQuarantinesEveryVersion() throws Exception {
        report("alice", null);
        report("bob", "");
        assertThat(withheld("1.0.0")).isTrue();
        assertThat(withheld("1.0.1")).isTrue();
    }

    @Test
    void confirmingPublishesAMalRecordAndKeepsTheQuarantine() throws Exception {
        report("alice", "1.0.1");
        String id = report("bob", "1.0.1").report().id();
        Report decided = reports.decide(as("root"), id, "confirmed", "exfiltrates tokens", null);
        assertThat(decided.state()).isEqualTo("confirmed");
        assertThat(decided.osvId()).isEqualTo("MAL-2026-1");
        assertThat(stored()).allMatch(r -> r.state().equals("confirmed"));
        var hold = store.read(tx -> tx.malwareReports().hold(PKG, "1.0.1")).orElseThrow();
        assertThat(hold.confirmed()).isTrue();
        assertThat(hold.message()).contains("MAL-2026-1");
        OsvRecord mal = new OsvRecords(store).get("MAL-2026-1").orElseThrow();
        assertThat(mal.severity()).isEqualTo(AdvisorySeverity.CRITICAL);
        assertThat(mal.affects(PKG, "1.0.1")).isTrue();
        assertThat(mal.affects(PKG, "1.0.0")).isFalse();
        assertThat(OsvRecordTest.schema().validate(mal.toJson())).isEmpty();
        assertThat(packages.kinds()).endsWith("report.confirmed");
    }

    @Test
    void aConfirmationNamesTheVersionsAffected() throws Exception {
        String id = report("dave", "1.0.1").report().id();
        reports.decide(as("alice"), id, "confirmed", "both", List.of("1.0.0", "1.0.1"));
        assertThat(withheld("1.0.0")).isTrue();
        assertThat(withheld("1.0.1")).isTrue();
        OsvRecord mal = new OsvRecords(store).get("MAL-2026-1").orElseThrow();
        assertThat(mal.affected().get(0).versions()).containsExactly("1.0.0", "1.0.1");
    }

    @Test
    void dismissingLiftsTheQuarantineTheReportsCaused() throws Exception {
        report("alice", "1.0.1");
        String id = report("bob", "1.0.1").report().id();
        reports.decide(as("carol"), id, "dismissed", "a false positive: the host is theirs", null);
        assertThat(withheld("1.0.1")).isFalse();
        assertThat(stored()).allMatch(r -> r.state().equals("dismissed"));
        assertThat(packages.changed).containsExactly(PKG + "=[1.0.1]", PKG + "=[1.0.1]");
    }

    @Test
    void dismissingOneVersionsReportsLeavesAConfirmedVersionWithheld() throws Exception {
        String first = report("dave", "1.0.0").report().id();
        reports.decide(as("root"), first, "confirmed", "malware", List.of("1.0.0", "1.0.1"));
        String other = report("eve", "1.0.1").report().id();
        reports.decide(as("root"), other, "dismissed", "already confirmed", null);
        assertThat(withheld("1.0.1")).isTrue();
    }

    @Test
    void aDecidedReportIsNotDecidedAgain() throws Exception {
        String id = report("dave", "1.0.1").report().id();
        reports.decide(as("root"), id, "dismissed", "nothing there", null);
        assertThatThrownBy(() -> reports.decide(as("alice"), id, "confirmed", "it is", null))
                .hasMessage("report " + id + " is already dismissed");
    }

    @Test
    void aMaintainerCannotTriageReportsAboutTheirPackage() throws Exception {
        packages.maintainers.add("root");
        String id = report("dave", "1.0.1").report().id();
        assertThatThrownBy(() -> reports.decide(as("root"), id, "dismissed", "fine", null))
                .hasMessageContaining("you maintain left-padd");
        assertThat(reports.list(as("root"), "open", null)).isEmpty();
        assertThatThrownBy(() -> reports.get(as("root"), id)).hasMessage("no report with this id");
        assertThat(stored()).allMatch(r -> r.state().equals("open"));
    }

    @Test
    void anOrdinaryUserNeitherListsNorDecidesNorReadsOthersReports() throws Exception {
        String id = report("dave", "1.0.1").report().id();
        assertThatThrownBy(() -> reports.list(as("eve"), null, null))
                .hasMessage("only administrators and trusted reporters triage malware reports");
        assertThatThrownBy(() -> reports.get(as("eve"), id)).hasMessage("no report with this id");
        assertThatThrownBy(() -> reports.decide(as("eve"), id, "dismissed", "x", null))
                .hasMessage("no report with this id");
        assertThat(reports.get(as("dave"), id).reason()).isEqualTo("posts ~/.npmrc to a new host");
        assertThatThrownBy(() -> reports.decide(as("dave"), id, "dismissed", "x", null))
                .hasMessage("only administrators and trusted reporters triage malware reports");
    }

    @Test
    void badInputIsRefusedWithTheReasonAndStoresNothing() throws Exception {
        assertThatThrownBy(() -> reports.report(as("dave"), address(1), "no-such", "1.0.0", "x"))
                .hasMessage("there is no package named no-such");
        assertThatThrownBy(() -> report("dave", "9.9.9"))
                .hasMessage("left-padd has no version 9.9.9");
        assertThatThrownBy(() -> report("dave", "not a version"))
                .hasMessage("'not a version' is not a version");
        assertThatThrownBy(
                        () ->
                                reports.report(
                                        as("dave"), address(1), PKG, "1.0.1", "x".repeat(4001)))
                .hasMessage("the reason is 4001 characters long; at most 4000");
        assertThatThrownBy(() -> reports.report(as("dave"), address(1), PKG, "1.0.1", "  "))
                .hasMessage("the reason is empty: say what you found");
        assertThatThrownBy(() -> reports.report(as("dave"), address(1), PKG, "1.0.1", "a\u0000b"))
                .hasMessage("the reason contains a control character (U+0000)");
        assertThatThrownBy(() -> reports.report(as("dave"), address(1), "../etc", "1.0.1", "x"))
                .hasMessage("'../etc' is not a package name");
        assertThatThrownBy(() -> reports.get(as("root"), "rpt-aaaaaaaaaaaaaaaaaaaaaaaaaa"))
                .hasMessage("no report with this id");
        assertThatThrownBy(() -> reports.get(as("root"), "' OR 1=1 --"))
                .hasMessage("no report with this id");
        assertThatThrownBy(() -> reports.report(null, address(1), PKG, "1.0.1", "x"))
                .hasMessage("sign in to report malware");
        assertThat(stored()).isEmpty();
        assertThat(packages.kinds()).isEmpty();
    }

    @Test
    void aDecisionNeedsAKnownWordANoteAndRealVersions() throws Exception {
        String id = report("dave", "1.0.1").report().id();
        assertThatThrownBy(() -> reports.decide(as("root"), id, "deleted", "x", null))
                .hasMessage("decision must be confirmed or dismissed, not 'deleted'");
        assertThatThrownBy(() -> reports.decide(as("root"), id, "confirmed", "", null))
                .hasMessage("the note is empty: say what you found");
        assertThatThrownBy(() -> reports.decide(as("root"), id, "confirmed", "x", List.of("7.0.0")))
                .hasMessage("left-padd has no version '7.0.0'");
        assertThatThrownBy(
                        () ->
                                reports.decide(
                                        new Principal("root", true, null),
                                        id,
                                        "confirmed",
                                        "x",
                                        null))
                .hasMessage("this token is read-only: triage needs a read-write one");
        assertThat(stored()).allMatch(r -> r.state().equals("open"));
        assertThat(new OsvRecords(store).affecting(PKG)).isEmpty();
    }

    @Test
    void anAccountMakesAtMostTheDaysReports() throws Exception {
        report("dave", "1.0.0");
        report("dave", "1.0.1");
        report("dave", null);
        packages.versions.add("1.0.2");
        assertThatThrownBy(() -> report("dave", "1.0.2"))
                .isInstanceOfSatisfying(
                        Problem.class,
                        p -> {
                            assertThat(p.kind()).isEqualTo(Problem.Kind.TOO_MANY_REQUESTS);
                            assertThat(p.getMessage())
                                    .startsWith(
                                            "this account made 3 reports in the last 24 hours,"
                                                    + " the most it may");
                            assertThat(p.retryAfter()).contains(Duration.ofDays(1));
                        });
        assertThat(stored()).hasSize(3);
        clock.advance(Duration.ofHours(25));
        report("dave", "1.0.2");
        assertThat(stored()).hasSize(4);
    }

    @Test
    void anAddressSendsAtMostTheHoursReportsWhateverTheAccount() throws Exception {
        Reports tight = reports(new ReportSettings(Set.of(), 2, 20, 2));
        tight.report(as("dave"), address(9), PKG, "1.0.0", "x");
        tight.report(as("eve"), address(9), PKG, "1.0.0", "x");
        assertThatThrownBy(() -> tight.report(as("mallory"), address(9), PKG, "1.0.0", "x"))
                .hasMessageStartingWith("too many reports from this address");
        tight.report(as("mallory"), address(10), PKG, "1.0.0", "x");
        assertThat(stored()).hasSize(3);
    }

    @Test
    void maintainersAndReportersAreToldEachStepWithoutTheReportersName() throws Exception {
        packages.maintainers.add("carol");
        report("alice", "1.0.1");
        report("bob", "1.0.1");
        List<String[]> toCarol = mails.stream().filter(m -> m[0].equals("carol")).toList();
        assertThat(toCarol)
                .extracting(m -> m[1])
                .containsExactly(
                        "Warden: left-padd@1.0.1 was reported as malware",
                        "Warden: left-padd@1.0.1 was reported as malware",
                        "Warden: left-padd@1.0.1 is quarantined after malware reports");
        // as words: a random report id may hold the letters "bob"
        assertThat(toCarol).noneMatch(m -> m[2].matches("(?s).*\\b(alice|bob)\\b.*"));
        assertThat(toCarol.get(0)[2]).contains("    posts ~/.npmrc to a new host");
        assertThat(mails.stream().filter(m -> m[0].equals("alice")).map(m -> m[1]))
                .contains("Warden: your malware report of left-padd@1.0.1 was received");
        var history = store.read(tx -> tx.securityEvents().list("carol", 0, 10));
        assertThat(history).extracting(e -> e.kind()).contains("package.quarantined");
    }

    /** The registry's side, in memory. */
    static final class FakePackages implements ReportedPackages {
        final List<String> versions = new ArrayList<>(List.of("1.0.0", "1.0.1"));
        final List<String> maintainers = new ArrayList<>();
        final List<String> changed = new ArrayList<>();
        final List<String> logged = new ArrayList<>();

        List<String> kinds() {
            return logged;
        }

        @Override
        public void requireReadable(String pkg, Principal reader) {}

        @Override
        public List<String> versions(ReadTx tx, String pkg) {
            return pkg.equals(PKG) ? List.copyOf(versions) : List.of();
        }

        @Override
        public List<String> maintainers(ReadTx tx, String pkg) {
            return List.copyOf(maintainers);
        }

        @Override
        public boolean mayMaintain(ReadTx tx, String pkg, String user) {
            return maintainers.contains(user);
        }

        @Override
        public Statements statements() {
            List<String> pending = new ArrayList<>();
            return new Statements() {
                @Override
                public void record(
                        WriteTx tx,
                        String kind,
                        String pkg,
                        String version,
                        String actor,
                        Instant at,
                        Map<String, Object> detail) {
                    pending.add(kind);
                }

                @Override
                public List<Long> log() {
                    logged.addAll(pending);
                    return List.of();
                }
            };
        }

        @Override
        public void withheldChanged(String pkg, List<String> versions) {
            changed.add(pkg + "=" + versions);
        }
    }

    static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
