package dev.warden.archfixtures.governanceregistry.governance;

/** Breaks governanceAndAccountsDoNotUseTheRegistry: governance calls back into the registry. */
public class CallsRegistry {
    dev.warden.archfixtures.governanceregistry.registry.Registry registry;
}
