package dev.warden.archfixtures.logregistry.log;

/** Breaks logAndVerifierKnowNoRegistry: the log core names a registry type. */
public class ReadsRegistry {
    dev.warden.archfixtures.logregistry.registry.Package entry;
}
