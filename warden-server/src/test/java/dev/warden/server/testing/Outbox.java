package dev.warden.server.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Reads the mail a test server wrote to its {@code .eml} outbox. */
public final class Outbox {

    private static final Pattern SUBJECT =
            Pattern.compile("\r\nSubject: =\\?UTF-8\\?B\\?([A-Za-z0-9+/=]*)\\?=\r\n");

    private Outbox() {}

    /**
     * The decoded subject and body ("subject\n\nbody") of each message sent to {@code to}, oldest
     * first.
     */
    public static List<String> mailTo(Path data, String to) throws IOException {
        Path outbox = data.resolve("outbox");
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(outbox)) {
            return out;
        }
        try (Stream<Path> files = Files.list(outbox)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".eml")).sorted().toList()) {
                String eml = Files.readString(f, StandardCharsets.US_ASCII);
                if (eml.contains("\r\nTo: " + to + "\r\n")) {
                    Matcher subject = SUBJECT.matcher(eml);
                    String s =
                            subject.find()
                                    ? new String(
                                            Base64.getDecoder().decode(subject.group(1)),
                                            StandardCharsets.UTF_8)
                                    : "";
                    String body = eml.substring(eml.indexOf("\r\n\r\n") + 4).replaceAll("\\s", "");
                    out.add(
                            s
                                    + "\n\n"
                                    + new String(
                                            Base64.getDecoder().decode(body),
                                            StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }
}
