package dev.warden.architecture;

import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.properties.HasName;
import com.tngtech.archunit.lang.ArchRule;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The layering rules of Warden's main code, written against a root package: {@code dev.warden} for
 * the real classes, and a fixture's root (whose sub-packages mirror the real ones) to show that
 * each rule still catches what it forbids. Package names below are relative to the root.
 */
final class WardenRules {

    static final WardenRules PRODUCTION = new WardenRules("dev.warden");

    /** HTTP clients and servers: the edge (the server module) speaks HTTP, the domain does not. */
    static final String[] HTTP = {"org.eclipse.jetty..", "java.net.http.."};

    /** The storage drivers: the only modules that speak SQL or to object storage. */
    static final String[] DRIVERS = {
        "storage.embedded..",
        "storage.sql..",
        "storage.postgres..",
        "log.sqlite..",
        "log.postgres.."
    };

    static final String[] JDBC = {
        "java.sql..",
        "javax.sql..",
        "org.sqlite..",
        "org.postgresql..",
        "com.zaxxer.hikari..",
        "org.jdbi..",
        "org.flywaydb.."
    };

    static final String[] CLOUD_SDK = {"software.amazon.."};

    private final String root;

    WardenRules(String root) {
        this.root = root;
    }

    /** Every rule by name, in the order the tests report them. */
    Map<String, ArchRule> all() {
        Map<String, ArchRule> rules = new LinkedHashMap<>();
        rules.put("domainImportsNoHttp", domainImportsNoHttp());
        rules.put("domainImportsNoJdbc", domainImportsNoJdbc());
        rules.put("domainImportsNoCloudSdk", domainImportsNoCloudSdk());
        rules.put("logAndVerifierKnowNoRegistry", logAndVerifierKnowNoRegistry());
        rules.put("nothingUsesTheServer", nothingUsesTheServer());
        rules.put("driversOnlyThroughTheirContracts", driversOnlyThroughTheirContracts());
        rules.put("registryUsesOnlyTheLayersBelow", registryUsesOnlyTheLayersBelow());
        rules.put(
                "governanceAndAccountsDoNotUseTheRegistry",
                governanceAndAccountsDoNotUseTheRegistry());
        rules.put("governanceUsesOnlyItsLayers", governanceUsesOnlyItsLayers());
        rules.put("accountsDoNotUseGovernance", accountsDoNotUseGovernance());
        rules.put("reviewUsesOnlyItsLibraries", reviewUsesOnlyItsLibraries());
        rules.put("webUsesOnlyItsLibraries", webUsesOnlyItsLibraries());
        rules.put("awarenessUsesOnlyItsLayers", awarenessUsesOnlyItsLayers());
        rules.put("verifyUsesOnlyItsLayers", verifyUsesOnlyItsLayers());
        rules.put("proxyUsesOnlyItsLayers", proxyUsesOnlyItsLayers());
        rules.put("storageContractsStandAlone", storageContractsStandAlone());
        rules.put("commonStandsAlone", commonStandsAlone());
        rules.put("driversSpeakNoHttp", driversSpeakNoHttp());
        rules.put("postgresDriverUsesOnlyStorage", postgresDriverUsesOnlyStorage());
        rules.put("postgresLogStoreUsesOnlyTheLogCore", postgresLogStoreUsesOnlyTheLogCore());
        return rules;
    }

    ArchRule domainImportsNoHttp() {
        return noClasses()
                .that(areDomain())
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(HTTP)
                .because(
                        "the domain is reached through the server module's routes; a domain class"
                            + " that needs the network takes a small interface of its own package,"
                            + " implemented with HTTP in the server");
    }

    ArchRule domainImportsNoJdbc() {
        return noClasses()
                .that(areDomain())
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(JDBC)
                .because(
                        "the domain reads and writes through the storage contracts (MetadataStore,"
                            + " BlobStore, LogStore), so a second storage driver is a new module"
                            + " and the domain does not change");
    }

