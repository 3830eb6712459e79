package dev.warden.verify.lockfile;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The lockfiles of one project as npm, pnpm and yarn wrote them (see the fixtures' README). */
class LockfilesTest {

    static final Path FIXTURES = Path.of("src/test/resources/lockfiles");

    static Lockfile read(String fixture) throws LockfileException {
        return Lockfiles.read(FIXTURES.resolve(fixture));
    }

    static LockedPackage only(Lockfile lock, String name, String version) {
        List<LockedPackage> found =
                lock.packages().stream()
                        .filter(p -> p.name().equals(name) && p.version().equals(version))
                        .toList();
        assertThat(found).as(name + "@" + version + " in " + lock.file()).hasSize(1);
        return found.get(0);
    }

    static Set<String> registrySpecs(Lockfile lock) {
        return lock.packages().stream()
                .filter(p -> p.kind() == SourceKind.REGISTRY)
                .map(LockedPackage::spec)
                .collect(Collectors.toSet());
    }

    @Test
    void packageLockV3() throws Exception {
        Lockfile lock = read("npm/package-lock-v3.json");
        assertThat(lock.format()).isEqualTo("package-lock v3");

        LockedPackage alias = only(lock, "ms", "2.0.0");
        assertThat(alias.paths()).containsExactly("node_modules/my-ms");
        assertThat(alias.kind()).isEqualTo(SourceKind.REGISTRY);
        assertThat(alias.resolved()).isEqualTo("https://registry.npmjs.org/ms/-/ms-2.0.0.tgz");
        assertThat(alias.integrity()).startsWith("sha512-Tpp60P6IUJDTuOq");

        assertThat(only(lock, "esbuild", "0.20.2").installScript()).isTrue();
        assertThat(only(lock, "react", "18.2.0").installScript()).isFalse();
        assertThat(only(lock, "@types/semver", "7.5.8").resolved())
                .isEqualTo("https://registry.npmjs.org/@types/semver/-/semver-7.5.8.tgz");
        assertThat(only(lock, "ms", "2.1.3").paths())
                .containsExactly("packages/util/node_modules/ms");

        LockedPackage workspace = only(lock, "@fixture/util", "0.1.0");
        assertThat(workspace.kind()).isEqualTo(SourceKind.LINK);
        assertThat(workspace.resolved()).isEqualTo("packages/util");

        assertThat(lock.packages()).noneMatch(p -> p.name().equals("lockfile-fixture"));
        assertThat(lock.packages())
                .filteredOn(p -> p.kind() == SourceKind.REGISTRY)
                .allMatch(p -> p.integrity().startsWith("sha512-"));
    }

    @Test
    void packageLockV1ReadsTheDependencyTree() throws Exception {
        Lockfile lock = read("npm/package-lock-v1.json");
        assertThat(lock.format()).isEqualTo("package-lock v1");
        assertThat(only(lock, "ms", "2.0.0").paths()).containsExactly("node_modules/my-ms");
        // v1 nests a workspace's own dependencies under its link.
        assertThat(only(lock, "ms", "2.1.3").paths())
                .containsExactly("node_modules/@fixture/util/node_modules/ms");
        LockedPackage workspace = only(lock, "@fixture/util", "");
        assertThat(workspace.kind()).isEqualTo(SourceKind.LINK);
        assertThat(workspace.resolved()).isEqualTo("packages/util");
    }

    /** Every client resolved the same project: they must agree on what comes from the registry. */
    @Test
    void everyClientPinsTheSameRegistryPackages() throws Exception {
        Set<String> npm = registrySpecs(read("npm/package-lock-v3.json"));
        assertThat(npm).contains("debug@4.3.4", "ms@2.1.2", "ms@2.0.0", "react-dom@18.2.0");
        assertThat(registrySpecs(read("npm/package-lock-v2.json"))).isEqualTo(npm);
        assertThat(registrySpecs(read("npm/package-lock-v1.json"))).isEqualTo(npm);
        assertThat(registrySpecs(read("pnpm/pnpm-lock-v9.yaml"))).isEqualTo(npm);
        assertThat(registrySpecs(read("pnpm/pnpm-lock-v6.yaml"))).isEqualTo(npm);
        assertThat(registrySpecs(read("yarn/yarn-classic.lock"))).isEqualTo(npm);
        // Berry also locks node-gyp and its dependencies, added by its fsevents compat patch.
        Set<String> berry = registrySpecs(read("yarn/yarn-berry-v10.lock"));
        assertThat(berry).containsAll(npm).contains("node-gyp@13.1.0");
        assertThat(registrySpecs(read("yarn/yarn-berry-v6.lock"))).isEqualTo(berry);
    }

    @Test
    void theSameIntegrityWhereverTheLockfileGivesOne() throws Exception {
        Lockfile npm = read("npm/package-lock-v3.json");
        for (String other :
                List.of(
                        "pnpm/pnpm-lock-v9.yaml",
                        "pnpm/pnpm-lock-v6.yaml",
                        "yarn/yarn-classic.lock")) {
            for (LockedPackage p : read(other).packages()) {
                if (p.kind() == SourceKind.REGISTRY) {
                    assertThat(p.integrity())
                            .as(p.spec() + " in " + other)
                            .isEqualTo(only(npm, p.name(), p.version()).integrity());
                }
            }
        }
    }

    @Test
    void pnpmV9() throws Exception {
        Lockfile lock = read("pnpm/pnpm-lock-v9.yaml");
        assertThat(lock.format()).isEqualTo("pnpm-lock v9.0");
        LockedPackage reactDom = only(lock, "react-dom", "18.2.0");
        assertThat(reactDom.resolved()).isNull();
        assertThat(reactDom.paths())
                .containsExactly("react-dom@18.2.0", "react-dom@18.2.0(react@18.2.0)");
        LockedPackage link = only(lock, "@fixture/util", "");
        assertThat(link.kind()).isEqualTo(SourceKind.LINK);
        assertThat(link.resolved()).isEqualTo("packages/util");
        assertThat(link.paths()).containsExactly(". > @fixture/util");
    }

    @Test
    void pnpmV6MarksPackagesThatBuild() throws Exception {
        Lockfile lock = read("pnpm/pnpm-lock-v6.yaml");
        assertThat(lock.format()).isEqualTo("pnpm-lock v6.0");
        assertThat(only(lock, "esbuild", "0.20.2").installScript()).isTrue();
        assertThat(only(lock, "debug", "4.3.4").installScript()).isFalse();
        assertThat(only(lock, "react-dom", "18.2.0").paths())
                .containsExactly("/react-dom@18.2.0(react@18.2.0)");
    }

    @Test
    void pnpm7LockfileIsRefusedNamingTheVersion() {
        assertThat(LockfileBadInputTest.refusal(FIXTURES.resolve("pnpm/pnpm-lock-v5.4.yaml")))
                .contains("lockfileVersion 5.4 is not supported (supported: 6.0, 7.0, 9.0");
    }

    @Test
    void yarnClassic() throws Exception {
        Lockfile lock = read("yarn/yarn-classic.lock");
        assertThat(lock.format()).isEqualTo("yarn classic v1");
        LockedPackage alias = only(lock, "ms", "2.0.0");
        assertThat(alias.paths()).containsExactly("my-ms@npm:ms@2.0.0");
        // The sha1 fragment is taken off the URL.
        assertThat(alias.resolved()).isEqualTo("https://registry.yarnpkg.com/ms/-/ms-2.0.0.tgz");
        assertThat(only(lock, "js-tokens", "4.0.0").paths())
                .containsExactly("js-tokens@^3.0.0 || ^4.0.0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"yarn/yarn-berry-v10.lock", "yarn/yarn-berry-v6.lock"})
    void yarnBerry(String fixture) throws Exception {
        Lockfile lock = read(fixture);
        assertThat(lock.format()).matches("yarn berry v(10|6)");
        assertThat(lock.packages()).allMatch(p -> p.integrity() == null);
        assertThat(lock.packages()).noneMatch(p -> p.name().equals("lockfile-fixture"));
        LockedPackage alias = only(lock, "ms", "2.0.0");
        assertThat(alias.paths()).containsExactly("my-ms@npm:ms@2.0.0");
        LockedPackage workspace = only(lock, "@fixture/util", "0.0.0-use.local");
        assertThat(workspace.kind()).isEqualTo(SourceKind.LINK);
        // The patched fsevents is its base package, fetched from the registry.
        LockedPackage fsevents = only(lock, "fsevents", "2.3.3");
        assertThat(fsevents.kind()).isEqualTo(SourceKind.REGISTRY);
        assertThat(fsevents.paths()).hasSize(2).anyMatch(p -> p.contains("@patch:"));
    }

    @Test
    void npmSources() throws Exception {
        Lockfile lock = read("npm/package-lock-sources.json");
        LockedPackage git = only(lock, "from-git", "1.2.0");
        assertThat(git.kind()).isEqualTo(SourceKind.GIT);
        assertThat(git.resolved()).endsWith("#0123456789abcdef0123456789abcdef01234567");
        assertThat(only(lock, "from-file", "1.0.0").kind()).isEqualTo(SourceKind.FILE);
        assertThat(only(lock, "from-url", "2.0.0").kind()).isEqualTo(SourceKind.URL);
        LockedPackage link = only(lock, "local", "0.0.1");
        assertThat(link.kind()).isEqualTo(SourceKind.LINK);
        assertThat(only(lock, "with-bundle", "1.0.0").kind()).isEqualTo(SourceKind.REGISTRY);
        // Bundled inside with-bundle's tarball: not a package of its own.
        assertThat(lock.packages()).noneMatch(p -> p.name().equals("inner"));
        assertThat(lock.packages()).hasSize(5);
    }

    @Test
    void pnpmSources() throws Exception {
        Lockfile lock = read("pnpm/pnpm-lock-sources.yaml");
        LockedPackage git = only(lock, "from-git", "1.2.0");
        assertThat(git.kind()).isEqualTo(SourceKind.GIT);
        assertThat(git.resolved())
                .isEqualTo(
                        "https://git.example.invalid/example/from-git.git"
                                + "#0123456789abcdef0123456789abcdef01234567");
        LockedPackage dir = only(lock, "from-dir", "0.3.0");
        assertThat(dir.kind()).isEqualTo(SourceKind.FILE);
        assertThat(dir.resolved()).isEqualTo("vendor/from-dir");
        assertThat(only(lock, "from-url", "2.0.0").kind()).isEqualTo(SourceKind.URL);
        assertThat(only(lock, "local", "").kind()).isEqualTo(SourceKind.LINK);
    }

    @Test
    void yarnClassicSources() throws Exception {
        Lockfile lock = read("yarn/yarn-classic-sources.lock");
        assertThat(only(lock, "from-git", "1.2.0").kind()).isEqualTo(SourceKind.GIT);
        LockedPackage file = only(lock, "from-file", "1.0.0");
        assertThat(file.kind()).isEqualTo(SourceKind.FILE);
        assertThat(file.resolved()).isEqualTo("file:vendor/from-file-1.0.0.tgz");
        assertThat(only(lock, "local", "0.0.0").kind()).isEqualTo(SourceKind.LINK);
        // No integrity field: the sha1 of the URL's fragment (hex 5608ae... in base64).
        LockedPackage old = only(lock, "old-style", "1.1.0");
        assertThat(old.integrity()).isEqualTo("sha1-VgiurfwAvmwpAd9fmGF4jeDVl8g=");
        assertThat(old.paths()).containsExactly("old-style@^1.0.0, old-style@^1.1.0");
    }

    @Test
    void yarnBerrySources() throws Exception {
        Lockfile lock = read("yarn/yarn-berry-sources.lock");
        assertThat(lock.format()).isEqualTo("yarn berry v8");
        assertThat(only(lock, "from-git", "1.2.0").kind()).isEqualTo(SourceKind.GIT);
        assertThat(only(lock, "from-file", "1.0.0").kind()).isEqualTo(SourceKind.FILE);
        LockedPackage url = only(lock, "from-url", "2.0.0");
        assertThat(url.kind()).isEqualTo(SourceKind.URL);
        assertThat(url.resolved()).isEqualTo("https://tarballs.example.invalid/from-url-2.0.0.tgz");
        assertThat(only(lock, "local", "0.0.0-use.local").kind()).isEqualTo(SourceKind.LINK);
        assertThat(lock.packages()).hasSize(4);
    }

    @Test
    void aDirectoryPrefersShrinkwrapThenPackageLockThenPnpmThenYarn(@TempDir Path dir)
            throws Exception {
        copy("yarn/yarn-berry-v10.lock", dir.resolve("yarn.lock"));
        assertThat(Lockfiles.read(dir).format()).isEqualTo("yarn berry v10");
        copy("pnpm/pnpm-lock-v9.yaml", dir.resolve("pnpm-lock.yaml"));
        assertThat(Lockfiles.read(dir).format()).isEqualTo("pnpm-lock v9.0");
        copy("npm/package-lock-v2.json", dir.resolve("package-lock.json"));
        assertThat(Lockfiles.read(dir).format()).isEqualTo("package-lock v2");
        copy("npm/package-lock-v3.json", dir.resolve("npm-shrinkwrap.json"));
        Lockfile lock = Lockfiles.read(dir);
        assertThat(lock.format()).isEqualTo("npm-shrinkwrap v3");
        assertThat(lock.file()).isEqualTo(dir.resolve("npm-shrinkwrap.json"));
    }

    @Test
    void aYarnLockIsClassicOrBerryByItsContent(@TempDir Path dir) throws Exception {
        copy("yarn/yarn-classic.lock", dir.resolve("yarn.lock"));
        assertThat(Lockfiles.read(dir).format()).isEqualTo("yarn classic v1");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "npm/package-lock-v3.json=package-lock v3",
                "pnpm/pnpm-lock-v6.yaml=pnpm-lock v6.0",
                "yarn/yarn-classic.lock=yarn classic v1",
                "yarn/yarn-berry-v6.lock=yarn berry v6"
            })
    void anotherNameIsSniffed(String fixtureAndFormat, @TempDir Path dir) throws Exception {
        String[] parts = fixtureAndFormat.split("=");
        Path copy = dir.resolve("saved.lock.txt");
        copy(parts[0], copy);
        assertThat(Lockfiles.read(copy).format()).isEqualTo(parts[1]);
    }

    static void copy(String fixture, Path to) throws IOException {
        Files.copy(FIXTURES.resolve(fixture), to);
    }
}
