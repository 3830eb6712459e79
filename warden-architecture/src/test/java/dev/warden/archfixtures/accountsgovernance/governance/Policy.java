package dev.warden.archfixtures.accountsgovernance.governance;

/** The governance side of the accountsgovernance fixture. */
public class Policy {}
