package dev.warden.awareness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.storage.MetadataStore;
import dev.warden.storage.SecurityEvents;
import dev.warden.storage.Tokens.TokenRecord;
import dev.warden.storage.TwoFactor.TfaRecord;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

/** Reads an account's facts (second factors, live tokens, recent events) in one transaction. */
final class AccountReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Enough history for 14 days of an ordinary account; older events do not count. */
    private static final int EVENTS = 200;

    private final MetadataStore store;

    AccountReader(MetadataStore store) {
        this.store = store;
    }

    AccountFacts read(String user, Instant now, boolean governsHighImpact) {
        return store.read(
                tx -> {
                    String mode =
                            tx.twoFactor()
                                    .find(user)
                                    .filter(r -> !r.pending())
                                    .map(TfaRecord::mode)
                                    .orElse(null);
                    int passkeys = tx.passkeys().of(user).size();
                    List<AccountFacts.Token> tokens =
                            tx.tokens().of(user).stream()
                                    .filter(t -> t.expires() == null || t.expires().isAfter(now))
                                    .map(AccountReader::token)
                                    .toList();
                    List<AccountFacts.Event> events =
                            tx.securityEvents().list(user, 0, EVENTS).stream()
                                    .filter(e -> !e.at().isBefore(now.minus(AccountRules.RECENT)))
                                    .map(
                                            (SecurityEvents.Event e) ->
                                                    new AccountFacts.Event(e.kind(), e.at()))
                                    .toList();
                    return new AccountFacts(
                            user, mode, passkeys, tokens, events, governsHighImpact);
                });
    }

    /**
     * The stored limits are {@code {}} for a sign-in's token and {@code {"packages":[..],
     * "scopes":[..]}} for one made by npm token create.
     */
    private static AccountFacts.Token token(TokenRecord t) {
        String limits = t.limits();
        boolean fromSignIn = limits == null || limits.isBlank() || limits.equals("{}");
        boolean limited = false;
        if (!fromSignIn) {
            try {
                JsonNode n = JSON.readTree(limits);
                limited = !n.path("packages").isEmpty() || !n.path("scopes").isEmpty();
            } catch (IOException e) {
                limited = true; // accounts treats unreadable limits as covering nothing
            }
        }
        return new AccountFacts.Token(
                t.key(),
                t.name(),
                t.readOnly(),
                fromSignIn,
                limited,
                t.created(),
                t.expires(),
                t.lastUsed(),
                !t.cidrs().isEmpty(),
                t.bypass2fa());
    }
}
