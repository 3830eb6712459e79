package dev.warden.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import java.util.List;

/**
 * The rules of {@link WardenRules} against the main classes of every module (this module's
 * dependencies).
 */
@AnalyzeClasses(packages = "dev.warden", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final WardenRules RULES = WardenRules.PRODUCTION;

    @ArchTest static final ArchRule domainImportsNoHttp = RULES.domainImportsNoHttp();

    @ArchTest static final ArchRule domainImportsNoJdbc = RULES.domainImportsNoJdbc();

    @ArchTest static final ArchRule domainImportsNoCloudSdk = RULES.domainImportsNoCloudSdk();

    @ArchTest
    static final ArchRule logAndVerifierKnowNoRegistry = RULES.logAndVerifierKnowNoRegistry();

    @ArchTest static final ArchRule nothingUsesTheServer = RULES.nothingUsesTheServer();

    @ArchTest
    static final ArchRule driversOnlyThroughTheirContracts =
            RULES.driversOnlyThroughTheirContracts();

    @ArchTest
    static final ArchRule registryUsesOnlyTheLayersBelow = RULES.registryUsesOnlyTheLayersBelow();

    @ArchTest
    static final ArchRule governanceAndAccountsDoNotUseTheRegistry =
            RULES.governanceAndAccountsDoNotUseTheRegistry();

    @ArchTest
    static final ArchRule governanceUsesOnlyItsLayers = RULES.governanceUsesOnlyItsLayers();

    @ArchTest static final ArchRule accountsDoNotUseGovernance = RULES.accountsDoNotUseGovernance();

    @ArchTest static final ArchRule reviewUsesOnlyItsLibraries = RULES.reviewUsesOnlyItsLibraries();

    @ArchTest static final ArchRule webUsesOnlyItsLibraries = RULES.webUsesOnlyItsLibraries();

    @ArchTest static final ArchRule awarenessUsesOnlyItsLayers = RULES.awarenessUsesOnlyItsLayers();

    @ArchTest static final ArchRule verifyUsesOnlyItsLayers = RULES.verifyUsesOnlyItsLayers();

    @ArchTest static final ArchRule proxyUsesOnlyItsLayers = RULES.proxyUsesOnlyItsLayers();

    @ArchTest static final ArchRule storageContractsStandAlone = RULES.storageContractsStandAlone();

    @ArchTest static final ArchRule commonStandsAlone = RULES.commonStandsAlone();

    /** A module missing from this module's dependencies would pass every rule unseen. */
    @ArchTest
    static void seesEveryMainModule(JavaClasses classes) {
        List<String> packages = classes.stream().map(JavaClass::getPackageName).distinct().toList();
        assertThat(packages)
                .contains(
                        "dev.warden.common",
                        "dev.warden.storage",
                        "dev.warden.storage.embedded",
                        "dev.warden.storage.sql",
                        "dev.warden.storage.postgres",
                        "dev.warden.log.postgres",
                        "dev.warden.accounts",
                        "dev.warden.log",
                        "dev.warden.log.sqlite",
                        "dev.warden.governance",
                        "dev.warden.review",
                        "dev.warden.awareness",
                        "dev.warden.verify",
                        "dev.warden.proxy",
                        "dev.warden.provenance",
                        "dev.warden.provenance.sigstore",
                        "dev.warden.signing",
                        "dev.warden.registry",
                        "dev.warden.server",
                        "dev.warden.server.http",
                        "dev.warden.cli");
        assertThat(classes.stream().map(JavaClass::getName))
                .noneMatch(name -> name.startsWith("dev.warden.archfixtures."));
    }
}
