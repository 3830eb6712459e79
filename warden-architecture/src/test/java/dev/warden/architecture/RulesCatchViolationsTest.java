package dev.warden.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Each rule against a fixture that breaks it (under {@code dev.warden.archfixtures.<fixture>},
 * whose sub-packages mirror the real ones): a rule that could no longer fail would fail here.
 */
class RulesCatchViolationsTest {

    private static final String FIXTURES = "dev.warden.archfixtures.";

    /**
     * A rule, its fixture, a class of the fixture that breaks it (relative to the fixture) and what
     * it reaches.
     */
    record Case(String rule, String fixture, String offender, String target) {
        @Override
        public String toString() {
            return rule + " catches " + offender + " -> " + target;
        }
    }

    static final List<Case> CASES =
            List.of(
                    new Case(
                            "domainImportsNoHttp",
                            "domainhttp",
                            "registry.FetchesOverHttp",
                            "java.net.http.HttpClient"),
                    new Case(
                            "domainImportsNoJdbc",
                            "domainjdbc",
                            "accounts.QueriesJdbc",
                            "java.sql.Connection"),
                    new Case(
                            "domainImportsNoCloudSdk",
                            "domaincloud",
                            "storage.CallsCloudSdk",
                            "software.amazon.archfixture.CloudClient"),
                    new Case(
                            "logAndVerifierKnowNoRegistry",
                            "logregistry",
                            "log.ReadsRegistry",
                            FIXTURES + "logregistry.registry.Package"),
                    new Case(
                            "logAndVerifierKnowNoRegistry",
                            "logregistry",
                            "provenance.sigstore.AsksAccounts",
                            FIXTURES + "logregistry.accounts.Account"),
                    new Case(
                            "nothingUsesTheServer",
                            "serverusers",
                            "registry.ReachesIntoServer",
                            FIXTURES + "serverusers.server.Route"),
                    new Case(
                            "driversOnlyThroughTheirContracts",
                            "drivers",
                            "registry.OpensSqlite",
                            FIXTURES + "drivers.storage.embedded.SqliteStore"),
                    new Case(
                            "driversOnlyThroughTheirContracts",
                            "drivers",
                            "signing.OpensLogDatabase",
                            FIXTURES + "drivers.log.sqlite.LogDatabase"),
                    new Case(
                            "driversOnlyThroughTheirContracts",
                            "drivers",
                            "server.Routes",
                            FIXTURES + "drivers.storage.embedded.SqliteStore"),
                    new Case(
                            "registryUsesOnlyTheLayersBelow",
                            "registrylayers",
                            "registry.AppendsToLog",
                            FIXTURES + "registrylayers.log.TransparencyLog"),
                    new Case(
                            "governanceAndAccountsDoNotUseTheRegistry",
                            "governanceregistry",
                            "governance.CallsRegistry",
                            FIXTURES + "governanceregistry.registry.Registry"),
                    new Case(
                            "governanceAndAccountsDoNotUseTheRegistry",
                            "governanceregistry",
                            "accounts.AlsoCallsRegistry",
                            FIXTURES + "governanceregistry.registry.Registry"),
                    new Case(
                            "governanceUsesOnlyItsLayers",
                            "governancelayers",
                            "governance.ChecksTrustedPublisher",
                            FIXTURES + "governancelayers.provenance.TrustedPublishing"),
                    new Case(
                            "governanceUsesOnlyItsLayers",
                            "governancelayers",
                            "governance.OpensSqlite",
                            FIXTURES + "governancelayers.storage.embedded.SqliteStore"),
                    new Case(
                            "accountsDoNotUseGovernance",
                            "accountsgovernance",
                            "accounts.ReadsPolicy",
                            FIXTURES + "accountsgovernance.governance.Policy"),
                    new Case(
                            "reviewUsesOnlyItsLibraries",
                            "reviewlayers",
                            "review.ReadsStorage",
                            FIXTURES + "reviewlayers.storage.MetadataStore"),
                    new Case(
                            "reviewUsesOnlyItsLibraries",
                            "reviewlayers",
                            "review.FetchesItself",
                            "org.archfixture.elsewhere.HttpLibrary"),
                    new Case(
                            "webUsesOnlyItsLibraries",
                            "weblayers",
                            "web.ReadsStorage",
                            FIXTURES + "weblayers.storage.MetadataStore"),
                    new Case(
                            "webUsesOnlyItsLibraries",
                            "weblayers",
                            "web.FetchesItself",
                            "org.archfixture.elsewhere.HttpLibrary"),
                    new Case(
                            "awarenessUsesOnlyItsLayers",
                            "awarenesslayers",
                            "awareness.QuarantinesItself",
                            FIXTURES + "awarenesslayers.registry.Quarantines"),
                    new Case(
                            "awarenessUsesOnlyItsLayers",
                            "awarenesslayers",
                            "awareness.ReadsPolicy",
                            FIXTURES + "awarenesslayers.governance.Policy"),
                    new Case(
                            "verifyUsesOnlyItsLayers",
                            "verifylayers",
                            "verify.AsksTheRegistry",
                            FIXTURES + "verifylayers.registry.Registry"),
                    new Case(
                            "proxyUsesOnlyItsLayers",
                            "proxylayers",
                            "proxy.ReachesIntoTheRegistry",
                            FIXTURES + "proxylayers.registry.Registry"),
                    new Case(
                            "storageContractsStandAlone",
                            "storagecontracts",
                            "storage.UsesCommon",
                            FIXTURES + "storagecontracts.common.Digests"),
                    new Case(
                            "driversSpeakNoHttp",
                            "driverhttp",
                            "storage.postgres.ServesHealth",
                            "java.net.http.HttpClient"),
                    new Case(
                            "driversSpeakNoHttp",
                            "driverhttp",
                            "log.postgres.FetchesTiles",
                            "java.net.http.HttpClient"),
                    new Case(
                            "postgresDriverUsesOnlyStorage",
                            "postgreslayers",
                            "storage.postgres.ReadsAccounts",
                            FIXTURES + "postgreslayers.accounts.Account"),
                    new Case(
                            "postgresLogStoreUsesOnlyTheLogCore",
                            "postgreslayers",
                            "log.postgres.ReadsRegistry",
                            FIXTURES + "postgreslayers.registry.Package"),
                    new Case(
                            "commonStandsAlone",
                            "common",
                            "common.UsesStorage",
                            FIXTURES + "common.storage.BlobStore"));

