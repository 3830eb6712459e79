package dev.warden.archfixtures.logregistry.provenance.sigstore;

/** Breaks logAndVerifierKnowNoRegistry: the Sigstore verifier names an account. */
public class AsksAccounts {
    dev.warden.archfixtures.logregistry.accounts.Account signer;
}
