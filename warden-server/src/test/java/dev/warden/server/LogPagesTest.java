package dev.warden.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.log.Checkpoint;
import dev.warden.log.KeyFiles;
import dev.warden.log.Note;
import dev.warden.log.NoteKey;
import dev.warden.server.testing.Http;
import dev.warden.server.testing.Tarballs;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The log explorer's pages over HTTP: the log's page, an entry by index and by package version, and
 * consistency by sizes or from a pasted checkpoint; every client mistake is a 4xx page naming it.
 */
class LogPagesTest {

    static TestServer server;
    static Http http;
    static String firstCheckpoint;
    static long size;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        http = server.http();
        String token = server.token("lena");
        assertThat(http.put("/log-pkg", token, Tarballs.publishBody("log-pkg", "1.0.0")).status())
                .isEqualTo(200);
        firstCheckpoint = http.get("/-/log/checkpoint").body();
        assertThat(http.put("/log-pkg", token, Tarballs.publishBody("log-pkg", "1.1.0")).status())
                .isEqualTo(200);
        assertThat(
                        http.put(
                                        Tarballs.path("@lena/scoped"),
                                        token,
                                        Tarballs.publishBody("@lena/scoped", "2.0.0"))
                                .status())
                .isEqualTo(200);
        size = http.get("/-/log").json().path("size").asLong();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static long logIndex(String pkg, String version) throws Exception {
        return http.get(Tarballs.path(pkg))
                .json()
                .path("versions")
                .path(version)
                .path("_log")
                .path("index")
                .asLong(-1);
    }

