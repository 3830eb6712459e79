package dev.warden.accounts;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.UUID;

/**
 * Writes each message as an RFC 5322 {@code .eml} file (UTF-8, base64 body) under {@code outbox/}.
 * An address {@link EmailAddress} rejects is never written into a header; a message that cannot be
 * written is logged, never thrown into the request that caused it.
 */
public final class OutboxMailer implements Mailer {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxMailer.class);

    private final Path outbox;
    private final String from;
    private final Clock clock;

    public OutboxMailer(Path outbox, String from, Clock clock) {
        this.outbox = outbox;
        this.from = from;
        this.clock = clock;
    }

    @Override
    public void send(String user, String to, String subject, String body) {
        if (!Mailer.mayAddress(user, to)) {
            return;
        }
        if (subject.contains("\r") || subject.contains("\n")) {
            LOG.warn("no mail sent to account {}: its subject holds a line break", user);
            return;
        }
        String date =
                DateTimeFormatter.RFC_1123_DATE_TIME.format(clock.instant().atZone(ZoneOffset.UTC));
        String id = UUID.randomUUID().toString();
        String message =
                "From: "
                        + from
                        + "\r\n"
                        + "To: "
                        + to
                        + "\r\n"
                        + "Subject: =?UTF-8?B?"
                        + Base64.getEncoder()
                                .encodeToString(subject.getBytes(StandardCharsets.UTF_8))
                        + "?=\r\n"
                        + "Date: "
                        + date
                        + "\r\n"
                        + "Message-ID: <"
                        + id
                        + "@warden>\r\n"
                        + "MIME-Version: 1.0\r\n"
                        + "Content-Type: text/plain; charset=UTF-8\r\n"
                        + "Content-Transfer-Encoding: base64\r\n\r\n"
                        + Base64.getMimeEncoder()
                                .encodeToString(body.getBytes(StandardCharsets.UTF_8))
                        + "\r\n";
        try {
            Files.createDirectories(outbox);
            Path tmp = outbox.resolve("." + id + ".tmp");
            Files.writeString(tmp, message, StandardCharsets.US_ASCII);
            Files.move(
                    tmp,
                    outbox.resolve(clock.millis() + "-" + id + ".eml"),
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            LOG.warn(
                    "could not write mail \"{}\" to account {} to the outbox: {}",
                    subject,
                    user,
                    e.toString());
        }
    }
}
