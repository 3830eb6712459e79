package dev.warden.archfixtures.serverusers.server;

/** The server side of the serverusers fixture. */
public class Route {}
