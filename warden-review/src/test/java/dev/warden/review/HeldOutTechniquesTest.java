package dev.warden.review;

import static dev.warden.review.Reviews.find;
import static dev.warden.review.Reviews.review;
import static dev.warden.review.Reviews.the;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The technique classes the held-out reconstructions showed missing (bench/review/holdout/): code
 * pushed past the screen's edge by padding, persistence (an SSH key, a cron job, an autostart
 * entry), and an entry point moved to a new file that hides its code, including a string-array
 * rotation spelled in hex escapes.
 */
class HeldOutTechniquesTest {

    private static final String SOURCE =
            "module.exports = function add(a, b) {\n  return a + b;\n};\n";
    private static final Pkg LIB = Pkg.of("1.0.0").file("index.js", SOURCE);

    @Test
    void codeAfterALongRunOfSpacesIsHiddenCode() {
        String padded =
                SOURCE.replace(
                        "};\n",
                        "};"
                                + " ".repeat(1200)
                                + "require('child_process').exec(process.argv[2]);\n");
        Finding f =
                the(review(LIB, LIB.next("1.0.1").file("index.js", padded)), "code-past-padding");

        assertThat(f.severity()).isEqualTo(Severity.HIGH);
        assertThat(f.evidence().get(0).excerpt()).contains("require('child_process')");
    }

    @Test
    void indentationAndAlignedCommentsAreNoPadding() {
        String aligned =
                SOURCE
                        + "var table = [1, 2, 3];"
                        + " ".repeat(300)
                        + "// aligned comment\n"
                        + " ".repeat(1200)
                        + "\n"
                        + "x".repeat(1200)
                        + "\n";

        assertThat(
                        find(
                                review(LIB, LIB.next("1.0.1").file("index.js", aligned)),
                                "code-past-padding"))
                .isEmpty();
    }

    @Test
    void paddedCodeAlreadyInThePreviousReleaseIsNotNew() {
        String padded = SOURCE + "/* banner */;" + " ".repeat(400) + "module.exports.v = 1;\n";
        Pkg a = LIB.next("1.0.1").file("index.js", padded);
        Pkg b = a.next("1.0.2").file("index.js", padded + "module.exports.w = 2;\n");

        assertThat(find(review(a, b), "code-past-padding")).isEmpty();
    }

    @Test
    void writingAnSshAuthorizedKeyIsPersistence() {
        Finding f =
                the(
                        review(
                                LIB,
                                LIB.next("1.0.1")
                                        .file(
                                                "index.js",
                                                SOURCE
                                                        + "fs.appendFileSync(path.join(os.homedir(),"
                                                        + " '.ssh', 'authorized_keys'), KEY);\n")),
                        "persistence");

        assertThat(f.severity()).isEqualTo(Severity.HIGH);
        assertThat(f.evidence().get(0).excerpt()).contains("authorized_keys");
    }

    @Test
    void aCronLibraryThatAlreadyNamedCrontabIsNotNewPersistence() {
        Pkg a = LIB.next("1.0.1").file("cron.js", "exec('crontab -l', done);\n");
        Pkg b =
                a.next("1.0.2")
                        .file("cron.js", "exec('crontab -l', done);\nexec('crontab -', x);\n");

        assertThat(find(review(a, b), "persistence")).isEmpty();
    }

    @Test
    void anEntryPointMovedToANewObfuscatedFileIsHeld() {
        String escaped = "'\\x68\\x74\\x74\\x70\\x73'".repeat(30);
        String loader =
                "var _0x4f2a=["
                        + escaped.replace("''", "','")
                        + "];(function(_0x1c,_0x4f){var _0x53=function(_0x2c){while(--_0x2c){"
                        + "_0x1c['\\x70\\x75\\x73\\x68'](_0x1c['\\x73\\x68\\x69\\x66\\x74']());}};"
                        + "_0x53(++_0x4f);}(_0x4f2a,0x1a3));"
                        + "var _0x2b=function(_0x1c,_0x4f){return _0x4f2a[_0x1c-0x0];};".repeat(20)
                        + "module['exports']=require('../index.js');\n";
        Pkg next = LIB.next("1.0.1").file("lib/notify.js", loader);
        next.manifest.put("main", "lib/notify.js");

        Findings found = review(LIB, next);
        Finding f = the(found, "entry-point-to-hidden-code");
        assertThat(f.severity()).isEqualTo(Severity.HIGH);
        assertThat(f.summary()).contains("lib/notify.js");
        assertThat(the(found, "string-array-obfuscation").severity()).isEqualTo(Severity.HIGH);
    }

    @Test
    void anEntryPointMovedToANewReadableFileIsNoHiddenCode() {
        Pkg next = LIB.next("2.0.0").file("dist/index.js", SOURCE.replace("add", "sum"));
        next.files.remove("index.js");
        next.manifest.put("main", "dist/index.js");

        assertThat(find(review(LIB, next), "entry-point-to-hidden-code")).isEmpty();
    }
}
