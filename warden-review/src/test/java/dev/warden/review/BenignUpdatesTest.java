package dev.warden.review;

import static dev.warden.review.Reviews.noneAtLeast;
import static dev.warden.review.Reviews.review;

import org.junit.jupiter.api.Test;

import java.time.Duration;

/** Ordinary releases stay below HIGH: what the default policy holds is the unusual. */
class BenignUpdatesTest {

    @Test
    void libraryBumpingItsCodeIsNotHeld() {
        Pkg a =
                Pkg.of("4.1.0")
                        .file("index.js", HiddenCodeTest.readable(50))
                        .file("lib/util.js", "exports.x = require('./y');\n")
                        .dep("lodash", "^4.17.0");
        Pkg b =
                a.next("4.2.0")
                        .file("index.js", HiddenCodeTest.readable(60))
                        .file(
                                "lib/new.js",
                                "export const fetchJson = (u) => fetch(u).then((r) =>"
                                        + " r.json());\n");
        FakeEcosystem eco =
                new FakeEcosystem().with("lodash", Pkg.NOW.minus(Duration.ofDays(4000)), 100_000);

        noneAtLeast(review(a, b, eco), Severity.MEDIUM);
    }

    @Test
    void nativeModuleWithItsLongStandingInstallScriptIsNotHeld() {
        Pkg a =
                Pkg.of("5.0.0")
                        .script("install", "prebuild-install || node-gyp rebuild")
                        .file(
                                "binding.gyp",
                                "{ 'targets': [ { 'target_name': 'addon', 'sources': ["
                                        + " 'src/addon.cc' ] } ] }")
                        .file("src/addon.cc", "#include <node.h>\n")
                        .file(
                                "install.js",
                                "const https = require('https');\n"
                                        + "const { execSync } = require('child_process');\n"
                                        + "https.get(url, (r) => r.pipe(out));\n"
                                        + "execSync('tar xzf prebuilt.tgz');\n");
        Pkg b = a.next("5.0.1").file("src/addon.cc", "#include <node.h>\n// fix\n");

        noneAtLeast(review(a, b), Severity.MEDIUM);
    }

    @Test
    void bundlerOutputThatWasAlreadyMinifiedIsNotHeld() {
        StringBuilder v1 = new StringBuilder();
        StringBuilder v2 = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            v1.append("function f").append(i).append("(e,t){return e*t+").append(i).append("}");
            v2.append("function f").append(i).append("(e,t){return e*t-").append(i).append("}");
        }
        Pkg a =
                Pkg.of("7.0.0")
                        .file("dist/index.min.js", v1.toString())
                        .file("index.js", "module.exports = require('./dist/index.min.js');\n");
        Pkg b = a.next("7.0.1").file("dist/index.min.js", v2.toString());

        noneAtLeast(review(a, b), Severity.MEDIUM);
    }

    @Test
    void largeRewriteIsFlaggedAtMostLow() {
        Pkg a = Pkg.of("1.0.0").file("index.js", HiddenCodeTest.readable(10));
        Pkg b = a.next("2.0.0");
        for (int i = 0; i < 30; i++) {
            b.file("src/part" + i + ".js", HiddenCodeTest.readable(20));
        }

        noneAtLeast(review(a, b), Severity.MEDIUM);
    }
}
