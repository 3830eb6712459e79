package dev.warden.storage;

import java.time.Instant;
import java.util.Optional;

/**
 * What phishing defence keeps: the verification code of every mail sent, the addresses each account
 * signed in from, codes mailed for a sign-in from a new address, which co-maintainer alerts were
 * sent, and when each maintainer's grace period for a passkey began.
 */
public interface PhishingDefence {

    /** Records a sent message; false if {@code code} is already taken (nothing is written). */
    boolean putMessage(String code, String user, String recipient, String subject, Instant at);

    Optional<SentMessage> message(String code);

    /** Whether {@code user} has any known sign-in address at all. */
    boolean hasKnownAddresses(String user);

    Optional<KnownAddress> knownAddress(String user, String address);

    /** Records a successful sign-in from {@code address} (first seen now, or seen again). */
    void noteSignIn(String user, String address, String client, Instant at);

    void putSignInCode(String user, String address, String codeHash, Instant expires);

    /** The pending code for a sign-in of {@code user} from {@code address}. */
    Optional<SignInCode> signInCode(String user, String address);

    void removeSignInCode(String user, String address);

    /** Records that co-maintainers were told; false if they already were (nothing written). */
    boolean putAlert(String user, String address, String pkg, Instant at);

    Optional<PasskeyGrace> passkeyGrace(String user);

    /** Starts {@code user}'s grace period at {@code at} unless one is recorded already. */
    PasskeyGrace startPasskeyGrace(String user, Instant at);

    void markReminded(String user, Instant at);

    record SentMessage(String code, String user, String recipient, String subject, Instant at) {}

    record KnownAddress(String address, String client, Instant firstSeen, Instant lastSeen) {}

    record SignInCode(String codeHash, Instant expires) {}

    record PasskeyGrace(Instant started, Instant lastReminded) {}
}
