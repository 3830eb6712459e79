package dev.warden.verify.lockfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The bad input: what cannot be read is a {@link LockfileException} naming the file and the
 * problem; what reads but looks wrong (names, hosts, algorithms) is kept for the verifier.
 */
class LockfileBadInputTest {

    @TempDir Path dir;

    static String refusal(Path file) {
        LockfileException e =
                catchThrowableOfType(LockfileException.class, () -> Lockfiles.read(file));
        assertThat(e).as("refused: " + file).isNotNull();
        assertThat(e.getMessage()).startsWith(file.toString());
        return e.getMessage();
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    @Test
    void malformedJsonNamesTheLine() throws Exception {
        Path file =
                write(
                        "package-lock.json",
                        "{\n"
                                + "  \"lockfileVersion\": 3,\n"
                                + "  \"packages\": {\n"
                                + "    \"node_modules/a\": {,\n");
        assertThat(refusal(file)).contains("malformed JSON at line 4");
    }

    @Test
    void malformedPnpmYamlNamesTheLine() throws Exception {
        Path file =
                write(
                        "pnpm-lock.yaml",
                        "lockfileVersion: '9.0'\n"
                                + "packages:\n"
                                + "  a@1.0.0:\n"
                                + "    resolution: {integrity: x\n"
                                + "  b@1.0.0: {}\n");
        assertThat(refusal(file)).contains("malformed YAML at line");
    }

    @Test
    void malformedYarnClassicNamesTheLine() throws Exception {
        Path file = write("yarn.lock", "# yarn lockfile v1\n\n\"a@^1.0.0\":\n  version \"1.0.0\n");
        assertThat(refusal(file)).contains("malformed yarn.lock at line 4: an unterminated string");
        Path odd = dir.resolve("odd/yarn.lock");
        Files.createDirectory(odd.getParent());
        Files.writeString(odd, "a@^1:\n   version \"1\"\n");
        assertThat(refusal(odd)).contains("line 2: an odd number of spaces");
    }

    @Test
    void malformedBerryNamesTheLine() throws Exception {
        Path file =
                write(
                        "yarn.lock",
                        "__metadata:\n  version: 8\n\n\"a@npm:1\":\n  resolution: \"a@npm:1.0.0\n");
        assertThat(refusal(file)).contains("malformed YAML at line");
    }

    @Test
    void notUtf8IsRefused() throws Exception {
        Path file = dir.resolve("yarn.lock");
        Files.write(file, new byte[] {'a', '@', '1', ':', '\n', ' ', ' ', (byte) 0xC3, '\n'});
        assertThat(refusal(file)).endsWith(": not UTF-8 text");
    }

    @Test
    void aFileOver64MiBIsRefusedBeforeItIsRead() throws Exception {
        Path file = dir.resolve("package-lock.json");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(Lockfiles.MAX_BYTES + 1); // sparse: nothing is written
        }
        assertThat(refusal(file))
                .contains("67108865 bytes, more than the 67108864 a lockfile may have");
    }

