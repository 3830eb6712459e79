package dev.warden.archfixtures.postgreslayers.storage.postgres;

import dev.warden.archfixtures.postgreslayers.accounts.Account;

/** Breaks postgresDriverUsesOnlyStorage: the driver reaches into accounts. */
public class ReadsAccounts {
    Account account = new Account();
}
