package dev.warden.server;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds a {@link Config} from the bundled defaults, then a TOML file, then {@code
 * WARDEN_SECTION_KEY} environment variables, then flags. It remembers where each setting's value
 * came from, so that every mistake (an unknown setting, a value of the wrong type or out of range,
 * a file that cannot be read or parsed) is one {@link ConfigException} line naming the setting and
 * its source.
 */
final class ConfigLoader {

    private static final String ENV_PREFIX = "WARDEN_";

    private final ObjectNode tree;

    /** "section.key" to where its value came from; absent: the default. */
    private final Map<String, String> sources = new HashMap<>();

    private ConfigLoader(ObjectNode defaults) {
        this.tree = defaults;
    }

    /**
     * @param flags "section.key" to the flag that set it, for messages (absent: {@code --set
     *     section.key})
     */
    static Config load(
            Path file,
            Map<String, String> env,
            Map<String, String> overrides,
            Map<String, String> flags) {
        ConfigLoader loader = new ConfigLoader(defaults());
        if (file != null) {
            loader.mergeFile(file);
        }
        loader.mergeEnvironment(env);
        overrides.forEach(
                (setting, value) ->
                        loader.mergeFlag(
                                setting,
                                value,
                                "flag " + flags.getOrDefault(setting, "--set " + setting)));
        ConfigRules.check(loader.tree, loader::sourceOf);
        return loader.bind();
    }

    private static ObjectNode defaults() {
        try (InputStream in = Config.class.getResourceAsStream("/warden-default.toml")) {
            return (ObjectNode) new TomlMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String sourceOf(String setting) {
        return sources.getOrDefault(setting, "the defaults");
    }

    private void mergeFile(Path file) {
        if (!Files.exists(file)) {
            throw new ConfigException("config file " + file + " does not exist");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ConfigException(
                    "config file "
                            + file
                            + " cannot be read"
                            + (Files.isDirectory(file)
                                    ? " (it is a directory)"
                                    : " (permission denied)"));
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException("config file " + file + " cannot be read: " + e.getMessage());
        }
        JsonNode parsed;
        try {
            parsed = new TomlMapper().readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where =
                    at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new ConfigException(
                    "config file "
                            + file
                            + " is not valid TOML"
                            + where
                            + ": "
                            + firstLine(e.getOriginalMessage()));
        }
        String source = "config file " + file;
        for (Map.Entry<String, JsonNode> section : parsed.properties()) {
            if (!(tree.get(section.getKey()) instanceof ObjectNode known)) {
                throw new ConfigException(
                        "unknown setting "
                                + section.getKey()
                                + " in "
                                + source
                                + ConfigException.suggestion(
                                        section.getKey(),
                                        tree.properties().stream()
                                                .map(Map.Entry::getKey)
                                                .toList()));
            }
            if (!section.getValue().isObject()) {
                throw new ConfigException(
                        section.getKey()
                                + " from "
                                + source
                                + " must be a table (["
                                + section.getKey()
                                + "]), not "
                                + section.getValue());
            }
            for (Map.Entry<String, JsonNode> e : section.getValue().properties()) {
                String setting = section.getKey() + "." + e.getKey();
                JsonNode current = known.get(e.getKey());
                if (current == null) {
                    throw new ConfigException(
                            "unknown setting "
                                    + setting
                                    + " in "
                                    + source
                                    + ConfigException.suggestion(
                                            setting, settingsOf(section.getKey(), known, "")));
                }
                String expected = expected(current, false);
                if (!sameKind(current, e.getValue())) {
                    throw new ConfigException(
                            setting
                                    + " from "
                                    + source
                                    + " must be "
                                    + expected
                                    + ", not "
                                    + e.getValue());
                }
                known.set(e.getKey(), e.getValue());
                sources.put(setting, source);
            }
        }
    }

    /**
     * Variables named after a section are settings; other WARDEN_ variables (WARDEN_PKCS11_PIN, the
     * launcher's) are not ours to judge.
     */
    private void mergeEnvironment(Map<String, String> env) {
        for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
            String name = e.getKey();
            if (!name.startsWith(ENV_PREFIX)) {
                continue;
            }
            for (Map.Entry<String, JsonNode> section : tree.properties()) {
                String prefix = ENV_PREFIX + section.getKey().toUpperCase(Locale.ROOT) + "_";
                if (!name.startsWith(prefix) || name.length() == prefix.length()) {
                    continue;
                }
                String key = name.substring(prefix.length()).toLowerCase(Locale.ROOT);
                ObjectNode values = (ObjectNode) section.getValue();
                String source = "environment variable " + name;
                if (!values.has(key)) {
                    throw new ConfigException(
                            "unknown setting "
                                    + section.getKey()
                                    + "."
                                    + key
                                    + " in "
                                    + source
                                    + ConfigException.suggestion(
                                            name, settingsOf(section.getKey(), values, prefix)));
                }
                set(values, section.getKey() + "." + key, e.getValue(), source);
            }
        }
    }

    private void mergeFlag(String setting, String value, String source) {
        String[] parts = setting.split("\\.", 2);
        if (!(tree.get(parts[0]) instanceof ObjectNode section)
                || parts.length < 2
                || !section.has(parts[1])) {
            List<String> all = new ArrayList<>();
            tree.properties()
                    .forEach(
                            s -> all.addAll(settingsOf(s.getKey(), (ObjectNode) s.getValue(), "")));
            throw new ConfigException(
                    "unknown setting "
                            + setting
                            + " in "
                            + source
                            + ConfigException.suggestion(setting, all));
        }
        set(section, setting, value, source);
    }

    /**
     * A value from the environment or a flag is text: read it as the kind of value the setting
     * holds.
     */
    private void set(ObjectNode section, String setting, String value, String source) {
        String key = setting.substring(setting.indexOf('.') + 1);
        JsonNode current = section.get(key);
        String wrong =
                setting
                        + " from "
                        + source
                        + " must be "
                        + expected(current, true)
                        + ", not \""
                        + value
                        + "\"";
        if (current.isArray()) {
            JsonNode list;
            try {
                list = new ObjectMapper().readTree(value);
            } catch (JsonProcessingException e) {
                throw new ConfigException(wrong + " (" + firstLine(e.getOriginalMessage()) + ")");
            }
            if (list == null || !list.isArray()) {
                throw new ConfigException(wrong);
            }
            section.set(key, list);
        } else if (current.isIntegralNumber()) {
            try {
                section.put(key, Long.parseLong(value.trim()));
            } catch (NumberFormatException e) {
                throw new ConfigException(wrong);
            }
        } else if (current.isBoolean()) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            if (!v.equals("true") && !v.equals("false")) {
                throw new ConfigException(wrong);
            }
            section.put(key, Boolean.parseBoolean(v));
        } else {
            section.put(key, value);
        }
        sources.put(setting, source);
    }

