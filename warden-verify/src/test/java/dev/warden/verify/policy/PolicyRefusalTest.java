package dev.warden.verify.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;

/** Every refusal names the origin and the key; each case asserts the reason. */
class PolicyRefusalTest {

    private static final String ORIGIN = "proj/warden-policy.toml";

    private static String refusal(String toml) {
        try {
            Policy.parse(toml, ORIGIN);
        } catch (PolicyException e) {
            assertThat(e.getMessage()).startsWith("policy " + ORIGIN).doesNotContain("\n");
            return e.getMessage();
        }
        throw new AssertionError("accepted: " + toml);
    }

    @Test
    void anUnknownTableIsNamedWithTheKnownOnes() {
        assertThat(refusal("[scripts]\nallow = []\n[scriptz]\nallow = []\n"))
                .contains("unknown table [scriptz]")
                .contains("known: provenance, source, age, scripts, sources, exception, registry");
    }

    @Test
    void anUnknownTopLevelKeyIsNamed() {
        assertThat(refusal("strict = true\n")).contains("unknown key strict");
    }

    @Test
    void anUnknownKeyInATableIsNamedWithItsTable() {
        assertThat(refusal("[age]\nminimum_day = 3\n"))
                .contains("unknown key age.minimum_day")
                .contains("known: minimum_days, minimum_hours, exclude");
    }

    @Test
    void anUnknownKeyInTheSecondSourceNamesIt() {
        assertThat(
                        refusal(
                                """
                                [[source]]
                                packages = "a"
                                repository = "github.com/a/a"
                                [[source]]
                                packages = "b"
                                repository = "github.com/b/b"
                                branch = "main"
                                """))
                .contains("unknown key source[2].branch");
    }

    @Test
    void syntaxErrorsGiveTheLine() {
        assertThat(refusal("[age]\nminimum_days = = 3\nexclude = []\n"))
                .contains("is not valid TOML near line 2");
        assertThat(refusal("[age]\nexclude = [\"a\"\n"))
                .contains("is not valid TOML near line 3")
                .contains("Premature end of file");
    }