    ArchRule domainImportsNoCloudSdk() {
        return noClasses()
                .that(areDomain())
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(CLOUD_SDK)
                .because(
                        "object storage is a storage driver behind BlobStore or LogStore, never a"
                                + " dependency of the domain");
    }

    ArchRule logAndVerifierKnowNoRegistry() {
        return noClasses()
                .that(
                        areLogCore()
                                .or(resideIn("provenance.sigstore.."))
                                .as("are in the log core or the Sigstore verifier"))
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        pkg("registry.."), pkg("governance.."), pkg("accounts.."), pkg("storage.."))
                .because(
                        "the transparency log and the Sigstore verifier check what anyone can check"
                                + " from public data and are reused by the signing stack and the"
                                + " monitor: they must not need a registry to run");
    }

    ArchRule nothingUsesTheServer() {
        return noClasses()
                .that()
                .resideOutsideOfPackages(pkg("server.."), pkg("cli.."))
                .should()
                .dependOnClassesThat()
                .resideInAPackage(pkg("server.."))
                .because(
                        "the server module is the HTTP edge and the composition root: everything"
                            + " else sits below it, and only the command line (which starts it) may"
                            + " reach into it");
    }

    ArchRule driversOnlyThroughTheirContracts() {
        return noClasses()
                .that()
                .resideOutsideOfPackages(
                        pkg("storage.embedded.."),
                        pkg("storage.sql.."),
                        pkg("storage.postgres.."),
                        pkg("log.sqlite.."),
                        pkg("log.postgres.."),
                        pkg("cli.."))
                .and(DescribedPredicate.not(isCompositionRoot()))
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        pkg("storage.embedded.."),
                        pkg("storage.sql.."),
                        pkg("storage.postgres.."),
                        pkg("log.sqlite.."),
                        pkg("log.postgres.."))
                .because(
                        "storage drivers are chosen in one place (Stores, which opens the"
                                + " metadata, blob and log stores for the server and the admin"
                                + " commands) and used through MetadataStore, BlobStore and"
                                + " LogStore, so another driver can replace them without other"
                                + " changes");
    }

    ArchRule registryUsesOnlyTheLayersBelow() {
        return classes()
                .that()
                .resideInAPackage(pkg("registry.."))
                .should()
                .onlyDependOnClassesThat(
                        outsideRoot()
                                .or(
                                        resideIn(
                                                "registry..",
                                                "governance..",
                                                "review..",
                                                "awareness..",
                                                "accounts..",
                                                "provenance..",
                                                "storage..",
                                                "common..")))
                .because(
                        "the registry builds on governance, the release review, awareness,"
                            + " accounts, provenance, the storage contracts and common; the log,"
                            + " signing and the server are wired to it from above (an Attestor, not"
                            + " an import)");
    }

    ArchRule governanceAndAccountsDoNotUseTheRegistry() {
        return noClasses()
                .that()
                .resideInAnyPackage(pkg("governance.."), pkg("accounts.."), pkg("awareness.."))
                .should()
                .dependOnClassesThat()
                .resideInAPackage(pkg("registry.."))
                .because(
                        "the registry asks governance for a decision and accounts for who acts;"
                            + " they take facts (and governance its own ports, which the registry"
                            + " implements), not the registry, so the dependency points one way"
                            + " only");
    }

    ArchRule governanceUsesOnlyItsLayers() {
        return classes()
                .that()
                .resideInAPackage(pkg("governance.."))
                .should()
                .onlyDependOnClassesThat(
                        outsideRoot()
                                .or(resideIn("governance..", "accounts..", "common.."))
                                .or(areStorageContracts()))
                .because(
                        "governance keeps policies, stages, change requests and successors through"
                            + " the storage contracts, with accounts for who acts; what it needs of"
                            + " the registry (package facts, the outbox, carrying out an approved"
                            + " change) comes in as its own ports, which the registry implements");
    }

    ArchRule accountsDoNotUseGovernance() {
        return noClasses()
                .that()
                .resideInAPackage(pkg("accounts.."))
                .should()
                .dependOnClassesThat()
                .resideInAPackage(pkg("governance.."))
                .because(
                        "governance decides on facts about accounts (who acts, their second"
                                + " factors); accounts know nothing of package policy");
    }

    ArchRule reviewUsesOnlyItsLibraries() {
        return classes()
                .that()
                .resideInAPackage(pkg("review.."))
                .should()
                .onlyDependOnClassesThat(
                        resideIn("review..", "common..")
                                .or(
                                        JavaClass.Predicates.resideInAnyPackage(
                                                "java..",
                                                "com.fasterxml.jackson..",
                                                "org.apache.commons.compress..",
                                                "org.semver4j.."))
                                .or(isPrimitiveOrArray()))
                .because(
                        "the review reads a release's bytes and what the registry tells it through"
                                + " its Ecosystem port: a pure function of its inputs that parses"
                                + " untrusted tarballs, so it takes no storage, network or registry"
                                + " dependency, and only the JDK, Jackson, commons-compress and"
                                + " semver4j");
    }

    ArchRule webUsesOnlyItsLibraries() {
        return classes()
                .that()
                .resideInAPackage(pkg("web.."))
                .should()
                .onlyDependOnClassesThat(
                        resideIn("web..", "common..")
                                .or(
                                        JavaClass.Predicates.resideInAnyPackage(
                                                "java..",
                                                "org.commonmark..",
                                                "org.jsoup..",
                                                "com.github.difflib..",
                                                "org.apache.commons.compress.."))
                                .or(isPrimitiveOrArray()))
                .because(
                        "what the pages show beyond a template (a README made safe, a release diff,"
                            + " highlighted source) is a pure function of text and tarball bytes"
                            + " handed to it: it parses untrusted input, so it takes no storage,"
                            + " network or registry dependency, and only the JDK, commonmark,"
                            + " jsoup, java-diff-utils and commons-compress");
    }

    ArchRule awarenessUsesOnlyItsLayers() {
        return classes()
                .that()
                .resideInAPackage(pkg("awareness.."))
                .should()
                .onlyDependOnClassesThat(
                        outsideRoot()
                                .or(resideIn("awareness..", "accounts..", "common.."))
                                .or(areStorageContracts()))
                .because(
                        "awareness keeps posture, guides, exercises, advisories and reports through"
                            + " the storage contracts, with accounts for who acts; what it needs of"
                            + " the registry and governance (a package's maintainers, impact,"
                            + " policy, releases, quarantine) comes in as its own ports, which the"
                            + " registry implements");
    }

    ArchRule verifyUsesOnlyItsLayers() {
        return classes()
                .that()
                .resideInAPackage(pkg("verify.."))
                .should()
                .onlyDependOnClassesThat(
                        outsideRoot()
                                .or(resideIn("verify..", "common..", "provenance.."))
                                .or(areLogCore()))
                .because(
                        "a consumer verifies from public data alone: lockfiles, what registries"
                            + " serve, the Sigstore verifier and the log's proofs; it runs without"
                            + " a registry, a store or a server, and reaches the network through"
                            + " its Remote port");
    }

    ArchRule proxyUsesOnlyItsLayers() {
        return classes()
                .that()
                .resideInAPackage(pkg("proxy.."))
                .should()
                .onlyDependOnClassesThat(
                        outsideRoot()
                                .or(
                                        resideIn(
                                                "proxy..",
                                                "common..",
                                                "provenance..",
                                                "verify..",
                                                "review.."))
                                .or(areLogCore())
                                .or(areStorageContracts()))
                .because(
                        "the proxy judges what its uplinks serve with the verifier's and the"
                            + " review's own parts, keeps it through the storage contracts, reaches"
                            + " the network through its Upstream port and the log through its"
                            + " IngestLog port; it knows neither the registry nor the server");
    }

    ArchRule storageContractsStandAlone() {
        return classes()
                .that(areStorageContracts())
                .should()
                .onlyDependOnClassesThat(outsideRoot().or(areStorageContracts()))
                .because(
                        "the storage contracts are what every driver implements: they name no other"
                                + " Warden package, so a driver depends on them alone");
    }

    ArchRule commonStandsAlone() {
        return classes()
                .that()
                .resideInAPackage(pkg("common.."))
                .should()
                .onlyDependOnClassesThat(outsideRoot().or(resideIn("common..")))
                .because("common is the bottom of every module's dependencies");
    }

    ArchRule driversSpeakNoHttp() {
        return noClasses()
                .that(resideIn(DRIVERS))
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(HTTP)
                .because(
                        "a storage driver talks to its database and object store through their own"
                            + " clients; serving HTTP is the server's, so a driver never opens a"
                            + " route or an endpoint of its own");
    }

    ArchRule postgresDriverUsesOnlyStorage() {
        return classes()
                .that()
                .resideInAPackage(pkg("storage.postgres.."))
                .should()
                .onlyDependOnClassesThat(
                        outsideRoot()
                                .or(resideIn("storage.postgres..", "storage.sql..", "common.."))
                                .or(areStorageContracts()))
                .because(
                        "the postgres driver implements the storage contracts with the SQL views"
                            + " the embedded driver shares; it knows no registry, accounts or log,"
                            + " so every node runs the same domain over it unchanged");
    }

    ArchRule postgresLogStoreUsesOnlyTheLogCore() {
        return classes()
                .that()
                .resideInAPackage(pkg("log.postgres.."))
                .should()
                .onlyDependOnClassesThat(
                        outsideRoot()
                                .or(resideIn("log.postgres..", "storage.postgres..", "common.."))
                                .or(areLogCore())
                                .or(areStorageContracts()))
                .because(
                        "the shared log store implements the log core's contract over the postgres"
                                + " driver's pool and object store; the registry, the signing stack"
                                + " and the server use it through LogStore, never the other way");
    }

    private String pkg(String relative) {
        return root + "." + relative;
    }

    private DescribedPredicate<JavaClass> resideIn(String... relative) {
        String[] packages = new String[relative.length];
        for (int i = 0; i < relative.length; i++) {
            packages[i] = pkg(relative[i]);
        }
        return JavaClass.Predicates.resideInAnyPackage(packages);
    }

    private static DescribedPredicate<JavaClass> isPrimitiveOrArray() {
        return DescribedPredicate.describe(
                "are primitive or arrays", c -> c.isPrimitive() || c.isArray());
    }

    private DescribedPredicate<JavaClass> outsideRoot() {
        return JavaClass.Predicates.resideOutsideOfPackage(root + "..");
    }

    /**
     * The domain modules: everything but the server (the HTTP edge), the command line and the
     * storage drivers.
     */
    private DescribedPredicate<JavaClass> areDomain() {
        return resideIn(
                        "common..",
                        "accounts..",
                        "registry..",
                        "governance..",
                        "review..",
                        "web..",
                        "awareness..",
                        "verify..",
                        "proxy..",
                        "provenance..",
                        "signing..",
                        "log..",
                        "storage..")
                .and(DescribedPredicate.not(resideIn(DRIVERS)))
                .as("are in a domain module");
    }

    private DescribedPredicate<JavaClass> areLogCore() {
        return resideIn("log..")
                .and(DescribedPredicate.not(resideIn("log.sqlite..", "log.postgres..")))
                .as("are in the log core");
    }

    private DescribedPredicate<JavaClass> areStorageContracts() {
        return resideIn("storage..")
                .and(
                        DescribedPredicate.not(
                                resideIn(
                                        "storage.embedded..",
                                        "storage.sql..",
                                        "storage.postgres..",
                                        "storage.tests..")))
                .as("are storage contracts");
    }

    /**
     * WardenServer and Stores (where the server and the admin commands open storage) pick the
     * drivers from the configuration; nested classes count as their class.
     */
    private DescribedPredicate<HasName> isCompositionRoot() {
        return nameMatching(
                        "("
                                + Pattern.quote(pkg("server.WardenServer"))
                                + "|"
                                + Pattern.quote(pkg("server.Stores"))
                                + ")(\\$.*)?")
                .as("the composition root WardenServer and Stores");
    }
}
