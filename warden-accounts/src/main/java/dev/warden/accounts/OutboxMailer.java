package dev.warden.accounts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.UUID;

/** Writes each message as an RFC 5322 {@code .eml} file (UTF-8, base64 body) under {@code outbox/}. */
public final class OutboxMailer implements Mailer {

    private final Path outbox;
    private final String from;
    private final Clock clock;

    public OutboxMailer(Path outbox, String from, Clock clock) {
        this.outbox = outbox;
        this.from = from;
        this.clock = clock;
    }

    @Override
    public void send(String to, String subject, String body) {
        if (to.contains("\r") || to.contains("\n") || subject.contains("\r") || subject.contains("\n")) {
            throw new IllegalArgumentException("header injection");
        }
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(clock.instant().atZone(ZoneOffset.UTC));
        String id = UUID.randomUUID().toString();
        String message = "From: " + from + "\r\n"
                + "To: " + to + "\r\n"
                + "Subject: =?UTF-8?B?" + Base64.getEncoder().encodeToString(subject.getBytes(StandardCharsets.UTF_8)) + "?=\r\n"
                + "Date: " + date + "\r\n"
                + "Message-ID: <" + id + "@warden>\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)) + "\r\n";
        try {
            Files.createDirectories(outbox);
            Path tmp = outbox.resolve("." + id + ".tmp");
            Files.writeString(tmp, message, StandardCharsets.US_ASCII);
            Files.move(tmp, outbox.resolve(clock.millis() + "-" + id + ".eml"), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
