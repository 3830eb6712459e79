package dev.warden.archfixtures.postgreslayers.accounts;

/** An accounts class of the postgreslayers fixture. */
public class Account {}
