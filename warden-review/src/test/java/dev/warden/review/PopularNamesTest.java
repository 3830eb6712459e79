package dev.warden.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

class PopularNamesTest {

    @Test
    void theShippedListHasTheBestKnownNames() {
        List<String> names = PopularNames.shipped();
        assertThat(names.size()).isBetween(300, 1000);
        assertThat(names)
                .contains("react", "lodash", "express", "chalk", "debug", "commander")
                .contains("axios", "typescript", "@types/node", "cross-env", "JSONStream")
                .doesNotHaveDuplicates();
        assertThat(names).allSatisfy(n -> assertThat(PopularNames.problem(n)).isNull());
    }

    @Test
    void noPopularNameResemblesAnotherButTheKnownRealPairs() throws IOException {
        List<String> names = PopularNames.shipped();
        NameResemblance index = NameResemblance.of(names);
        Set<String> pairs = new TreeSet<>();
        for (String n : names) {
            for (Resemblance r : index.resemblingOthers(n)) {
                pairs.add(n + " " + r.kind() + " " + r.popular());
            }
            // what the registry asks at name creation: a popular name is the real one
            assertThat(index.resembles(n)).as(n).isEmpty();
        }
        assertThat(pairs).containsExactlyInAnyOrderElementsOf(knownPairs());
    }

    @Test
    void theCrossenvCampaignIsCaughtByTheShippedList() {
        // the typosquats of the 2017 crossenv campaign whose originals are in the list
        NameResemblance index = NameResemblance.of(PopularNames.shipped());
        for (String squat :
                List.of(
                        "crossenv",
                        "cross-env.js",
                        "jquery.js",
                        "mysqljs",
                        "mssql.js",
                        "mssql-node",
                        "nodemssql",
                        "noderequest",
                        "nodesass",
                        "babelcli",
                        "gruntcli",
                        "http-proxy.js",
                        "nodemailer-js",
                        "nodemailer.js",
                        "mongose",
                        "sqliter")) {
            assertThat(index.resembles(squat)).as(squat).isPresent();
        }
    }

    @Test
    void aListLineThatIsNotANameIsRefusedWithItsLine() {
        assertThatThrownBy(() -> PopularNames.parse(List.of("# popular", "react", "left pad")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "line 3: \"left pad\" is not one package name (it has a space or a"
                                + " control character)");
        assertThatThrownBy(() -> PopularNames.parse(List.of("@scope")))
                .hasMessage("line 1: \"@scope\" is not a scoped package name (@scope/name)");
    }

    @Test
    void commentsAndBlankLinesAreSkippedAndNamesKeptOnce() {
        assertThat(PopularNames.parse(List.of("", "  react  # the UI library", "react", "vue")))
                .containsExactly("react", "vue");
    }

    private static List<String> knownPairs() throws IOException {
        try (InputStream in =
                PopularNamesTest.class.getResourceAsStream("popular-name-pairs.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#"))
                    .toList();
        }
    }
}
