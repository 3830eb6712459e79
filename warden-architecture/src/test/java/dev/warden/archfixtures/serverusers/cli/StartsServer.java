package dev.warden.archfixtures.serverusers.cli;

/** Allowed: the command line starts the server. */
public class StartsServer {
    dev.warden.archfixtures.serverusers.server.Route route;
}
