package dev.warden.archfixtures.proxylayers.proxy;

/**
 * Breaks proxyUsesOnlyItsLayers: the proxy calls the registry's domain instead of its own ports.
 */
public class ReachesIntoTheRegistry {
    dev.warden.archfixtures.proxylayers.registry.Registry registry;
}
