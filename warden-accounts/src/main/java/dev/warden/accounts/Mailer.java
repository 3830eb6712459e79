package dev.warden.accounts;

import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * Outgoing mail. The embedded default writes each message as an .eml file to an outbox directory. A
 * mailer never throws into the request that caused a message (the security history keeps the event
 * either way), and never puts into a header an address that {@link EmailAddress} rejects: one
 * stored before addresses were checked is refused when mailed to.
 */
public interface Mailer {

    /**
     * Sends a message to {@code to}, the address of account {@code user}.
     *
     * @param user the account the message is for: what a log names when it cannot go, never the
     *     address
     */
    void send(String user, String to, String subject, String body);

    /**
     * Whether {@code to} may be put in a header; when not, a WARN names the account {@code user}
     * and why, never the address.
     */
    static boolean mayAddress(String user, String to) {
        Optional<String> why = EmailAddress.problem(to);
        why.ifPresent(
                w ->
                        LoggerFactory.getLogger(Mailer.class)
                                .warn(
                                        "no mail sent to account {}: its stored email address is"
                                                + " refused ({})",
                                        user,
                                        w));
        return why.isEmpty();
    }
}
