package dev.warden.server;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
    private static final String UPLINKS = "uplinks";
    private static final String UPLINK_ENV = ENV_PREFIX + "UPLINKS_";

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
            if (section.getKey().equals(UPLINKS)) {
                mergeUplinks(section.getValue(), source);
                continue;
            }
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
     * {@code [[uplinks]]}: a list of tables, each with the keys of {@link #uplinkDefaults()} (those
     * left out take their default), checked for type as the sections' settings are.
     */
    private void mergeUplinks(JsonNode given, String source) {
        if (!given.isArray()) {
            throw new ConfigException(
                    UPLINKS
                            + " from "
                            + source
                            + " must be a list of tables ([[uplinks]]), not "
                            + given);
        }
        ArrayNode uplinks = tree.arrayNode();
        for (int i = 0; i < given.size(); i++) {
            String at = UPLINKS + "[" + i + "]";
            if (!given.get(i).isObject()) {
                throw new ConfigException(
                        at
                                + " from "
                                + source
                                + " must be a table ([[uplinks]]), not "
                                + given.get(i));
            }
            ObjectNode uplink = uplinkDefaults();
            for (Map.Entry<String, JsonNode> e : given.get(i).properties()) {
                String setting = at + "." + e.getKey();
                JsonNode current = uplink.get(e.getKey());
                if (current == null) {
                    throw new ConfigException(
                            "unknown setting "
                                    + setting
                                    + " in "
                                    + source
                                    + ConfigException.suggestion(
                                            e.getKey(), iterableNames(uplinkDefaults())));
                }
                if (!sameKind(current, e.getValue())) {
                    throw new ConfigException(
                            setting
                                    + " from "
                                    + source
                                    + " must be "
                                    + expected(current, false)
                                    + ", not "
                                    + e.getValue());
                }
                uplink.set(e.getKey(), e.getValue());
                sources.put(setting, source);
            }
            uplinks.add(uplink);
        }
        tree.set(UPLINKS, uplinks);
    }

    /** An uplink's settings with their defaults, as warden-default.toml documents them. */
    static ObjectNode uplinkDefaults() {
        ObjectNode u = new ObjectMapper().createObjectNode();
        u.put("name", "");
        u.put("url", "");
        u.putArray("packages").add("**");
        u.put("token", "");
        u.put("timeout_seconds", 30);
        u.put("max_age_seconds", 120);
        return u;
    }

    private static List<String> iterableNames(ObjectNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /**
     * {@code WARDEN_UPLINKS_<NAME>_TOKEN}: the token of the uplink of that name (upper case, "-" as
     * "_"), so a secret need not be in the file.
     */
    private void mergeUplinkToken(String variable, String value) {
        String source = "environment variable " + variable;
        String rest = variable.substring(UPLINK_ENV.length());
        if (!rest.endsWith("_TOKEN") || rest.length() == "_TOKEN".length()) {
            throw new ConfigException(
                    "unknown setting in "
                            + source
                            + " (an uplink's token is WARDEN_UPLINKS_<NAME>_TOKEN)");
        }
        String wanted = rest.substring(0, rest.length() - "_TOKEN".length());
        List<String> names = new ArrayList<>();
        JsonNode uplinks = tree.path(UPLINKS);
        for (int i = 0; i < uplinks.size(); i++) {
            String name = uplinks.get(i).path("name").asText();
            names.add(name);
            if (name.toUpperCase(Locale.ROOT).replace('-', '_').equals(wanted)) {
                ((ObjectNode) uplinks.get(i)).put("token", value);
                sources.put(UPLINKS + "[" + i + "].token", source);
                return;
            }
        }
        throw new ConfigException(
                source
                        + " names no configured uplink"
                        + (names.isEmpty()
                                ? " (none is configured)"
                                : " (configured: " + String.join(", ", names) + ")"));
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
            if (name.startsWith(UPLINK_ENV)) {
                mergeUplinkToken(name, e.getValue());
                continue;
            }
            for (Map.Entry<String, JsonNode> section : tree.properties()) {
                if (!section.getValue().isObject()) {
                    continue;
                }
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
            tree.properties().stream()
                    .filter(s -> s.getValue().isObject())
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
                            ? path.get(0).getFieldName()
                                    + (path.get(1).getFieldName() == null
                                            ? "[" + path.get(1).getIndex() + "]"
                                            : "." + path.get(1).getFieldName())
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
