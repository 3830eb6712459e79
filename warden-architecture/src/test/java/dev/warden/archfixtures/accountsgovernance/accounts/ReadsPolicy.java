package dev.warden.archfixtures.accountsgovernance.accounts;

/** Breaks accountsDoNotUseGovernance: accounts read package policy. */
public class ReadsPolicy {
    dev.warden.archfixtures.accountsgovernance.governance.Policy policy;
}
