package dev.warden.awareness;

/** Where each step is fixed: this registry's pages, or a client's documentation. */
public record Links(String publicUrl) {

    static final String TRUST_DOCS = "https://docs.npmjs.com/cli/v11/commands/npm-trust";
    static final String PROVENANCE_DOCS = "https://docs.npmjs.com/generating-provenance-statements";
    static final String TOKEN_DOCS = "https://docs.npmjs.com/cli/v11/commands/npm-token";

    /** The account page, at its posture section. */
    String account() {
        return publicUrl + "/-/web/account#posture";
    }

    /** The account page, at its security history. */
    String events() {
        return publicUrl + "/-/web/account#events";
    }

    /**
     * Where a token is dealt with: the account's posture names it by the key {@code npm token list}
     * shows, and the step's fix revokes it.
     */
    String tokens() {
        return account();
    }

    /** The package's governance page. */
    String pkg(String name) {
        return publicUrl + "/-/web/package/" + name.replace("/", "%2f");
    }
}
