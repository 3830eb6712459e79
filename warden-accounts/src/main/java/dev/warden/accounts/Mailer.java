package dev.warden.accounts;

/** Outgoing mail. The embedded default writes each message as an .eml file to an outbox directory. */
public interface Mailer {

    void send(String to, String subject, String body);
}
