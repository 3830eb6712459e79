package dev.warden.review;

import static dev.warden.review.Reviews.find;
import static dev.warden.review.Reviews.review;
import static dev.warden.review.Reviews.the;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NewReachTest {

    private static final Pkg LIB =
            Pkg.of("1.0.0").file("index.js", "module.exports = (a, b) => a + b;\n");

    private static Findings adding(String code) {
        return review(
                LIB,
                LIB.next("1.0.1").file("index.js", "module.exports = (a, b) => a + b;\n" + code));
    }

    @Test
    void childProcessAddedIsMediumWithLineAndExcerpt() {
        Finding f =
                the(
                        adding("const cp = require('child_process');\ncp.exec('ls');\n"),
                        "child-process");

        assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(f.evidence().get(0).file()).isEqualTo("index.js");
        assertThat(f.evidence().get(0).line()).isEqualTo(2);
        assertThat(f.evidence().get(0).excerpt()).contains("require('child_process')");
    }

    @Test
    void childProcessAlreadyUsedIsNotNew() {
        Pkg a = LIB.next("1.0.1").file("cli.js", "const { spawn } = require('child_process');\n");
        Pkg b =
                a.next("1.0.2")
                        .file("run.js", "require('child_process').execSync('git status');\n");

        assertThat(find(review(a, b), "child-process")).isEmpty();
    }

    @Test
    void readingNpmrcIsACredentialAccess() {
        Finding f =
                the(
                        adding("fs.readFileSync(path.join(os.homedir(), '.npmrc'), 'utf8');\n"),
                        "credential-file-access");

        assertThat(f.evidence().get(0).excerpt()).contains(".npmrc");
    }

    @Test
    void browserPasswordStoreInAProfilePathIsHigh() {
        Findings f =
                adding(
                        "const p = path.join(home, 'AppData/Local/Google/Chrome/User"
                                + " Data/Default/Login Data');\n");

        assertThat(the(f, "browser-store-access").severity()).isEqualTo(Severity.HIGH);
    }

    @Test
    void theWordsLoginDataInACommentAreOnlyMedium() {
        Findings f = adding("// keep the login data in memory only\n");

        assertThat(the(f, "browser-store-access").severity()).isEqualTo(Severity.MEDIUM);
    }

    @Test
    void metamaskExtensionIdIsAWalletStore() {
        Findings f = adding("const id = 'nkbihfbeogaeaoehlefnkodbefgpgknn';\n");

        assertThat(the(f, "wallet-store-access").severity()).isEqualTo(Severity.HIGH);
    }

    @Test
    void serialisingTheEnvironmentIsFound() {
        assertThat(
                        the(
                                        adding("const body = JSON.stringify(process.env);\n"),
                                        "environment-serialised")
                                .severity())
                .isEqualTo(Severity.MEDIUM);
    }

    @Test
    void rawPublicAddressIsFoundButLoopbackAndPrivateAreNot() {
        assertThat(
                        the(adding("fetch('http://198.51.100.23:8080/c');\n"), "raw-ip-address")
                                .evidence()
                                .get(0)
                                .excerpt())
                .contains("198.51.100.23");
        assertThat(
                        find(
                                adding(
                                        "fetch('http://127.0.0.1:3000/');"
                                                + " fetch('http://192.168.1.4/');\n"),
                                "raw-ip-address"))
                .isEmpty();
    }

    @Test
    void requestCollectorIsHigh() {
        assertThat(
                        the(
                                        adding(
                                                "https.request('https://webhook.site/abc',"
                                                        + " opts);\n"),
                                        "exfiltration-endpoint")
                                .severity())
                .isEqualTo(Severity.HIGH);
    }

    @Test
    void discordWebhookAndTunnelAndPasteSiteAreFound() {
        Findings f =
                adding(
                        "post('https://discord.com/api/webhooks/1/x');\n"
                                + "get('https://abc.trycloudflare.com/');\n"
                                + "get('https://pastebin.com/raw/x');\n");

        assertThat(find(f, "chat-webhook")).isPresent();
        assertThat(find(f, "tunnel-service")).isPresent();
        assertThat(find(f, "paste-site")).isPresent();
    }

    @Test
    void secretScannerRunFromCodeIsHigh() {
        Findings f =
                adding("require('child_process').execSync('trufflehog filesystem / --json');\n");

        assertThat(the(f, "secret-scanner-run").severity()).isEqualTo(Severity.HIGH);
    }

    @Test
    void aiAgentRunWithPermissionSkippingFlagsIsCritical() {
        Findings f =
                adding(
                        "const { spawnSync } = require('child_process');\n"
                                + "spawnSync('claude', ['--dangerously-skip-permissions', '-p',"
                                + " prompt]);\n");

        assertThat(the(f, "ai-agent-unsafe-flags").severity()).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void aYoloFlagWithNoAgentNearIsOnlyMedium() {
        Findings f = adding("program.option('--yolo', 'skip confirmations');\n");

        assertThat(the(f, "ai-agent-unsafe-flags").severity()).isEqualTo(Severity.MEDIUM);
    }

    @Test
    void writingAWorkflowWithAGithubTokenIsHigh() {
        Findings f =
                adding(
                        "fs.writeFileSync('.github/workflows/ci.yml', wf);\n"
                                + "const t = process.env.GITHUB_TOKEN;\n");

        assertThat(the(f, "workflow-write").severity()).isEqualTo(Severity.HIGH);
    }

    @Test
    void npmPublishWithATokenIsHigh() {
        Findings f = adding("execSync('npm publish', { env: { NPM_TOKEN: token } });\n");

        assertThat(the(f, "npm-publish-from-code").severity()).isEqualTo(Severity.HIGH);
    }

    @Test
    void readmeMentionsAreNotCode() {
        Findings f =
                review(
                        LIB,
                        LIB.next("1.0.1")
                                .file(
                                        "README.md",
                                        "Run `trufflehog` and see https://webhook.site/x\n"));

        assertThat(f.findings()).isEmpty();
    }

    @Test
    void minerPoolIsHigh() {
        assertThat(
                        the(
                                        adding(
                                                "const pool ="
                                                    + " 'stratum+tcp://pool.example.invalid:3333';\n"),
                                        "crypto-miner")
                                .severity())
                .isEqualTo(Severity.HIGH);
    }
}
