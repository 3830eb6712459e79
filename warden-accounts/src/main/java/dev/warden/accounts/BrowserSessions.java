package dev.warden.accounts;

import dev.warden.storage.MetadataStore;
import dev.warden.storage.Tokens.TokenRecord;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Web sessions: tokens marked as browser sessions, issued only after a sign-in on the web and
 * accepted only as the session cookie.
 */
final class BrowserSessions {

    private final MetadataStore store;
    private final TokenCodec codec;
    private final Clock clock;
    private final UserTokens tokens;

    BrowserSessions(MetadataStore store, TokenCodec codec, Clock clock, UserTokens tokens) {
        this.store = store;
        this.codec = codec;
        this.clock = clock;
        this.tokens = tokens;
    }

    /**
     * The description that marks a browser session token: only those are accepted as the web
     * session cookie.
     */
    static final String BROWSER_SESSION = "browser session";

    /** A browser session for {@code user}, issued only after a sign-in on the web; 2 hours. */
    Accounts.IssuedToken start(String user) {
        String secret = codec.newSecret();
        String hash = TokenCodec.hash(secret);
        TokenRecord record =
                new TokenRecord(
                        TokenCodec.key(hash),
                        hash,
                        user,
                        false,
                        clock.instant(),
                        clock.instant().plus(Duration.ofHours(2)),
                        List.of(),
                        null,
                        null,
                        BROWSER_SESSION,
                        "{}",
                        false);
        store.write(
                tx -> {
                    tx.tokens().insert(record);
                    return null;
                });
        return new Accounts.IssuedToken(secret, record);
    }

    /** When a browser session began, if the secret is one. */
    Optional<Instant> started(String secret) {
        if (!TokenCodec.wellFormed(secret)) {
            return Optional.empty();
        }
        return store.read(tx -> tx.tokens().findByHash(TokenCodec.hash(secret)))
                .filter(t -> BROWSER_SESSION.equals(t.description()))
                .map(TokenRecord::created);
    }

    /** The user of a browser session cookie; any other kind of token is refused. */
    Optional<Principal> authenticate(String secret, InetAddress from) {
        if (!TokenCodec.wellFormed(secret)) {
            return Optional.empty();
        }
        Optional<TokenRecord> t = store.read(tx -> tx.tokens().findByHash(TokenCodec.hash(secret)));
        if (t.isEmpty() || !BROWSER_SESSION.equals(t.get().description())) {
            return Optional.empty();
        }
        return tokens.principal(t.get(), from);
    }
}
