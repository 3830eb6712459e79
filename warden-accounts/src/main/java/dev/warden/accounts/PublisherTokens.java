package dev.warden.accounts;

import dev.warden.common.Problem;
import dev.warden.provenance.TrustedPublishing;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.TrustedPublishers;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Tokens issued to trusted publishers: a CI job exchanges an ID token, once, for a short-lived
 * token limited to one package.
 */
final class PublisherTokens {

    private final MetadataStore store;
    private final TokenCodec codec;
    private final Clock clock;

    PublisherTokens(MetadataStore store, TokenCodec codec, Clock clock) {
        this.store = store;
        this.codec = codec;
        this.clock = clock;
    }

    /** The principal of a token issued to a trusted publisher, while it is valid. */
    Optional<Principal> principal(String hash) {
        Optional<TrustedPublishers.PublishToken> token =
                store.read(tx -> tx.trustedPublishers().findToken(hash));
        return token.filter(t -> clock.instant().isBefore(t.expires()))
                .map(
                        t -> {
                            Principal.Publisher publisher =
                                    new Principal.Publisher(
                                            t.pkg(),
                                            t.trustId(),
                                            publisherType(t.identity()),
                                            t.permissions(),
                                            t.identity());
                            return new Principal(
                                    TrustedPublishing.publisherName(publisher.type()),
                                    false,
                                    hash,
                                    false,
                                    new Principal.TokenLimits(List.of(t.pkg()), List.of()),
                                    publisher);
                        });
    }

    /**
     * Issues a token for a CI job that proved, with an ID token, to be a trusted publisher of
     * {@code pkg}: it may act only on that package, only as {@code permissions} allow, and only for
     * {@link Accounts#PUBLISH_TOKEN_LIFETIME}.
     *
     * @param idTokenKey what identifies the ID token ({@code IdTokens.Verified.replayKey})
     * @throws Problem 401 if that ID token has been exchanged before
     */
    Accounts.IssuedPublishToken issue(
            String pkg,
            String trustId,
            List<String> permissions,
            String identity,
            String idTokenKey,
            Instant idTokenExpires) {
        String secret = codec.newSecret();
        String hash = TokenCodec.hash(secret);
        Instant now = clock.instant();
        Instant expires = now.plus(Accounts.PUBLISH_TOKEN_LIFETIME);
        store.write(
                tx -> {
                    tx.trustedPublishers().prune(now);
                    // kept past its expiry by the leeway an issuer's clock is allowed, so a replay
                    // in that window is still caught
                    if (!tx.trustedPublishers()
                            .useIdToken(idTokenKey, idTokenExpires.plus(Duration.ofMinutes(5)))) {
                        String message =
                                "this ID token has been exchanged already: each CI ID token can be"
                                        + " used once";
                        throw Problem.unauthorized(message).with("message", message);
                    }
                    tx.trustedPublishers()
                            .insertToken(
                                    new TrustedPublishers.PublishToken(
                                            hash,
                                            pkg,
                                            trustId,
                                            permissions,
                                            identity,
                                            now,
                                            expires));
                    return null;
                });
        return new Accounts.IssuedPublishToken(secret, expires);
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper IDENTITY =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private static String publisherType(String identity) {
        try {
            return IDENTITY.readTree(identity).path("id").asText();
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