    @Test
    void moreThan500000EntriesAreRefused() throws Exception {
        Path file = dir.resolve("package-lock.json");
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("{\"lockfileVersion\":3,\"packages\":{\"\":{}");
            for (int i = 0; i <= Packages.MAX_ENTRIES; i++) {
                w.write(",\"node_modules/p" + i + "\":{\"version\":\"1.0.0\"}");
            }
            w.write("}}");
        }
        assertThat(refusal(file)).endsWith(": more than 500000 entries; refused");
    }

    @Test
    void moreThan500000YarnEntriesAreRefused() throws Exception {
        Path file = dir.resolve("yarn.lock");
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i <= Packages.MAX_ENTRIES; i++) {
                w.write("p" + i + "@1:\n  version \"1.0.0\"\n");
            }
        }
        assertThat(refusal(file)).endsWith(": more than 500000 entries; refused");
    }

    @Test
    void unknownVersionsAreRefusedNamingTheOnesSupported() throws Exception {
        assertThat(
                        refusal(
                                write(
                                        "package-lock.json",
                                        "{\"lockfileVersion\": 9, \"packages\": {}}")))
                .endsWith(": lockfileVersion 9 is not supported (supported: 1, 2, 3)");
        assertThat(refusal(write("npm-shrinkwrap.json", "{\"packages\": {}}")))
                .endsWith(": lockfileVersion missing is not supported (supported: 1, 2, 3)");
        assertThat(refusal(write("pnpm-lock.yaml", "lockfileVersion: '99.0'\npackages: {}\n")))
                .contains(": lockfileVersion 99.0 is not supported (supported: 6.0, 7.0, 9.0");
        Path berry = dir.resolve("berry");
        Files.createDirectory(berry);
        Files.writeString(berry.resolve("yarn.lock"), "__metadata:\n  version: 99\n");
        assertThat(refusal(berry.resolve("yarn.lock")))
                .contains("__metadata.version 99 is not supported (supported: 4 to 10");
    }

    @Test
    void aDirectoryWithoutALockfile() {
        assertThat(refusal(dir))
                .endsWith(
                        ": no lockfile found (looked for npm-shrinkwrap.json, package-lock.json,"
                                + " pnpm-lock.yaml, yarn.lock)");
        assertThat(refusal(dir.resolve("missing.json"))).endsWith(": no such file");
    }

    @Test
    void somethingElseIsNotALockfile() throws Exception {
        assertThat(refusal(write("notes.txt", "hello\n"))).contains("not a lockfile this reads");
        assertThat(refusal(write("package-lock.json", "[1, 2]")))
                .endsWith(": expected a JSON object at the top");
        assertThat(refusal(write("pnpm-lock.yaml", "")))
                .endsWith(": empty; expected a YAML document");
    }

    @Test
    void aWrongShapeNamesTheEntry() throws Exception {
        assertThat(
                        refusal(
                                write(
                                        "package-lock.json",
                                        "{\"lockfileVersion\":3,\"packages\":{\"node_modules/a\":7}}")))
                .endsWith(": packages entry \"node_modules/a\" is not an object");
        assertThat(refusal(write("pnpm-lock.yaml", "lockfileVersion: '9.0'\npackages: [1]\n")))
                .endsWith(": \"packages\" is not a mapping");
    }

    /**
     * Jackson reads a YAML alias as the anchor's name and never expands it, so a "billion laughs"
     * document (4^20 nodes if expanded) is read as a few strings; an alias where an entry belongs
     * is an entry of the wrong shape.
     */
    @Test
    void yamlAliasesAreNotExpanded() throws Exception {
        StringBuilder yaml = new StringBuilder("lockfileVersion: '9.0'\na: &a [x, x, x, x, x]\n");
        for (int i = 0; i < 20; i++) {
            yaml.append("b").append(i).append(": &b").append(i);
            yaml.append(" [*b").append(i - 1).append(", *b").append(i - 1).append(", *b");
            yaml.append(i - 1).append(", *b").append(i - 1).append("]\n");
        }
        String laughs = yaml.toString().replace("*b-1", "*a");
        assertThat(Lockfiles.read(write("pnpm-lock.yaml", laughs)).packages()).isEmpty();
        String asEntry = laughs + "packages:\n  x@1.0.0: *b19\n";
        assertThat(refusal(write("pnpm-lock.yaml", asEntry)))
                .endsWith(": packages entry \"x@1.0.0\" is not a mapping");
    }

    @Test
    void suspiciousEntriesAreKeptAsGiven() throws Exception {
        Path file =
                write(
                        "package-lock.json",
                        """
                        {"lockfileVersion": 3, "packages": {
                          "node_modules/../../outside": {"version": "1.0.0",
                             "resolved": "https://registry.npmjs.org/x/-/x-1.0.0.tgz",
                             "integrity": "sha512-AAAA"},
                          "node_modules/a": {"name": "/absolute/name", "version": "1.0.0"},
                          "node_modules/b": {"name": "b/../c", "version": "1.0.0"},
                          "node_modules/elsewhere": {"version": "1.3.0",
                             "resolved": "https://203.0.113.7/elsewhere/-/elsewhere-1.3.0.tgz",
                             "integrity": "sha512-BBBB"},
                          "node_modules/odd-host": {"version": "2.0.0",
                             "resolved": "http://mirror.example.invalid/pkg.tgz"},
                          "node_modules/weak": {"version": "1.0.0", "integrity": "md5-CCCC"}
                        }}
                        """);
        Lockfile lock = Lockfiles.read(file);
        assertThat(lock.packages())
                .extracting(LockedPackage::name)
                .containsExactly(
                        "../../outside",
                        "/absolute/name",
                        "b/../c",
                        "elsewhere",
                        "odd-host",
                        "weak");
        LockedPackage elsewhere = lock.packages().get(3);
        assertThat(elsewhere.kind()).isEqualTo(SourceKind.REGISTRY);
        assertThat(elsewhere.resolved())
                .isEqualTo("https://203.0.113.7/elsewhere/-/elsewhere-1.3.0.tgz");
        assertThat(lock.packages().get(4).kind()).isEqualTo(SourceKind.URL);
        assertThat(lock.packages().get(5).integrity()).isEqualTo("md5-CCCC");
    }

    @Test
    void suspiciousYarnAndPnpmEntriesAreKeptAsGiven() throws Exception {
        Lockfile yarn =
                Lockfiles.read(
                        write(
                                "yarn.lock",
                                "\"../../up@^1\":\n  version \"1.0.0\"\n"
                                        + "  resolved \"https://198.51.100.9/up/-/up-1.0.0.tgz\"\n"
                                        + "  integrity sha3-DDDD\n"));
        LockedPackage up = yarn.packages().get(0);
        assertThat(up.name()).isEqualTo("../../up");
        assertThat(up.integrity()).isEqualTo("sha3-DDDD");
        assertThat(up.resolved()).isEqualTo("https://198.51.100.9/up/-/up-1.0.0.tgz");

        Lockfile pnpm =
                Lockfiles.read(
                        write(
                                "pnpm-lock.yaml",
                                "lockfileVersion: '9.0'\npackages:\n"
                                        + "  '@scope/../../x@1.0.0':\n"
                                        + "    resolution: {integrity: whirlpool-EEEE}\n"));
        assertThat(pnpm.packages().get(0).name()).isEqualTo("@scope/../../x");
        assertThat(pnpm.packages().get(0).integrity()).isEqualTo("whirlpool-EEEE");
    }
}
