package dev.warden.archfixtures.governanceregistry.accounts;

/** Breaks governanceAndAccountsDoNotUseTheRegistry: accounts call into the registry. */
public class AlsoCallsRegistry {
    dev.warden.archfixtures.governanceregistry.registry.Registry registry;
}
