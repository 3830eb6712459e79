package dev.warden.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.log.Envelope;
import dev.warden.log.NoteKey;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Log entries decoded for a person: the registry's statements are DSSE envelopes signed with its
 * statement key ({@link Envelope}) over a JSON object (kind, seq, registry, package, version,
 * actor, time and the change's details); a restricted package's change is a commitment, and
 * anything else is shown as its text.
 */
final class LogStatements {

    private final NoteKey.Verifier registryKey;
    private final ObjectMapper json;

    LogStatements(NoteKey.Verifier registryKey, ObjectMapper json) {
        this.registryKey = registryKey;
        this.json = json;
    }

    /** The payload of a registry statement, or null when the entry is none. */
    private static JsonNode payload(byte[] entry) {
        try {
            JsonNode p = Envelope.open(entry, null);
            return p != null && p.isObject() ? p : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A line of the log's list of entries. */
    LogViews.EntryLine line(long index, byte[] entry) {
        JsonNode p = payload(entry);
        if (p == null) {
            return new LogViews.EntryLine(index, "not a registry statement", "", "");
        }
        return new LogViews.EntryLine(
                index, p.path("kind").asText("unknown"), subject(p), p.path("time").asText(""));
    }

    private static String subject(JsonNode p) {
        String pkg = p.path("package").asText("");
        String version = p.path("version").asText("");
        return pkg.isEmpty() || version.isEmpty() ? pkg : pkg + "@" + version;
    }

    /** The whole entry: its fields, whether the registry signed it, and what it was logged as. */
    LogViews.Statement statement(byte[] entry) {
        JsonNode p = payload(entry);
        if (p == null) {
            // Shown as text (jte escapes it); bytes that are not UTF-8 read as U+FFFD.
            return new LogViews.Statement(
                    null,
                    false,
                    "The entry is not a statement of this registry.",
                    List.of(),
                    new String(entry, StandardCharsets.UTF_8),
                    null);
        }
        boolean signed;
        String signature;
        try {
            Envelope.open(entry, registryKey);
            signed = true;
            signature = "Signed by the registry's statement key " + registryKey.vkey() + ".";
        } catch (IllegalArgumentException e) {
            signed = false;
            signature =
                    "The statement's signature does not verify with the registry's key "
                            + registryKey.vkey()
                            + ".";
        }
        List<LogViews.Field> fields = new ArrayList<>();
        p.properties()
                .forEach(
                        f ->
                                fields.add(
                                        new LogViews.Field(
                                                f.getKey(),
                                                f.getValue().isTextual()
                                                        ? f.getValue().asText()
                                                        : f.getValue().toString())));
        String pkg = p.path("package").asText("");
        String version = p.path("version").asText("");
        String link =
                p.path("kind").asText().equals("package.published")
                                && !pkg.isEmpty()
                                && !version.isEmpty()
                        ? "/-/web/package/" + segment(pkg) + "/v/" + segment(version)
                        : null;
        return new LogViews.Statement(
                p.path("kind").asText("unknown"), signed, signature, fields, pretty(p), link);
    }

    private String pretty(JsonNode p) {
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(p);
        } catch (IOException e) {
            return p.toString();
        }
    }

    static String base64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    /**
     * A name or version as one path segment: a scoped name's slash escaped, as the pages' routes
     * take it; {@code @} kept readable.
     */
    static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("%40", "@");
    }
}
