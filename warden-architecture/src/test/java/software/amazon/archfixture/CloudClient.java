package software.amazon.archfixture;

/**
 * Stands in for a cloud SDK class (none is on the classpath) in the domainImportsNoCloudSdk
 * fixture.
 */
public class CloudClient {}