    static Http.Result postCheckpoint(String text) throws Exception {
        return http.send(
                "POST",
                "/-/web/log/consistency",
                null,
                ("checkpoint=" + URLEncoder.encode(text, StandardCharsets.UTF_8))
                        .getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/x-www-form-urlencoded"));
    }

    @Test
    void theLogPageShowsTheCheckpointItsSignatureAndTheNewestEntries() throws Exception {
        Http.Result page = http.get("/-/web/log");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Security-Policy")).contains("script-src 'self'");
        assertThat(page.body())
                .contains("<span id=\"checkpoint-size\">" + size + "</span>")
                .contains("<li class=\"signature\" data-role=\"log\">")
                .contains("verified by the server")
                .contains("log-pkg@1.1.0")
                .contains("@lena/scoped@2.0.0")
                .contains("href=\"/-/web/log/entry/" + (size - 1) + "\"")
                .contains("<label for=\"open-index\">")
                .contains("<label for=\"open-spec\">")
                .contains("<label for=\"consistency-from\">");
        // paged back by index: the page before entry 1 lists entry 0 only, and links to newer ones
        Http.Result older = http.get("/-/web/log?before=1");
        assertThat(older.body())
                .contains("href=\"/-/web/log/entry/0\"")
                .doesNotContain("href=\"/-/web/log/entry/1\"")
                .contains("id=\"newer\"")
                .doesNotContain("id=\"older\"");
        Http.Result beyond = http.get("/-/web/log?before=" + (size + 1));
        assertThat(beyond.status()).isEqualTo(400);
        assertThat(beyond.body()).contains("before must be at most the log&#39;s size, " + size);
        Http.Result notANumber = http.get("/-/web/log?before=%E0x");
        assertThat(notANumber.status()).isEqualTo(400);
        assertThat(notANumber.header("Content-Type")).startsWith("text/html");
        assertThat(notANumber.body()).contains("before must be a whole number");
        assertThat(
                        http.raw(
                                "GET /-/web/log?before=%zz HTTP/1.1\r\n"
                                        + "Host: x\r\n"
                                        + "Connection: close\r\n\r\n"))
                .isEqualTo("HTTP/1.1 400 Bad Request");
    }

    @Test
    void aVersionLeadsToItsEntryWhichIsDecodedAndProvedByTheServer() throws Exception {
        long index = logIndex("log-pkg", "1.1.0");
        assertThat(index).isNotNegative();
        Http.Result byVersion = http.get("/-/web/log/package/log-pkg/1.1.0");
        assertThat(byVersion.status()).isEqualTo(303);
        assertThat(byVersion.header("Location")).isEqualTo("/-/web/log/entry/" + index);

        Http.Result entry = http.get("/-/web/log/entry/" + index);
        assertThat(entry.status()).isEqualTo(200);
        assertThat(entry.body())
                .contains("<code id=\"statement-kind\">package.published</code>")
                .contains("<dt>package</dt><dd>log-pkg</dd>")
                .contains("<dt>version</dt><dd>1.1.0</dd>")
                .contains("<dt>actor</dt><dd>lena</dd>")
                .contains("Signed by the registry&#39;s statement key")
                .contains("href=\"/-/web/package/log-pkg/v/1.1.0\"")
                .contains("data-check=\"inclusion\"")
                .contains("data-index=\"" + index + "\"")
                .contains("src=\"/-/web/static/logproof.js\"")
                .contains(
                        "Checked by the server: Entry "
                                + index
                                + " is in the tree of "
                                + size
                                + " entries");

        // a scoped name, as one segment or two, and from the log page's form
        long scoped = logIndex("@lena/scoped", "2.0.0");
        assertThat(http.get("/-/web/log/package/@lena%2fscoped/2.0.0").header("Location"))
                .isEqualTo("/-/web/log/entry/" + scoped);
        assertThat(http.get("/-/web/log/package/@lena/scoped/2.0.0").header("Location"))
                .isEqualTo("/-/web/log/entry/" + scoped);
        Http.Result open = http.get("/-/web/log/open?spec=%40lena%2Fscoped%402.0.0");
        assertThat(open.status()).isEqualTo(303);
        assertThat(open.header("Location")).isEqualTo("/-/web/log/package/@lena%2Fscoped/2.0.0");
        assertThat(http.get(open.header("Location")).header("Location"))
                .isEqualTo("/-/web/log/entry/" + scoped);
        assertThat(http.get("/-/web/log/entry/" + scoped).body())
                .contains("href=\"/-/web/package/@lena%2Fscoped/v/2.0.0\"");
        assertThat(http.get("/-/web/log/open?index=0").header("Location"))
                .isEqualTo("/-/web/log/entry/0");

        // the script is served as a static file the CSP allows
        Http.Result script = http.get("/-/web/static/logproof.js");
        assertThat(script.status()).isEqualTo(200);
        assertThat(script.header("Content-Type")).startsWith("text/javascript");
        assertThat(script.body()).contains("crypto.subtle.digest('SHA-256'");
    }

    @Test
    void anEntryThatIsNoNumberOrBeyondTheLogIsRefusedWithTheReason() throws Exception {
        for (String bad : new String[] {"abc", "-1", "1.5", "99999999999999999999"}) {
            Http.Result r = http.get("/-/web/log/entry/" + bad);
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.header("Content-Type")).startsWith("text/html");
            assertThat(r.body())
                    .as(bad)
                    .contains("the entry index must be a whole number from 0 up");
        }
        Http.Result beyond = http.get("/-/web/log/entry/" + size);
        assertThat(beyond.status()).isEqualTo(404);
        assertThat(beyond.body())
                .contains(
                        "The log has no entry "
                                + size
                                + ": it has "
                                + size
                                + " entries, 0 to "
                                + (size - 1));
        Http.Result notANumber = http.get("/-/web/log/open?index=x");
        assertThat(notANumber.status()).isEqualTo(400);
        assertThat(notANumber.body()).contains("the entry index must be a whole number");
        Http.Result noVersion = http.get("/-/web/log/open?spec=log-pkg");
        assertThat(noVersion.status()).isEqualTo(400);
        assertThat(noVersion.body()).contains("give a package version as name@version");
        Http.Result nothing = http.get("/-/web/log/open");
        assertThat(nothing.status()).isEqualTo(400);
        assertThat(nothing.body()).contains("give an entry index or a package version");
    }

    @Test
    void anUnknownPackageOrVersionIsA404NamingIt() throws Exception {
        Http.Result noPackage = http.get("/-/web/log/package/no-such-pkg/1.0.0");
        assertThat(noPackage.status()).isEqualTo(404);
        assertThat(noPackage.body()).contains("There is no package named no-such-pkg");
        Http.Result noVersion = http.get("/-/web/log/package/log-pkg/9.9.9");
        assertThat(noVersion.status()).isEqualTo(404);
        assertThat(noVersion.body()).contains("log-pkg has no version 9.9.9");
        // what a visitor typed is shown as text, never markup
        Http.Result markup = http.get("/-/web/log/package/log-pkg/%3Cscript%3Ex%3C%2Fscript%3E");
        assertThat(markup.status()).isEqualTo(404);
        assertThat(markup.body())
                .contains("log-pkg has no version &lt;script>x&lt;/script> on this registry")
                .doesNotContain("<script>x");
    }

