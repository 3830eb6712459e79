package dev.warden.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.storage.MetadataStore;
import dev.warden.storage.Upstreams.Quarantine;
import dev.warden.storage.Upstreams.UpstreamEvent;
import dev.warden.storage.embedded.EmbeddedStorage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

class OsvFeedTest {

    private static final Instant T0 = Instant.parse("2026-06-01T08:00:00Z");
    private static final String FEED = "https://osv.invalid/npm/all.zip";

    // Records in OSV's schema (https://ossf.github.io/osv-schema/), shaped as osv.dev serves the
    // OpenSSF malicious-packages reports.
    private static final String COLORS =
            """
            {"schema_version": "1.5.0", "id": "MAL-2026-1001",
             "modified": "2026-05-30T10:00:00Z", "published": "2026-05-30T09:00:00Z",
             "summary": "Malicious code in evil-colors (npm)",
             "details": "The package runs a preinstall script that sends\\n~/.npmrc away.",
             "affected": [{"package": {"ecosystem": "npm", "name": "evil-colors"},
                           "versions": ["1.4.1", "1.4.2"],
                           "database_specific": {"source": "ghsa-malware"}}],
             "database_specific": {"malicious-packages-origins": []}}
            """;
    private static final String TYPOSQUAT =
            """
            {"schema_version": "1.5.0", "id": "MAL-2026-1002",
             "modified": "2026-05-31T10:00:00Z", "published": "2026-05-31T10:00:00Z",
             "summary": "Malicious code in @typo/reqeusts (npm)",
             "affected": [{"package": {"ecosystem": "npm", "name": "@typo/reqeusts"},
                           "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}]}]}]}
            """;
    private static final String VULNERABILITY =
            """
            {"schema_version": "1.5.0", "id": "GHSA-p6mc-m468-83gw",
             "modified": "2026-05-31T10:00:00Z", "summary": "Prototype Pollution in lodash",
             "aliases": ["CVE-2020-8203"],
             "affected": [{"package": {"ecosystem": "npm", "name": "lodash"},
                           "versions": ["4.17.15"]}]}
            """;
    private static final String PYPI =
            """
            {"schema_version": "1.5.0", "id": "MAL-2026-1003",
             "modified": "2026-05-31T10:00:00Z", "summary": "Malicious code in requessts (PyPI)",
             "affected": [{"package": {"ecosystem": "PyPI", "name": "requessts"},
                           "versions": ["1.0.0"]}]}
            """;
    private static final String WITHDRAWN =
            """
            {"schema_version": "1.5.0", "id": "MAL-2026-1004",
             "modified": "2026-05-31T10:00:00Z", "withdrawn": "2026-05-31T12:00:00Z",
             "summary": "Malicious code in honest-pkg (npm)",
             "affected": [{"package": {"ecosystem": "npm", "name": "honest-pkg"}}]}
            """;
    private static final String TWO_ECOSYSTEMS =
            """
            {"schema_version": "1.5.0", "id": "MAL-2026-1005", "modified": "2026-05-31T10:00:00Z",
             "affected": [{"package": {"ecosystem": "crates.io", "name": "stealer"}},
                          {"package": {"ecosystem": "npm", "name": "stealer"},
                           "versions": ["0.0.1"]}]}
            """;

    @TempDir Path dir;
    private MetadataStore store;
    private final StatementLog log = new StatementLog();
    private final SteppedClock clock = new SteppedClock(T0);
    private Quarantines quarantines;