    @Test
    void aDuplicateKeyIsASyntaxError() {
        assertThat(refusal("[age]\nminimum_days = 3\nminimum_days = 4\n"))
                .contains("is not valid TOML near line 4")
                .contains("Duplicate key");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "[provenance]\\nrequire = \"@acme/*\"|provenance.require must be a list of strings",
                "[provenance]\\nrequire = [1]|provenance.require must be a list of strings, and 1",
                "[provenance]\\n"
                    + "issuers = [\"token.actions.githubusercontent.com\"]|provenance.issuers must"
                    + " list OIDC issuer URLs",
                "[age]\\n"
                    + "minimum_days = \"3\"|age.minimum_days must be a whole number of days, 0 or"
                    + " more, not \"3\"",
                "[age]\\n"
                        + "minimum_days = 1.5|age.minimum_days must be a whole number of days, 0 or"
                        + " more, not 1.5",
                "[age]\\n"
                        + "minimum_days = -1|age.minimum_days must be a whole number of days, 0 or"
                        + " more, not -1",
                "[age]\\nminimum_hours = true|age.minimum_hours must be a whole number of hours",
                "[age]\\n"
                        + "minimum_days = 1\\n"
                        + "minimum_hours = 1|age.minimum_days and age.minimum_hours are both given",
                "[scripts]\\nallow = \"esbuild\"|scripts.allow must be a list of strings",
                "[sources]\\n"
                        + "allow = [\"registry\", \"npm\"]|sources.allow may hold \"registry\","
                        + " \"git\", \"url\" and \"file\", not \"npm\"",
                "[sources]\\nallow = [\"link\"]|not \"link\"",
                "age = 3|age must be a table, written [age]",
                "[source]\\npackages = \"a\"|source must be an array of tables, written [[source]]",
                "[[age]]\\nminimum_days = 1|age must be a table, written [age]",
            })
    void wrongTypesNameTheKeyAndWhatItMustBe(String toml, String expected) {
        assertThat(refusal(toml.replace("\\n", "\n"))).contains(expected);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "[provenance]\\n"
                    + "require = [\"@acme\"]|provenance.require: \"@acme\" has a scope but no name",
                "[provenance]\\n"
                    + "require = [\"acme/core\"]|provenance.require: \"acme/core\" has a \"/\" but"
                    + " no scope",
                "[scripts]\\n"
                    + "allow = [\"es build\"]|scripts.allow: \"es build\" is not a name pattern",
                "[scripts]\\nallow = [\"\"]|scripts.allow: a name pattern must not be empty",
                "[age]\\n"
                    + "exclude = [\"@acme/**\"]|age.exclude: \"@acme/**\": ** matches every name"
                    + " only on its own",
                "[[source]]\\n"
                    + "packages = \"@a/b/c\"\\n"
                    + "repository = \"github.com/a/b\"|source[1].packages: \"@a/b/c\" is not a name"
                    + " pattern",
            })
    void badPatternsAreRefusedWithTheRule(String toml, String expected) {
        assertThat(refusal(toml.replace("\\n", "\n"))).contains(expected);
    }

    @Test
    void aSourceNeedsPackagesAndRepository() {
        assertThat(refusal("[[source]]\nrepository = \"github.com/a/b\"\n"))
                .contains("source[1].packages is required");
        assertThat(refusal("[[source]]\npackages = \"a\"\n"))
                .contains("source[1].repository is required");
        assertThat(refusal("[[source]]\npackages = \"a\"\nrepository = \"\"\n"))
                .contains("source[1].repository must be a non-empty string");
        assertThat(
                        refusal(
                                "[[source]]\npackages = \"a\"\nrepository ="
                                        + " \"github.com/a/b@main\"\n"))
                .contains("source[1].repository must name a repository");
        assertThat(refusal("[[source]]\npackages = \"a\"\nrepository = \"g/a\"\nworkflow = 1\n"))
                .contains("source[1].workflow must be a non-empty string, not 1");
    }

    @Test
    void anExceptionWithoutAReasonIsRefused() {
        assertThat(refusal("[[exception]]\npackage = \"a\"\nexpires = 2027-01-31\n"))
                .contains("exception[1].reason is required: say why a may fail");
        assertThat(
                        refusal(
                                "[[exception]]\npackage = \"a\"\nreason = \"  \"\nexpires ="
                                        + " 2027-01-31\n"))
                .contains("exception[1].reason is required");
    }

    @Test
    void anExceptionNeedsAnExpiryThatIsADate() {
        assertThat(refusal("[[exception]]\npackage = \"a\"\nreason = \"r\"\n"))
                .contains("exception[1].expires is required");
        assertThat(
                        refusal(
                                "[[exception]]\npackage = \"a\"\nreason = \"r\"\nexpires ="
                                        + " \"2027-01-31\"\n"))
                .contains(
                        "exception[1].expires must be a date written without quotes, such as"
                                + " expires = 2027-01-31, not \"2027-01-31\"");
        assertThat(
                        refusal(
                                "[[exception]]\npackage = \"a\"\nreason = \"r\"\nexpires ="
                                        + " 2027-01-31T10:00:00Z\n"))
                .contains("exception[1].expires must be a date");
        assertThat(
                        refusal(
                                "[[exception]]\npackage = \"a\"\nreason = \"r\"\nexpires ="
                                        + " 20270131\n"))
                .contains("exception[1].expires must be a date")
                .contains("not 20270131");
    }

    @Test
    void anExceptionsPackageMustBeANameAVersionOrAPattern() {
        assertThat(
                        refusal(
                                "[[exception]]\npackage = \"left-pad@^1.3.0\"\nreason = \"r\"\n"
                                        + "expires = 2027-01-31\n"))
                .contains("exception[1].package must be name@version (an exact version)");
        assertThat(
                        refusal(
                                "[[exception]]\npackage = \"left-*@1.3.0\"\nreason = \"r\"\n"
                                        + "expires = 2027-01-31\n"))
                .contains("exception[1].package must be name@version");
        assertThat(
                        refusal(
                                "[[exception]]\npackage = \"@\"\nreason = \"r\"\n"
                                        + "expires = 2027-01-31\n"))
                .contains("exception[1].package: \"@\" has a scope but no name");
    }

    @Test
    void aRegistryNeedsAUsableUrlAndRealKeys() {
        assertThat(refusal("[[registry]]\nkeys = []\n")).contains("registry[1].url is required");
        assertThat(refusal("[[registry]]\nurl = \"ftp://203.0.113.7/\"\n"))
                .contains("registry[1].url must be a registry's http(s) base URL");
        assertThat(refusal("[[registry]]\nurl = \"https://u:p@registry.invalid/\"\n"))
                .contains(
                        "registry[1].url must be a registry's http(s) base URL with no"
                                + " credentials");
        assertThat(
                        refusal(
                                "[[registry]]\nurl = \"https://registry.invalid/\"\n"
                                        + "[[registry]]\nurl = \"https://REGISTRY.invalid\"\n"))
                .contains("registry[2].url https://REGISTRY.invalid is pinned twice");
        assertThat(
                        refusal(
                                "[[registry]]\nurl = \"https://registry.invalid/\"\n"
                                        + "keys = [{ keyid = \"k\", key = \"bm90IGEga2V5\" }]\n"))
                .contains("registry[1].keys[1].key must be a public key")
                .contains("k's is not");
        assertThat(
                        refusal(
                                "[[registry]]\nurl = \"https://registry.invalid/\"\n"
                                        + "keys = [{ keyid = \"k\", key = \"%%%\" }]\n"))
                .contains("registry[1].keys[1].key must be a public key");
        assertThat(
                        refusal(
                                "[[registry]]\nurl = \"https://registry.invalid/\"\n"
                                        + "keys = [{ keyid = \"k\", pem = \"x\" }]\n"))
                .contains("unknown key registry[1].keys[1].pem (known: keyid, key)");
        assertThat(refusal("[[registry]]\nurl = \"https://registry.invalid/\"\nkeys = \"k\"\n"))
                .contains("registry[1].keys must be a list of tables");
    }

    @Test
    void aRegistryKeyGivenTwiceIsRefused() throws Exception {
        String key = PolicyTest.ecKey();
        assertThat(
                        refusal(
                                ("[[registry]]\nurl = \"https://registry.invalid/\"\n"
                                                + "keys = [{ keyid = \"k\", key = \"%s\" },"
                                                + " { keyid = \"k\", key = \"%s\" }]\n")
                                        .formatted(key, key)))
                .contains("registry[1].keys[2].keyid k is given twice");
    }

    @Test
    void aTufRootThatIsNotThereIsRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("warden-policy.toml");
        Files.writeString(
                file,
                "[[registry]]\nurl = \"https://registry.invalid/\"\ntuf_root = \"missing.json\"\n");

        assertThatThrownBy(() -> Policy.load(file))
                .isInstanceOf(PolicyException.class)
                .hasMessage(
                        "policy "
                                + file
                                + ": registry[1].tuf_root "
                                + dir.resolve("missing.json")
                                + " is not a file");
    }

    @Test
    void aPolicyOverOneMebibyteIsRefusedUnread(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("big.toml");
        Files.writeString(file, "# " + "x".repeat(1024 * 1024) + "\n");

        assertThatThrownBy(() -> Policy.load(file))
                .isInstanceOf(PolicyException.class)
                .hasMessage("policy " + file + " is larger than 1048576 bytes (1 MiB): refused");
        assertThatThrownBy(() -> Policy.parse(Files.readString(file), "big.toml"))
                .hasMessage("policy big.toml is larger than 1048576 bytes (1 MiB): refused");
    }

    @Test
    void aMissingFileADirectoryAndBadBytesAreRefused(@TempDir Path dir) throws Exception {
        Path bytes = dir.resolve("latin1.toml");
        Files.write(bytes, new byte[] {'#', ' ', (byte) 0xe9, '\n'});

        assertThatThrownBy(() -> Policy.load(dir.resolve("nope.toml")))
                .hasMessage("policy " + dir.resolve("nope.toml") + " does not exist");
        assertThatThrownBy(() -> Policy.load(dir)).hasMessage("policy " + dir + " is a directory");
        assertThatThrownBy(() -> Policy.load(bytes))
                .hasMessage("policy " + bytes + " is not UTF-8 text");
    }

    @Test
    void controlCharactersInAValueDoNotReachTheMessage() {
        assertThat(refusal("[age]\nminimum_days = \"\\u001b[2J3\"\n"))
                .contains("not \"?[2J3\"")
                .doesNotContain("\u001b");
    }
}
