package dev.warden.accounts;

import dev.warden.common.Problem;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.Tokens.TokenRecord;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Users' API tokens: issuing them (at login, or made with limits by {@code npm token create}),
 * authenticating a bearer token, revoking one, and revoking those reported as leaked.
 */
final class UserTokens {

    private final MetadataStore store;
    private final TokenCodec codec;
    private final Clock clock;
    private final SecurityLog log;
    private final PublisherTokens publisherTokens;

    UserTokens(
            MetadataStore store,
            TokenCodec codec,
            Clock clock,
            SecurityLog log,
            PublisherTokens publisherTokens) {
        this.store = store;
        this.codec = codec;
        this.clock = clock;
        this.log = log;
        this.publisherTokens = publisherTokens;
    }

    Accounts.IssuedToken issue(String user, boolean readOnly, Instant expires, List<String> cidrs) {
        String secret = codec.newSecret();
        String hash = TokenCodec.hash(secret);
        TokenRecord record =
                new TokenRecord(
                        TokenCodec.key(hash),
                        hash,
                        user,
                        readOnly,
                        clock.instant(),
                        expires,
                        cidrs);
        store.write(
                tx -> {
                    tx.tokens().insert(record);
                    return null;
                });
        return new Accounts.IssuedToken(secret, record);
    }

    /**
     * The principal a bearer token stands for, if it is valid now and from this address. A browser
     * session is refused with a 401 that says so: it stays on the web, so a session cookie taken
     * from a browser is no way into the API.
     */
    Optional<Principal> authenticateToken(String secret, InetAddress client) {
        if (!TokenCodec.wellFormed(secret)) {
            return Optional.empty();
        }
        String hash = TokenCodec.hash(secret);
        Optional<TokenRecord> token = store.read(tx -> tx.tokens().findByHash(hash));
        if (token.isEmpty()) {
            return publisherTokens.principal(hash);
        }
        if (BrowserSessions.BROWSER_SESSION.equals(token.get().description())) {
            throw Problem.unauthorized(
                    "a browser session cannot be used as an API token: run npm login for a token");
        }
        return principal(token.get(), client);
    }

    /** The principal of a stored token, if it is valid now and from this address. */
    Optional<Principal> principal(TokenRecord t, InetAddress client) {
        String hash = t.hash();
        if (t.expires() != null && !clock.instant().isBefore(t.expires())) {
            return Optional.empty();
        }
        if (!t.cidrs().isEmpty()
                && (client == null
                        || t.cidrs().stream().noneMatch(c -> Cidr.parse(c).contains(client)))) {
            log.record(t.user(), "token.refused-address", client, Map.of("token", t.key()));
            throw Problem.forbidden(
                    "this token may not be used from "
                            + (client == null ? "here" : client.getHostAddress()));
        }
        log.noteAddress(t.user(), client);
        return Optional.of(
                new Principal(
                        t.user(),
                        t.readOnly(),
                        hash,
                        t.bypass2fa(),
                        TokenLimitsJson.parse(t.limits())));
    }

    /** Revokes the token with this secret (npm logout); returns whether it existed. */
    boolean revoke(String secret) {
        String hash = TokenCodec.hash(secret);
        Optional<TokenRecord> t = store.read(tx -> tx.tokens().findByHash(hash));
        boolean deleted = store.write(tx -> tx.tokens().delete(hash));
        if (deleted) {
            log.record(t.get().user(), "token.revoked", null, Map.of("token", t.get().key()));
        }
        return deleted;
    }

    /**
     * Revokes tokens reported as leaked (by a secret scanner, say) and tells their owners; returns
     * how many were live.
     */
    int reportLeaked(List<String> secrets, String source, InetAddress from) {
        int revoked = 0;
        for (String secret : secrets) {
            if (!TokenCodec.wellFormed(secret)) {
                continue;
            }
            String hash = TokenCodec.hash(secret);
            Optional<TokenRecord> t = store.read(tx -> tx.tokens().findByHash(hash));
            if (t.isPresent() && store.write(tx -> tx.tokens().delete(hash))) {
                revoked++;
                log.record(
                        t.get().user(),
                        "token.leaked",
                        from,
                        Map.of("token", t.get().key(), "source", source == null ? "" : source));
            }
        }
        return revoked;
    }

    /**
     * Refuses a credential that may not make tokens (see {@link TokenCreation#check}); the caller
     * checks the password, and the second factor when the account has one.
     */
    void checkMayCreateToken(Principal creator, Accounts.TokenRequest request) {
        TokenCreation.check(store, creator, request);
    }

    /**
     * Stores a token made with limits ({@code npm token create}) for {@code creator}, if its
     * credential may make it ({@link #checkMayCreateToken}); the secret is returned once.
     */
    Accounts.IssuedToken createToken(
            Principal creator, Accounts.TokenRequest request, InetAddress from) {
        checkMayCreateToken(creator, request);
        if (BrowserSessions.BROWSER_SESSION.equals(request.description())) {
            throw Problem.badRequest(
                    "the description \""
                            + BrowserSessions.BROWSER_SESSION
                            + "\" marks browser sessions: choose another");
        }
        String user = creator.user();
        String secret = codec.newSecret();
        String hash = TokenCodec.hash(secret);
        TokenRecord record =
                new TokenRecord(
                        TokenCodec.key(hash),
                        hash,
                        user,
                        request.readOnly(),
                        clock.instant(),
                        request.expires(),
                        request.cidrs(),
                        null,
                        request.name(),
                        request.description(),
                        TokenLimitsJson.write(request.limits()),
                        request.bypass2fa());
        store.write(
                tx -> {
                    tx.tokens().insert(record);
                    return null;
                });
        log.record(
                user,
                "token.created",
                from,
                Map.of(
                        "token",
                        record.key(),
                        "readOnly",
                        request.readOnly(),
                        "bypass2fa",
                        request.bypass2fa()));
        return new Accounts.IssuedToken(secret, record);
    }

    List<TokenRecord> tokens(String user) {
        return store.read(tx -> tx.tokens().of(user));
    }

    /** Revokes one of {@code user}'s tokens by key or by its secret; true if it existed. */
    boolean revokeOwn(String user, String keyOrSecret, InetAddress from) {
        Optional<TokenRecord> t =
                store.read(
                        tx ->
                                tx.tokens().of(user).stream()
                                        .filter(
                                                r ->
                                                        r.key().equals(keyOrSecret)
                                                                || r.hash()
                                                                        .equals(
                                                                                TokenCodec.hash(
                                                                                        keyOrSecret)))
                                        .findFirst());
        if (t.isEmpty()) {
            return false;
        }
        store.write(tx -> tx.tokens().delete(t.get().hash()));
        log.record(user, "token.revoked", from, Map.of("token", t.get().key()));
        return true;
    }
}
