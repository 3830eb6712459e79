package dev.warden.registry;

import dev.warden.awareness.StateCheck;
import dev.warden.awareness.Training;
import dev.warden.governance.ApproverTraining;
import dev.warden.storage.MetadataStore.ReadTx;
import dev.warden.storage.Passkeys.Credential;
import dev.warden.storage.Tokens.TokenRecord;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The registry's side of training: the practical steps read from accounts and governance state
 * (awareness's {@link StateCheck}), and governance's {@link ApproverTraining} answered by
 * awareness's {@link Training}. Step ids are the posture's, so both mean the same by "done".
 */
final class TrainingLink implements StateCheck, ApproverTraining {

    /** Browser sessions are tokens too, but short-lived ones nobody stores: not counted. */
    private static final String BROWSER_SESSION = "browser session";

    private final Clock clock;
    private final String exercisesUrl;
    private Training training;

    TrainingLink(Clock clock, String publicUrl) {
        this.clock = clock;
        this.exercisesUrl = publicUrl.replaceAll("/+$", "") + Training.PAGE;
    }

    /** Set once, right after the training it answers for is made with this as its check. */
    void training(Training t) {
        this.training = t;
    }

    @Override
    public Outcome check(ReadTx tx, String user, String step) {
        Instant now = clock.instant();
        return switch (step) {
            case "add-passkey" -> passkey(tx.passkeys().of(user));
            case "replace-unexpiring-token" -> unexpiring(live(tx, user, now));
            case "limit-write-token-cidr" -> cidr(live(tx, user, now));
            case "name-successor" -> successor(tx, user);
            case "set-up-trusted-publishing" -> trustedPublishing(tx, user);
            default -> new Outcome(false, "Warden cannot check the step " + step);
        };
    }

    private static Outcome passkey(List<Credential> keys) {
        return keys.isEmpty()
                ? new Outcome(false, "Your account has no passkey yet.")
                : new Outcome(true, "Your account has " + keys.size() + " passkey(s).");
    }

    private static List<TokenRecord> live(ReadTx tx, String user, Instant now) {
        return tx.tokens().of(user).stream()
                .filter(t -> !BROWSER_SESSION.equals(t.description()))
                .filter(t -> t.expires() == null || t.expires().isAfter(now))
                .toList();
    }

    private static Outcome unexpiring(List<TokenRecord> tokens) {
        List<String> forever =
                tokens.stream().filter(t -> t.expires() == null).map(TokenRecord::key).toList();
        return forever.isEmpty()
                ? new Outcome(true, "None of your tokens lives forever.")
                : new Outcome(
                        false,
                        forever.size()
                                + " of your tokens never expire: "
                                + String.join(", ", forever)
                                + ". Revoke them once their replacements are in place.");
    }

    private static Outcome cidr(List<TokenRecord> tokens) {
        boolean limited = tokens.stream().anyMatch(t -> !t.readOnly() && !t.cidrs().isEmpty());
        return limited
                ? new Outcome(true, "A write token of yours works only from the networks it names.")
                : new Outcome(
                        false,
                        "None of your live write tokens is limited to a network: create one with"
                                + " npm token create --cidr=<range>.");
    }

    private static Outcome successor(ReadTx tx, String user) {
        List<String> pkgs = tx.maintainers().packagesOf(user);
        if (pkgs.isEmpty()) {
            return new Outcome(false, "You maintain no package yet.");
        }
        return pkgs.stream()
                .filter(p -> !tx.governance().successors(p).isEmpty())
                .findFirst()
                .map(p -> new Outcome(true, p + " has a named successor."))
                .orElseGet(
                        () ->
                                new Outcome(
                                        false,
                                        "None of the packages you maintain has a named"
                                                + " successor."));
    }

    private static Outcome trustedPublishing(ReadTx tx, String user) {
        List<String> pkgs = tx.maintainers().packagesOf(user);
        if (pkgs.isEmpty()) {
            return new Outcome(false, "You maintain no package yet.");
        }
        return pkgs.stream()
                .filter(p -> !tx.trustedPublishers().of(p).isEmpty())
                .findFirst()
                .map(p -> new Outcome(true, p + " is published by a trusted publisher."))
                .orElseGet(
                        () ->
                                new Outcome(
                                        false,
                                        "None of the packages you maintain has a trusted"
                                                + " publisher."));
    }

    // ---------------------------------------------------------------- governance's port

    @Override
    public List<String> missing(ReadTx tx, String user, List<String> required) {
        return training.missing(tx, user, required);
    }

    @Override
    public List<String> unknown(List<String> ids) {
        return training.unknown(ids);
    }

    @Override
    public String where() {
        return exercisesUrl;
    }
}
