package dev.warden.archfixtures.registrylayers.registry;

/** Breaks registryUsesOnlyTheLayersBelow: the registry names the log instead of an Attestor. */
public class AppendsToLog {
    dev.warden.archfixtures.registrylayers.log.TransparencyLog log;
}
