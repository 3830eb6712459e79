package dev.warden.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.accounts.Principal;
import dev.warden.common.Problem;
import dev.warden.review.PopularNames;
import dev.warden.storage.Packages.PackageRecord;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Typosquatting at name creation, over a real store with the shipped list of popular names. */
class LookalikeNamesTest {

    @TempDir Path dir;

    private RegistryFixture fixture(LookalikeNames.Settings names) throws IOException {
        return new RegistryFixture(
                dir,
                Wiring.none(),
                RegistrySettings.defaults("http://registry.test").withNames(names));
    }

    private static void assertRefused(ThrowingPublish publish, String message) {
        assertThatThrownBy(publish::run)
                .isInstanceOfSatisfying(
                        Problem.class, p -> assertThat(p.kind()).isEqualTo(Problem.Kind.FORBIDDEN))
                .hasMessageStartingWith(message);
    }

    @FunctionalInterface
    private interface ThrowingPublish {
        void run() throws IOException;
    }

    @Test
    void aNewLookalikeNameIsRefusedNamingThePopularPackageAndNothingIsStored() throws IOException {
        try (RegistryFixture f = fixture(LookalikeNames.Settings.defaults())) {
            Principal mallory = f.user("mallory");
            assertRefused(
                    () -> f.publish("crossenv", "1.0.0", mallory),
                    "the name crossenv is one separator away from the popular package cross-env;"
                            + " a new package may not take a name that resembles a popular"
                            + " package's (typosquatting). Choose another name, or publish it from"
                            + " an account that maintains cross-env");
            ObjectNode m = RegistryFixture.manifest("lodahs", "1.0.0");
            assertRefused(
                    () ->
                            f.registry.stage(
                                    "lodahs",
                                    RegistryFixture.body(m, RegistryFixture.tgz(m)),
                                    mallory),
                    "the name lodahs swaps two adjacent characters of the popular package lodash");
            Optional<PackageRecord> crossenv = f.store.read(tx -> tx.packages().find("crossenv"));
            Optional<PackageRecord> lodahs = f.store.read(tx -> tx.packages().find("lodahs"));
            assertThat(crossenv).isEmpty();
            assertThat(lodahs).isEmpty();
            assertThat(f.registry.packument("crossenv", null)).isEmpty();
            assertThat(f.registry.packument("lodahs", null)).isEmpty();
        }
    }

    @Test
    void aLookalikeScopeAndAScopedCopyAreRefused() throws IOException {
        try (RegistryFixture f = fixture(LookalikeNames.Settings.defaults())) {
            Principal mallory = f.user("mallory");
            assertRefused(
                    () -> f.publish("@typse/node", "1.0.0", mallory),
                    "the name @typse/node is the popular package @types/node under the lookalike"
                            + " scope @typse");
            assertRefused(
                    () -> f.publish("@mallory/lodash", "1.0.0", mallory),
                    "the name @mallory/lodash republishes the name of the popular package lodash"
                            + " under the scope @mallory");
            // the scope is not claimed by a refused publish
            Optional<String> typse = f.store.read(tx -> tx.scopes().owner("typse"));
            assertThat(typse).isEmpty();
        }
    }

    @Test
    void theMaintainerOfThePopularPackageMayCreateALookalike() throws IOException {
        try (RegistryFixture f = fixture(LookalikeNames.Settings.defaults())) {
            Principal kent = f.user("kent");
            Principal mallory = f.user("mallory");
            f.publish("cross-env", "7.0.3", kent); // the popular name itself is the real one
            f.publish("crossenv", "1.0.0", kent);
            assertThat(f.registry.version("crossenv", "1.0.0", null)).isPresent();
            assertRefused(
                    () -> f.publish("cross-evn", "1.0.0", mallory),
                    "the name cross-evn swaps two adjacent characters of the popular package"
                            + " cross-env");
        }
    }

    @Test
    void theHolderOfAPopularScopeMayCreateALookalikeInIt() throws IOException {
        try (RegistryFixture f = fixture(LookalikeNames.Settings.defaults())) {
            Principal babel = f.user("babel-team");
            f.publish("@babel/core", "7.0.0", babel);
            // @babel/parser is on the list but not here: the scope's holder holds it
            f.publish("@babel/parsers", "1.0.0", babel);
            assertThat(f.registry.version("@babel/parsers", "1.0.0", null)).isPresent();
        }
    }

    @Test
    void thisRegistrysOwnPopularPackagesAreProtectedOnceCounted() throws IOException {
        LookalikeNames.Settings names =
                new LookalikeNames.Settings(true, PopularNames.shipped(), 2, 40);
        try (RegistryFixture f = fixture(names)) {
            Principal bob = f.user("bob");
            Principal alice = f.user("alice");
            Principal carol = f.user("carol");
            f.publish("tiny-widget", "1.0.0", bob);
            f.publish("tiny-widgets", "1.0.0", alice); // nobody depends on either yet
            for (String app : List.of("app-one", "app-two")) {
                ObjectNode m = RegistryFixture.manifest(app, "1.0.0");
                m.putObject("dependencies").put("tiny-widgets", "^1.0.0");
                f.publish(m, alice);
            }
            f.store.write(
                    tx -> {
                        tx.downloads()
                                .add(LocalDate.parse("2026-01-01"), Map.of("hot-gadget", 50L));
                        return null;
                    });
            f.clock.advance(LookalikeNames.REFRESH);

            assertRefused(
                    () -> f.publish("tiny-widgetz", "1.0.0", carol),
                    "the name tiny-widgetz is the popular package tiny-widgets with one character"
                            + " changed");
            assertRefused(
                    () -> f.publish("hot-gadgets", "1.0.0", carol),
                    "the name hot-gadgets is the popular package hot-gadget with one character"
                            + " added");
            // an existing package's new version is not a new name: it is not checked again
            f.publish("tiny-widget", "1.0.1", bob);
            assertThat(f.registry.version("tiny-widget", "1.0.1", null)).isPresent();
        }
    }

    @Test
    void refusalCanBeTurnedOff() throws IOException {
        LookalikeNames.Settings off =
                new LookalikeNames.Settings(false, PopularNames.shipped(), 20, 10_000);
        try (RegistryFixture f = fixture(off)) {
            f.publish("crossenv", "1.0.0", f.user("mallory"));
            assertThat(f.registry.version("crossenv", "1.0.0", null)).isPresent();
        }
    }
}
