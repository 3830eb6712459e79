package dev.warden.server;

import dev.warden.accounts.Mailer;

import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Properties;

/**
 * Outgoing mail over SMTP (Jakarta Mail). A message that cannot be delivered is logged, never
 * allowed to fail the request that caused it: the security history keeps the event either way. An
 * address {@link dev.warden.accounts.EmailAddress} rejects is never handed to the SMTP server.
 */
final class SmtpMailer implements Mailer {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpMailer.class);

    private final Session session;
    private final String from;

    SmtpMailer(Config.Mail mail) {
        Properties p = new Properties();
        p.put("mail.smtp.host", mail.smtpHost());
        p.put("mail.smtp.port", Integer.toString(mail.smtpPort()));
        p.put("mail.smtp.connectiontimeout", "10000");
        p.put("mail.smtp.timeout", "10000");
        p.put("mail.smtp.writetimeout", "10000");
        if (mail.smtpStarttls()) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
        }
        Authenticator auth = null;
        if (!mail.smtpUser().isBlank()) {
            p.put("mail.smtp.auth", "true");
            String user = mail.smtpUser();
            String password = mail.smtpPassword();
            auth =
                    new Authenticator() {
                        @Override
                        protected PasswordAuthentication getPasswordAuthentication() {
                            return new PasswordAuthentication(user, password);
                        }
                    };
        }
        this.session = Session.getInstance(p, auth);
        this.from = mail.from();
    }

    @Override
    public void send(String user, String to, String subject, String body) {
        if (!Mailer.mayAddress(user, to)) {
            return;
        }
        try {
            MimeMessage m = new MimeMessage(session);
            m.setFrom(new InternetAddress(from));
            m.setRecipient(Message.RecipientType.TO, new InternetAddress(to, true));
            m.setSubject(subject, "UTF-8");
            m.setText(body, "UTF-8");
            Transport.send(m);
        } catch (MessagingException | RuntimeException e) {
            LOG.warn("could not send mail \"{}\" to account {}: {}", subject, user, e.getMessage());
        }
    }
}
