package dev.warden.archfixtures.serverusers.registry;

/** Breaks nothingUsesTheServer: the registry names a server type. */
public class ReachesIntoServer {
    dev.warden.archfixtures.serverusers.server.Route route;
}
