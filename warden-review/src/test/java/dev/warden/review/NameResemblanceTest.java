package dev.warden.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.review.Resemblance.Kind;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

class NameResemblanceTest {

    private static final NameResemblance INDEX =
            NameResemblance.of(
                    List.of(
                            "cross-env",
                            "lodash",
                            "express",
                            "react",
                            "preact",
                            "request",
                            "jquery",
                            "inherits",
                            "modernizr",
                            "webpack",
                            "JSONStream",
                            "@types/node",
                            "@babel/core",
                            "@babel/parser",
                            "ms",
                            "vue",
                            "uuid",
                            "mysql",
                            "sqlite3",
                            "opencv"));

    private static Resemblance resembles(String name) {
        Optional<Resemblance> r = INDEX.resembles(name);
        assertThat(r).as(name).isPresent();
        return r.get();
    }

    private static void assertSeen(String name, String popular, Kind kind) {
        Resemblance r = resembles(name);
        assertThat(r.popular()).as(name).isEqualTo(popular);
        assertThat(r.kind()).as(name).isEqualTo(kind);
    }

    private static void assertUnrelated(String name) {
        assertThat(INDEX.resembles(name)).as(name).isEmpty();
    }

    @Test
    void aPopularNameResemblesNothing() {
        assertUnrelated("react");
        assertUnrelated("preact");
        assertUnrelated("@types/node");
    }

    @Test
    void oneSeparatorAwayIsCaught() {
        assertSeen("crossenv", "cross-env", Kind.SEPARATOR);
        assertSeen("cross_env", "cross-env", Kind.SEPARATOR);
        assertSeen("cross.env", "cross-env", Kind.SEPARATOR);
        assertSeen("lo-dash", "lodash", Kind.SEPARATOR);
        assertThat(resembles("crossenv").describe())
                .isEqualTo("crossenv is one separator away from the popular package cross-env");
    }

    @Test
    void caseChangeIsCaught() {
        assertSeen("jsonstream", "JSONStream", Kind.CASE);
        assertThat(resembles("jsonstream").describe())
                .isEqualTo("jsonstream differs only in case from the popular package JSONStream");
    }

    @Test
    void lookalikeCharactersAreCaught() {
        assertSeen("1odash", "lodash", Kind.CONFUSABLE);
        assertSeen("l0dash", "lodash", Kind.CONFUSABLE);
        assertSeen("lnherits", "inherits", Kind.CONFUSABLE);
        assertSeen("rnodernizr", "modernizr", Kind.CONFUSABLE);
        assertSeen("vvebpack", "webpack", Kind.CONFUSABLE);
        assertThat(resembles("1odash").describe()).contains("1 for l");
    }

    @Test
    void cyrillicAndGreekLookalikesAreCaught() {
        // a Cyrillic a (U+0430) and a Greek omicron (U+03BF): what a manifest may name, though the
        // registry refuses them in new names
        assertSeen("re\u0430ct", "react", Kind.CONFUSABLE);
        assertSeen("l\u03bfdash", "lodash", Kind.CONFUSABLE);
        assertThat(resembles("re\u0430ct").describe()).contains("U+0430");
    }

    @Test
    void shortNamesMatchOnlyWhenTheyLookTheSame() {
        assertSeen("m-s", "ms", Kind.SEPARATOR);
        assertSeen("rns", "ms", Kind.CONFUSABLE);
        assertSeen("vu-e", "vue", Kind.SEPARATOR);
    }

    @Test
    void unrelatedShortNamesAreNotConfused() {
        // one edit from a two- or three-letter name is half the namespace
        assertUnrelated("mz");
        assertUnrelated("ps");
        assertUnrelated("vee");
        assertUnrelated("vuex");
        assertUnrelated("uid");
        assertUnrelated("uuids");
    }

    @Test
    void oneTranspositionIsCaught() {
        assertSeen("lodahs", "lodash", Kind.TRANSPOSITION);
        assertSeen("cross-evn", "cross-env", Kind.TRANSPOSITION);
        assertSeen("jqeury", "jquery", Kind.TRANSPOSITION);
    }

    @Test
    void oneEditIsCaught() {
        assertSeen("expresss", "express", Kind.EXTRA_CHARACTER);
        assertSeen("expres", "express", Kind.MISSING_CHARACTER);
        assertSeen("exprass", "express", Kind.CHANGED_CHARACTER);
        assertSeen("sqliter", "sqlite3", Kind.CHANGED_CHARACTER);
        assertThat(resembles("expres").describe())
                .isEqualTo("expres is the popular package express with one character left out");
    }