    @ParameterizedTest(name = "{0}")
    @FieldSource("CASES")
    void ruleReportsItsFixture(Case c) {
        List<String> violations = violations(c.rule(), c.fixture());

        assertThat(violations)
                .as("violations of %s", c.rule())
                .anyMatch(
                        v ->
                                v.contains("<" + FIXTURES + c.fixture() + "." + c.offender())
                                        && v.contains("<" + c.target()));
    }

    @Test
    void everyRuleHasAFixture() {
        assertThat(CASES.stream().map(Case::rule).collect(Collectors.toSet()))
                .isEqualTo(WardenRules.PRODUCTION.all().keySet());
    }

    @Test
    void everyRuleSaysWhy() {
        assertThat(WardenRules.PRODUCTION.all())
                .allSatisfy(
                        (name, rule) ->
                                assertThat(rule.getDescription()).as(name).contains(", because "));
    }

    @Test
    void theLogsSqliteStoreIsADriverNotTheDomain() {
        assertThat(violations("domainImportsNoJdbc", "domainjdbc"))
                .noneMatch(v -> v.contains("LogDatabase"));
    }

    @Test
    void theCommandLineMayStartTheServer() {
        assertThat(violations("nothingUsesTheServer", "serverusers"))
                .noneMatch(v -> v.contains("StartsServer"));
    }

    @Test
    void theCompositionRootAndItsNestedClassesPickTheDrivers() {
        assertThat(violations("driversOnlyThroughTheirContracts", "drivers"))
                .noneMatch(v -> v.contains("WardenServer"));
    }

    @Test
    void theRegistryMayUseTheStorageContracts() {
        assertThat(violations("registryUsesOnlyTheLayersBelow", "registrylayers"))
                .noneMatch(v -> v.contains("UsesStorage"));
    }

    @Test
    void governanceMayUseTheStorageContractsAndAccounts() {
        assertThat(violations("governanceUsesOnlyItsLayers", "governancelayers"))
                .noneMatch(v -> v.contains("UsesItsLayers"));
    }

    @Test
    void theReviewMayUseCommonJacksonCompressAndSemver() {
        assertThat(violations("reviewUsesOnlyItsLibraries", "reviewlayers"))
                .noneMatch(v -> v.contains("UsesItsLibraries"));
    }

    @Test
    void theWebModuleMayUseCommonMarkJsoupDiffAndCompress() {
        assertThat(violations("webUsesOnlyItsLibraries", "weblayers"))
                .noneMatch(v -> v.contains("UsesItsLibraries"));
    }

    @Test
    void theRegistryMayUseTheReview() {
        assertThat(violations("registryUsesOnlyTheLayersBelow", "registrylayers"))
                .noneMatch(v -> v.contains("AsksReview"));
    }

    @Test
    void awarenessMayUseTheStorageContractsAndAccounts() {
        assertThat(violations("awarenessUsesOnlyItsLayers", "awarenesslayers"))
                .noneMatch(v -> v.contains("UsesItsLayers"));
    }

    @Test
    void aDriverMayUseCommon() {
        assertThat(violations("storageContractsStandAlone", "storagecontracts"))
                .noneMatch(v -> v.contains("Driver"));
    }

    @Test
    void thePostgresDriverMayUseTheSqlViewsAndTheContracts() {
        assertThat(violations("postgresDriverUsesOnlyStorage", "postgreslayers"))
                .noneMatch(v -> v.contains("UsesItsLayers"));
    }

    @Test
    void thePostgresLogStoreMayUseTheLogCoreAndTheDriversFacade() {
        assertThat(violations("postgresLogStoreUsesOnlyTheLogCore", "postgreslayers"))
                .noneMatch(v -> v.contains("UsesItsLayers"));
    }

    private static final Map<String, JavaClasses> IMPORTED =
            new java.util.concurrent.ConcurrentHashMap<>();

    private static List<String> violations(String rule, String fixture) {
        JavaClasses classes =
                IMPORTED.computeIfAbsent(
                        fixture, f -> new ClassFileImporter().importPackages(FIXTURES + f));
        ArchRule r = new WardenRules(FIXTURES + fixture).all().get(rule);
        return r.evaluate(classes).getFailureReport().getDetails();
    }
}