    private Config bind() {
        ObjectMapper mapper =
                new ObjectMapper()
                        .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        try {
            return mapper.treeToValue(tree, Config.class);
        } catch (JsonMappingException e) {
            List<JsonMappingException.Reference> path = e.getPath();
            String setting =
                    path.size() >= 2
                            ? path.get(0).getFieldName() + "." + path.get(1).getFieldName()
                            : "configuration";
            StringBuilder inside = new StringBuilder();
            for (JsonMappingException.Reference r :
                    path.subList(Math.min(2, path.size()), path.size())) {
                inside.append(
                        r.getFieldName() != null
                                ? "." + r.getFieldName()
                                : "[" + r.getIndex() + "]");
            }
            throw new ConfigException(
                    setting
                            + " from "
                            + sourceOf(setting)
                            + " is not valid"
                            + (inside.isEmpty() ? "" : " at " + setting + inside)
                            + ": "
                            + firstLine(e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            throw new ConfigException(
                    "invalid configuration: " + firstLine(e.getOriginalMessage()));
        }
    }

    private static boolean sameKind(JsonNode expected, JsonNode given) {
        if (expected.isIntegralNumber()) {
            return given.isIntegralNumber();
        }
        return expected.getNodeType() == given.getNodeType();
    }

    private static String expected(JsonNode current, boolean asText) {
        if (current.isIntegralNumber()) {
            return "a number (an integer)";
        }
        if (current.isBoolean()) {
            return "true or false";
        }
        if (current.isArray()) {
            return asText ? "a JSON list" : "a list";
        }
        return "a string";
    }

    /**
     * The section's settings as the source spells them: "server.port", or "WARDEN_SERVER_PORT" for
     * a prefix.
     */
    private static List<String> settingsOf(String section, ObjectNode values, String envPrefix) {
        List<String> names = new ArrayList<>();
        values.fieldNames()
                .forEachRemaining(
                        k ->
                                names.add(
                                        envPrefix.isEmpty()
                                                ? section + "." + k
                                                : envPrefix + k.toUpperCase(Locale.ROOT)));
        return names;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).strip();
    }
}
