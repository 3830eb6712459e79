package dev.warden.review;

import static dev.warden.review.Reviews.find;
import static dev.warden.review.Reviews.review;
import static dev.warden.review.Reviews.the;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SabotageTest {

    private static final String CODE = HiddenCodeTest.readable(80);
    private static final Pkg LIB = Pkg.of("1.0.0").file("lib/america.js", CODE);

    private static Findings adding(String code) {
        return review(LIB, LIB.next("1.0.1").file("lib/america.js", code + CODE));
    }

    @Test
    void aNewLoopWithNoWayOutIsHigh() {
        // colors 1.4.44-liberty-2
        Findings f =
                adding(
                        "for (let i = 666; i < Infinity; i++) {\n"
                                + "  console.log('testing testing'.zalgo);\n"
                                + "}\n");

        Finding e = the(f, "endless-loop");
        assertThat(e.severity()).isEqualTo(Severity.HIGH);
        assertThat(e.evidence().get(0).file()).isEqualTo("lib/america.js");
        assertThat(e.evidence().get(0).line()).isEqualTo(1);
    }

    @Test
    void whileTrueWithNoExitIsHigh() {
        assertThat(the(adding("while (true) {\n  spin();\n}\n"), "endless-loop").severity())
                .isEqualTo(Severity.HIGH);
    }

    @Test
    void aLoopThatBreaksOrReturnsIsNothing() {
        assertThat(find(adding("for (;;) {\n  if (next()) break;\n}\n"), "endless-loop")).isEmpty();
        assertThat(find(adding("while (true) {\n  if (x) return y;\n}\n"), "endless-loop"))
                .isEmpty();
        assertThat(find(adding("while (true) {\n  await tick();\n}\n"), "endless-loop")).isEmpty();
    }

    @Test
    void aGeneratorStateMachineAndADoWhileTailAreNotEndlessLoops() {
        assertThat(find(adding("for(;;)switch(t.prev=t.next){case 0:return 1}\n"), "endless-loop"))
                .isEmpty();
        assertThat(find(adding("do {\n  x = step(x);\n} while (1);\n"), "endless-loop")).isEmpty();
    }

    @Test
    void aComparisonWithInfinityOutsideAForIsNotALoop() {
        assertThat(find(adding("if (time < Infinity) { wake(); }\n"), "endless-loop")).isEmpty();
    }

    @Test
    void theSameLoopInThePreviousReleaseIsNotNew() {
        String loop = "while (true) {\n  serve();\n}\n";
        Pkg before = Pkg.of("1.0.0").file("lib/america.js", loop + CODE);

        assertThat(
                        find(
                                review(before, before.next("1.0.1").file("extra.js", "x();\n")),
                                "endless-loop"))
                .isEmpty();
    }

    @Test
    void codeDeletedWithAnEmptyEntryPointIsHigh() {
        // faker 6.6.6
        Pkg before =
                Pkg.of("5.5.3")
                        .file("index.js", "module.exports = require('./lib');\n")
                        .file("lib/index.js", CODE);
        Pkg after = Pkg.of("6.6.6").file("index.js", "\n");

        Finding f = the(review(before, after), "code-deleted");
        assertThat(f.severity()).isEqualTo(Severity.HIGH);
        assertThat(f.summary()).contains("its entry point index.js is empty");
    }

    @Test
    void codeShrinkingWithAWorkingEntryPointIsOnlyMedium() {
        Pkg before = Pkg.of("1.0.0").file("index.js", CODE + CODE);
        Pkg after =
                Pkg.of("2.0.0")
                        .file("index.js", "module.exports = require('./core');\n")
                        .file("core.js", "exports.add = (a, b) => a + b;\n");

        assertThat(the(review(before, after), "code-deleted").severity())
                .isEqualTo(Severity.MEDIUM);
    }

    @Test
    void aTinyPackageShrinkingIsNothing() {
        Pkg before =
                Pkg.of("1.0.0").file("index.js", "module.exports = function () { return 42; };\n");
        Pkg after = Pkg.of("1.0.1").file("index.js", "\n");

        assertThat(find(review(before, after), "code-deleted")).isEmpty();
    }
}