    @Test
    void twoEditsAreNotCaught() {
        assertUnrelated("exprezz");
        assertUnrelated("lodasher");
    }

    @Test
    void aSeparatorAndAnEditAreTwoChanges() {
        // st-lib reads as two words, not as tslib mistyped
        NameResemblance tslib = NameResemblance.of(List.of("tslib"));
        assertThat(tslib.resembles("st-lib")).isEmpty();
        assertThat(tslib.resembles("tsilb")).isPresent();
    }

    @Test
    void swappedWordOrderIsCaught() {
        assertSeen("env-cross", "cross-env", Kind.WORD_ORDER);
        assertSeen("env_cross", "cross-env", Kind.WORD_ORDER);
    }

    @Test
    void aLookalikeScopeIsCaught() {
        assertSeen("@typse/node", "@types/node", Kind.SCOPE);
        assertSeen("@bable/core", "@babel/core", Kind.SCOPE);
        assertThat(resembles("@typse/node").describe())
                .isEqualTo(
                        "@typse/node is the popular package @types/node under the lookalike scope"
                                + " @typse");
    }

    @Test
    void aLookalikeWithinAPopularScopeIsCaught() {
        assertSeen("@babel/parsre", "@babel/parser", Kind.TRANSPOSITION);
        assertSeen("@babel/parsers", "@babel/parser", Kind.EXTRA_CHARACTER);
        assertSeen("@types/no-de", "@types/node", Kind.SEPARATOR);
    }

    @Test
    void anUnrelatedScopeIsNotASwap() {
        assertUnrelated("@acme/core");
        assertUnrelated("@acme/node");
        assertUnrelated("@babel/cli-tools");
        assertUnrelated("@babel/coer"); // four letters: only what looks the same
    }

    @Test
    void aPopularNameRepublishedUnderAScopeIsCaught() {
        assertSeen("@evil/lodash", "lodash", Kind.SCOPED_COPY);
        assertSeen("@lodash/lodash", "lodash", Kind.SCOPED_COPY);
        assertSeen("@evil/cross_env", "cross-env", Kind.SCOPED_COPY);
        assertThat(resembles("@evil/lodash").describe())
                .isEqualTo(
                        "@evil/lodash republishes the name of the popular package lodash under the"
                                + " scope @evil");
    }

    @Test
    void typeDefinitionsAndShortNamesUnderAScopeAreNotCopies() {
        // @types/x holds x's type definitions by convention; @acme/ms is too short to judge
        assertUnrelated("@types/lodash");
        assertUnrelated("@acme/ms");
        assertUnrelated("@acme/uuid");
    }

    @Test
    void typosquatAffixesAreCaught() {
        assertSeen("jquery.js", "jquery", Kind.AFFIX);
        assertSeen("mysqljs", "mysql", Kind.AFFIX);
        assertSeen("node-opencv", "opencv", Kind.AFFIX);
        assertSeen("noderequest", "request", Kind.AFFIX);
        assertSeen("mysql-node", "mysql", Kind.AFFIX);
        assertThat(resembles("jquery.js").describe())
                .isEqualTo("jquery.js is the popular package jquery with the suffix .js added");
    }

    @Test
    void otherAffixesAndLongerNamesAreNotCaught() {
        assertUnrelated("lodash-cli");
        assertUnrelated("express-session-store");
        assertUnrelated("react-widgets");
        assertUnrelated("ms.js"); // two letters: affixes start at four
    }

    @Test
    void unrelatedNamesAreNotConfused() {
        assertUnrelated("left-pad");
        assertUnrelated("widget");
        assertUnrelated("my-express-app");
        assertUnrelated("reactor");
    }

    @Test
    void resemblingOthersNamesEveryMatch() {
        assertThat(INDEX.resemblingOthers("react"))
                .extracting(Resemblance::popular)
                .containsExactly("preact");
        assertThat(INDEX.resemblingOthers("reacts"))
                .extracting(Resemblance::popular)
                .containsExactly("react");
    }

    @Test
    void oneStepSaysWhichStep() {
        assertThat(NameResemblance.oneStep("ab", "ba")).isEqualTo(Kind.TRANSPOSITION);
        assertThat(NameResemblance.oneStep("abc", "abd")).isEqualTo(Kind.CHANGED_CHARACTER);
        assertThat(NameResemblance.oneStep("abcd", "abc")).isEqualTo(Kind.EXTRA_CHARACTER);
        assertThat(NameResemblance.oneStep("abc", "abcd")).isEqualTo(Kind.MISSING_CHARACTER);
        assertThat(NameResemblance.oneStep("abc", "cba")).isNull();
        assertThat(NameResemblance.oneStep("abc", "abc")).isNull();
    }
}