    @Test
    void consistencyBetweenTwoSizesIsProvedAndBadSizesAreRefused() throws Exception {
        Http.Result form = http.get("/-/web/log/consistency");
        assertThat(form.status()).isEqualTo(200);
        assertThat(form.body())
                .contains("<label for=\"pasted\">")
                .doesNotContain("id=\"server-verdict\"");
        Http.Result proof = http.get("/-/web/log/consistency?from=1&to=" + size);
        assertThat(proof.status()).isEqualTo(200);
        assertThat(proof.body())
                .contains("data-check=\"consistency\"")
                .contains("data-latest=\"yes\"")
                .contains(
                        "Checked by the server: The tree of "
                                + size
                                + " entries extends the tree of 1 entries");
        assertThat(http.get("/-/web/log/consistency?from=2").body())
                .contains("The tree of " + size + " entries extends the tree of 2 entries");

        Map<String, String> refusals =
                Map.of(
                        "from=0",
                        "from must be at least 1",
                        "from=3&to=2",
                        "from (3) must not be larger than to (2)",
                        "from=1&to=" + (size + 1),
                        "is beyond the log&#39;s size, " + size,
                        "from=abc",
                        "from must be a whole number",
                        "from=1&to=-2",
                        "to must be a whole number",
                        "from=1234567890123456789012",
                        "from must be a whole number");
        for (var r : refusals.entrySet()) {
            Http.Result res = http.get("/-/web/log/consistency?" + r.getKey());
            assertThat(res.status()).as(r.getKey()).isEqualTo(400);
            assertThat(res.body()).as(r.getKey()).contains(r.getValue());
        }
    }

    @Test
    void aPastedCheckpointIsCheckedAgainstTheLatest() throws Exception {
        // as a browser's textarea sends it: CRLF line ends
        Http.Result ok = postCheckpoint(firstCheckpoint.replace("\n", "\r\n"));
        Checkpoint first = Checkpoint.parse(Note.parse(firstCheckpoint).text());
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(ok.body())
                .contains("(the pasted checkpoint's)")
                .contains(
                        "Checked by the server: The tree of "
                                + size
                                + " entries extends the tree of "
                                + first.size()
                                + " entries");

        NoteKey.Signer logKey =
                KeyFiles.loadOrCreate(
                        server.data().resolve("keys/log.key"), first.origin(), NoteKey.ED25519);
        // the log's own key over a root its tree never had: evidence of a fork, shown as such
        Checkpoint forked = new Checkpoint(first.origin(), first.size(), new byte[32]);
        Http.Result fork = postCheckpoint(Note.sign(forked.body(), logKey).format());
        assertThat(fork.status()).isEqualTo(200);
        assertThat(fork.body()).contains("the log has forked");

        NoteKey.Signer stranger = NoteKey.generate(first.origin(), NoteKey.ED25519);
        NoteKey.Signer other = NoteKey.generate("other.example/log", NoteKey.ED25519);
        String tampered =
                firstCheckpoint.replaceFirst(
                        "\n" + first.size() + "\n", "\n" + (first.size() + 1) + "\n");
        Map<String, String> refusals =
                Map.of(
                        "not a checkpoint at all\n",
                        "not a signed note: note has no signature block",
                        "x".repeat(LogChecks.MAX_PASTED + 1),
                        "larger than " + LogChecks.MAX_PASTED + " bytes",
                        Note.sign(
                                        new Checkpoint("other.example/log", 1, new byte[32]).body(),
                                        other)
                                .format(),
                        "is of the log &#34;other.example/log&#34;, not of this log",
                        Note.sign(first.body(), stranger).format(),
                        "carries no signature by this log&#39;s key",
                        tampered,
                        "signature by " + first.origin() + " does not verify",
                        Note.sign(
                                        new Checkpoint(first.origin(), size + 5, new byte[32])
                                                .body(),
                                        logKey)
                                .format(),
                        "is beyond this log&#39;s size " + size,
                        "",
                        "the text is empty");
        for (var r : refusals.entrySet()) {
            Http.Result res = postCheckpoint(r.getKey());
            assertThat(res.status()).as(r.getValue()).isEqualTo(400);
            assertThat(res.body())
                    .as(r.getValue())
                    .contains("The pasted checkpoint was not used")
                    .contains(r.getValue());
        }
        Http.Result notAForm =
                http.send(
                        "POST",
                        "/-/web/log/consistency",
                        null,
                        firstCheckpoint.getBytes(StandardCharsets.UTF_8),
                        Map.of("Content-Type", "text/plain"));
        assertThat(notAForm.status()).isEqualTo(415);
        assertThat(notAForm.body()).contains("expected a form");
    }
}