    @BeforeEach
    void open() {
        store = EmbeddedStorage.metadata(dir.resolve("osv.db"));
        quarantines = new Quarantines(store, log, clock);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private OsvFeed feed(FeedUpstream upstream) {
        return feed(upstream, OsvFeed.Limits.DEFAULT);
    }

    private OsvFeed feed(FeedUpstream upstream, OsvFeed.Limits limits) {
        return new OsvFeed(FEED, upstream, store, quarantines, clock, limits);
    }

    private static byte[] array(String... records) {
        return ("[" + String.join(",", records) + "]").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private List<Quarantine> all() {
        return store.read(tx -> tx.upstreams().quarantines(1000));
    }

    private List<UpstreamEvent> events() {
        return store.read(tx -> tx.upstreams().events(100));
    }

    @Test
    void newMalwareAdvisoriesForNpmBecomeQuarantines() {
        FeedUpstream upstream =
                new FeedUpstream(
                        array(COLORS, TYPOSQUAT, VULNERABILITY, PYPI, WITHDRAWN, TWO_ECOSYSTEMS),
                        "\"v1\"");

        int added = feed(upstream).refresh();

        assertThat(added).isEqualTo(4);
        assertThat(quarantines.of("evil-colors"))
                .containsExactly(
                        new Quarantine(
                                "evil-colors",
                                "1.4.1",
                                "Malicious code in evil-colors (npm)",
                                "MAL-2026-1001",
                                T0),
                        new Quarantine(
                                "evil-colors",
                                "1.4.2",
                                "Malicious code in evil-colors (npm)",
                                "MAL-2026-1001",
                                T0));
        assertThat(quarantines.refusal("@typo/reqeusts", "3.0.0"))
                .as("no versions listed: every version")
                .contains(
                        "@typo/reqeusts@3.0.0 is quarantined: Malicious code in @typo/reqeusts"
                                + " (npm) (MAL-2026-1002)");
        assertThat(quarantines.refusal("stealer", "0.0.1"))
                .as("no summary: the reason says what the advisory is")
                .contains("stealer@0.0.1 is quarantined: malicious package (MAL-2026-1005)");
        assertThat(log.logged)
                .extracting(StatementLog.Statement::kind)
                .containsOnly("proxy.quarantined")
                .hasSize(4);
        assertThat(events()).isEmpty();
        FeedUpstream.Call call = upstream.calls.get(0);
        assertThat(call.uplink().name()).isEqualTo("osv");
        assertThat(call.uri()).isEqualTo(URI.create(FEED));
        assertThat(call.limit()).isEqualTo(64L << 20);
    }

    @Test
    void vulnerabilitiesOtherEcosystemsAndWithdrawnAdvisoriesAreSkipped() {
        feed(new FeedUpstream(array(VULNERABILITY, PYPI, WITHDRAWN, TWO_ECOSYSTEMS), null))
                .refresh();

        assertThat(quarantines.of("lodash")).as("GHSA: a vulnerability, not malware").isEmpty();
        assertThat(quarantines.of("requessts")).as("a PyPI package").isEmpty();
        assertThat(quarantines.of("honest-pkg")).as("a withdrawn advisory").isEmpty();
        assertThat(all()).extracting(Quarantine::name).containsExactly("stealer");
    }

    @Test
    void aFeedReadAgainAddsNothingNew() {
        FeedUpstream upstream = new FeedUpstream(array(COLORS, TYPOSQUAT), null);
        OsvFeed osv = feed(upstream);

        int first = osv.refresh();
        upstream.body = array(COLORS, TYPOSQUAT, TWO_ECOSYSTEMS);
        int second = osv.refresh();

        assertThat(first).isEqualTo(3);
        assertThat(second).as("only the new advisory's version").isEqualTo(1);
        assertThat(log.recorded).hasSize(4);
        assertThat(all()).hasSize(4);
    }

    @Test
    void anUnchangedFeedIsRevalidatedByItsEtag() {
        FeedUpstream upstream = new FeedUpstream(array(COLORS), "\"v1\"");
        OsvFeed osv = feed(upstream);

        osv.refresh();
        int again = osv.refresh();

        assertThat(again).isZero();
        assertThat(upstream.calls)
                .extracting(FeedUpstream.Call::ifNoneMatch)
                .containsExactly(null, "\"v1\"");
    }

    @Test
    void anAdvisoryDoesNotReplaceAnAdminsQuarantine() {
        quarantines.quarantine("evil-colors", "1.4.1", "seen in our CI first", "ann");

        int added = feed(new FeedUpstream(array(COLORS), null)).refresh();

        assertThat(added).isEqualTo(1);
        assertThat(quarantines.refusal("evil-colors", "1.4.1"))
                .contains("evil-colors@1.4.1 is quarantined: seen in our CI first (admin:ann)");
    }

    @Test
    void aZipOfRecordsWorksAsOsvDevServesIt() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("MAL-2026-1001.json", utf8(COLORS));
        entries.put("GHSA-p6mc-m468-83gw.json", utf8(VULNERABILITY));
        entries.put("MAL-2026-1002.json", utf8(TYPOSQUAT));
        entries.put("README.txt", utf8("not a record"));

        int added = feed(new FeedUpstream(zip(entries), null)).refresh();

        assertThat(added).isEqualTo(3);
        assertThat(all())
                .extracting(Quarantine::name, Quarantine::version)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("evil-colors", "1.4.1"),
                        org.assertj.core.groups.Tuple.tuple("evil-colors", "1.4.2"),
                        org.assertj.core.groups.Tuple.tuple("@typo/reqeusts", "*"));
    }

