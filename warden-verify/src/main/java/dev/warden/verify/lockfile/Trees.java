package dev.warden.verify.lockfile;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.YAMLException;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * JSON and YAML documents read into Jackson trees, with the limits of a lockfile, and every syntax
 * error turned into a {@link LockfileException} naming the file and the line.
 */
final class Trees {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final ObjectMapper YAML = new ObjectMapper(yamlFactory());

    private Trees() {}

    private static YAMLFactory yamlFactory() {
        LoaderOptions options = new LoaderOptions();
        // snakeyaml refuses documents over 3 MB by default; the file size is checked before this.
        options.setCodePointLimit(Math.toIntExact(Lockfiles.MAX_BYTES));
        // Jackson reads an alias as its anchor's name and never expands it; the limit stands in
        // case that changes, so "billion laughs" documents stay harmless.
        options.setMaxAliasesForCollections(10);
        options.setAllowRecursiveKeys(false);
        options.setNestingDepthLimit(64);
        return YAMLFactory.builder().loaderOptions(options).build();
    }

    static JsonNode json(Path file, byte[] bytes) throws LockfileException {
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || node.isMissingNode()) {
                throw new LockfileException(file + ": empty; expected a JSON document");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new LockfileException(
                    file + ": malformed JSON" + line(e) + ": " + firstLine(e.getOriginalMessage()),
                    e);
        } catch (java.io.IOException e) {
            throw new LockfileException(file + ": unreadable JSON: " + e.getMessage(), e);
        }
    }

    static JsonNode yaml(Path file, byte[] bytes) throws LockfileException {
        String text = utf8(file, bytes);
        try {
            JsonNode node = YAML.readTree(text);
            if (node == null || node.isMissingNode() || node.isNull()) {
                throw new LockfileException(file + ": empty; expected a YAML document");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new LockfileException(
                    file + ": malformed YAML" + line(e) + ": " + firstLine(e.getOriginalMessage()),
                    e);
        } catch (YAMLException e) {
            throw new LockfileException(file + ": malformed YAML: " + firstLine(e.getMessage()), e);
        }
    }

    /** The text of a file that must be UTF-8 (all lockfiles are). */
    static String utf8(Path file, byte[] bytes) throws LockfileException {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new LockfileException(file + ": not UTF-8 text", e);
        }
    }

    private static String line(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        return at == null || at.getLineNr() < 1 ? "" : " at line " + at.getLineNr();
    }

    static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).strip();
    }

    /** A field's text when it is a scalar, else {@code null}. */
    static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || !v.isValueNode() || v.isNull() ? null : v.asText();
    }
}
