package dev.warden.awareness;

import dev.warden.accounts.Mailer;
import dev.warden.storage.MetadataStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;

/**
 * Every mail the registry sends goes through here on its way to the real mailer: it gets a
 * verification code (recorded with recipient, subject and time, so {@link MessageVerification} can
 * vouch for it) and a footer that says what Warden never mails and where its official addresses are
 * listed. A link to a page that asks for credentials is taken out (and the removal logged): no
 * template may teach people to follow one.
 */
public final class VerifiedMailer implements Mailer {

    private static final Logger LOG = LoggerFactory.getLogger(VerifiedMailer.class);

    private final Mailer delegate;
    private final MetadataStore store;
    private final MessageCodes codes;
    private final String officialPage;
    private final Clock clock;

    /**
     * @param officialPage the absolute URL of {@code /-/web/official}
     */
    public VerifiedMailer(
            Mailer delegate,
            MetadataStore store,
            MessageCodes codes,
            String officialPage,
            Clock clock) {
        this.delegate = delegate;
        this.store = store;
        this.codes = codes;
        this.officialPage = officialPage;
        this.clock = clock;
    }

    @Override
    public void send(String user, String to, String subject, String body) {
        if (!Mailer.mayAddress(user, to)) {
            return;
        }
        List<String> unsafe = CredentialLinks.in(body);
        if (!unsafe.isEmpty()) {
            LOG.warn(
                    "mail \"{}\" to account {} linked to {} page(s) that ask for credentials: the"
                            + " links were removed",
                    subject,
                    user,
                    unsafe.size());
            body = CredentialLinks.removed(body);
        }
        String code = record(user, to, subject);
        delegate.send(user, to, subject, body + footer(code));
    }

    /** The message's code once it is stored, or null if it could not be (logged). */
    private String record(String user, String to, String subject) {
        try {
            for (int attempt = 0; attempt < 4; attempt++) {
                String code = codes.next();
                boolean stored =
                        store.write(
                                tx ->
                                        tx.phishingDefence()
                                                .putMessage(
                                                        code, user, to, subject, clock.instant()));
                if (stored) {
                    return code;
                }
            }
            LOG.warn("no free verification code for mail \"{}\" to account {}", subject, user);
        } catch (RuntimeException e) {
            LOG.warn(
                    "could not record the verification code of mail \"{}\" to account {}: {}",
                    subject,
                    user,
                    e.toString());
        }
        return null;
    }

    /** What closes every mail. */
    String footer(String code) {
        return "\n-- \n"
                + (code == null
                        ? ""
                        : "Verification code: "
                                + code
                                + " (check it on the registry's verify-message page)\n")
                + "Warden never mails you a link that asks for your password or code; sign in by"
                + " typing the address yourself: "
                + officialPage
                + "\n";
    }
}