    @Test
    void aZipBombIsRefusedAndChangesNothing() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("MAL-2026-1001.json", utf8(COLORS));
        entries.put("MAL-2026-9999.json", new byte[5 << 20]); // 5 MiB of zeros, ~5 KiB zipped
        byte[] bomb = zip(entries);
        assertThat(bomb.length).isLessThan(64 * 1024);

        int added = feed(new FeedUpstream(bomb, null)).refresh();

        assertThat(added).isZero();
        assertThat(all()).isEmpty();
        assertThat(log.recorded).isEmpty();
        assertThat(events())
                .singleElement()
                .satisfies(
                        e -> {
                            assertThat(e.kind()).isEqualTo("osv.invalid");
                            assertThat(e.uplink()).isEqualTo("osv");
                            assertThat(e.detail())
                                    .isEqualTo(
                                            "zip entry MAL-2026-9999.json inflates to more than"
                                                    + " 4194304 bytes");
                        });
    }

    @Test
    void aZipInflatingPastItsTotalBoundIsRefused() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < 4; i++) {
            // valid records, padded with white space that zips to almost nothing
            entries.put("MAL-2026-" + i + ".json", utf8(COLORS + " ".repeat(100_000)));
        }
        OsvFeed.Limits limits = new OsvFeed.Limits(1 << 20, 100, 200_000, 300_000);

        int added = feed(new FeedUpstream(zip(entries), null), limits).refresh();

        assertThat(added).isZero();
        assertThat(events())
                .extracting(UpstreamEvent::detail)
                .containsExactly("the zip inflates to more than 300000 bytes");
    }

    @Test
    void aFeedOverItsSizeIsRefusedAndChangesNothing() {
        OsvFeed.Limits limits = new OsvFeed.Limits(1_000, 100, 1_000, 10_000);
        FeedUpstream upstream = new FeedUpstream(array(COLORS, TYPOSQUAT, TWO_ECOSYSTEMS), null);
        assertThat(upstream.body.length).isGreaterThan(1_000);

        int added = feed(upstream, limits).refresh();

        assertThat(added).isZero();
        assertThat(all()).isEmpty();
        assertThat(upstream.calls.get(0).limit()).isEqualTo(1_000);
        assertThat(events())
                .extracting(UpstreamEvent::kind, UpstreamEvent::detail)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "osv.invalid",
                                "the feed could not be read: "
                                        + FEED
                                        + ": the body is longer than 1000 bytes"));
    }

    @Test
    void moreRecordsThanTheBoundAreRefused() {
        OsvFeed.Limits limits = new OsvFeed.Limits(1 << 20, 2, 1 << 20, 1 << 20);

        int added =
                feed(new FeedUpstream(array(COLORS, TYPOSQUAT, TWO_ECOSYSTEMS), null), limits)
                        .refresh();

        assertThat(added).isZero();
        assertThat(all()).isEmpty();
        assertThat(events())
                .extracting(UpstreamEvent::detail)
                .containsExactly("the feed has more than 2 records");
    }

    @Test
    void malformedJsonChangesNothingEvenAfterGoodRecords() {
        byte[] truncated = utf8("[" + COLORS + "," + TYPOSQUAT + ", {\"id\": \"MAL-2026-");

        int added = feed(new FeedUpstream(truncated, "\"v1\"")).refresh();

        assertThat(added).isZero();
        assertThat(all()).isEmpty();
        assertThat(log.recorded).isEmpty();
        assertThat(events())
                .singleElement()
                .satisfies(
                        e -> {
                            assertThat(e.kind()).isEqualTo("osv.invalid");
                            assertThat(e.detail()).startsWith("the feed is not valid JSON: ");
                        });
    }

    @Test
    void aFeedThatIsNotAnArrayOfRecordsIsInvalid() {
        assertInvalid(utf8(COLORS), "the feed is neither a JSON array of OSV records nor a zip");
        assertInvalid(utf8("[\"MAL-2026-1\"]"), "record 1 is not a JSON object");
        assertInvalid(utf8("[] []"), "the feed has content after its JSON array");
    }

    @Test
    void aZipEntryThatIsNotJsonIsInvalid() throws IOException {
        assertInvalid(
                zip(Map.of("MAL-2026-1.json", utf8("{\"id\": "))),
                "zip entry MAL-2026-1.json is not valid JSON: ");
    }

    @Test
    void anUplinkErrorIsReportedAndChangesNothing() {
        FeedUpstream upstream = new FeedUpstream(array(COLORS), null);
        upstream.status = 503;
        assertThat(feed(upstream).refresh()).isZero();
        upstream.status = 200;
        upstream.failure = new IOException("osv.invalid: connection refused");
        assertThat(feed(upstream).refresh()).isZero();

        assertThat(all()).isEmpty();
        assertThat(events())
                .extracting(UpstreamEvent::detail)
                .containsExactly(
                        "the feed could not be read: osv.invalid: connection refused",
                        "the feed answered HTTP 503");
    }

    @Test
    void aRecordNamingAPackageTheProxyCouldNeverServeIsSkippedAndReported() {
        String bad =
                """
                {"id": "MAL-2026-2000", "summary": "x",
                 "affected": [{"package": {"ecosystem": "npm", "name": "../../etc"}},
                              {"package": {"ecosystem": "npm", "name": "ok-name"},
                               "versions": ["not a version", "1.0.0"]}]}
                """;

        int added = feed(new FeedUpstream(array(bad, COLORS), null)).refresh();

        assertThat(added).isEqualTo(3);
        assertThat(quarantines.of("ok-name"))
                .extracting(Quarantine::version)
                .containsExactly("1.0.0");
        assertThat(events())
                .singleElement()
                .satisfies(
                        e -> {
                            assertThat(e.kind()).isEqualTo("osv.skipped");
                            assertThat(e.detail())
                                    .startsWith(
                                            "2 record(s) skipped, the first: MAL-2026-2000:"
                                                    + " invalid package name \"../../etc\"");
                        });
    }

    @Test
    void aLongOrMultiLineSummaryBecomesABoundedOneLineReason() {
        String record =
                "{\"id\": \"MAL-2026-3000\", \"summary\": \"line one\\nline two "
                        + "y".repeat(2000)
                        + "\", \"affected\": [{\"package\": {\"ecosystem\": \"npm\", \"name\":"
                        + " \"long-one\"}}]}";

        feed(new FeedUpstream(array(record), null)).refresh();

        String reason = quarantines.of("long-one").get(0).reason();
        assertThat(reason).startsWith("line one line two yyy").endsWith("...").hasSize(1000);
    }

    @Test
    void noFeedConfiguredReadsNothing() {
        FeedUpstream upstream = new FeedUpstream(array(COLORS), null);
        OsvFeed none = new OsvFeed("", upstream, store, quarantines, clock, OsvFeed.Limits.DEFAULT);

        assertThat(none.refresh()).isZero();
        assertThat(upstream.calls).isEmpty();
    }

    @Test
    void aFeedThatIsNoHttpUrlIsRefusedAtStart() {
        FeedUpstream upstream = new FeedUpstream(array(), null);
        assertThatThrownBy(
                        () ->
                                new OsvFeed(
                                        "file:///etc/passwd",
                                        upstream,
                                        store,
                                        quarantines,
                                        clock,
                                        OsvFeed.Limits.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("proxy.osv_feed must be an http(s) URL, not \"file:///etc/passwd\"");
    }

    private void assertInvalid(byte[] body, String detail) {
        int before = events().size();
        int added = feed(new FeedUpstream(body, null)).refresh();
        assertThat(added).isZero();
        assertThat(all()).isEmpty();
        List<UpstreamEvent> events = events();
        assertThat(events).hasSize(before + 1);
        assertThat(events.get(0).kind()).isEqualTo("osv.invalid");
        assertThat(events.get(0).detail()).startsWith(detail);
    }
}
