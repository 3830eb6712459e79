package dev.warden.archfixtures.logregistry.accounts;

/** The accounts side of the logregistry fixture. */
public class Account {}
