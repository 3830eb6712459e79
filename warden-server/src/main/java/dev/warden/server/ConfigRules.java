package dev.warden.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.review.PopularNames;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What each setting's value may be, beyond its type: settings that pick one of a few words, and
 * numbers, which are never negative and must fit the field that holds them. Checked once the
 * defaults, file, environment and flags are merged, so a mistake names the source it came from.
 */
final class ConfigRules {

    /** Settings that take one of a few words (compared without case where the server does). */
    private static final Map<String, List<String>> CHOICES =
            Map.ofEntries(
                    Map.entry("log.format", List.of("auto", "json", "text")),
                    Map.entry(
                            "log.level", List.of("trace", "debug", "info", "warn", "error", "off")),
                    Map.entry("log.access", List.of("writes", "all", "none")),
                    Map.entry("server.metrics", List.of("loopback", "public", "none")),
                    Map.entry("storage.driver", List.of("embedded", "postgres")),
                    Map.entry("accounts.registration", List.of("open", "invite", "closed")),
                    Map.entry("signing.ca_key_store", List.of("files", "pkcs11")),
                    Map.entry("review.flag_at", ReviewRules.SEVERITIES),
                    Map.entry("review.hold_at", ReviewRules.SEVERITIES),
                    Map.entry("review.quarantine_at", ReviewRules.SEVERITIES),
                    Map.entry("review.high_impact_flag_at", ReviewRules.SEVERITIES),
                    Map.entry("review.high_impact_hold_at", ReviewRules.SEVERITIES),
                    Map.entry("review.high_impact_quarantine_at", ReviewRules.SEVERITIES),
                    Map.entry(
                            "awareness.require_passkeys",
                            List.of("none", "high-impact", "governed")),
                    Map.entry("proxy.unsigned_upstream", List.of("allow", "flag", "refuse")),
                    Map.entry("proxy.install_scripts", List.of("allow", "deny")));

    /** Ranges other than "zero up to what the field holds". */
    private static final Map<String, long[]> RANGES =
            Map.of(
                    "server.port", new long[] {0, 65535},
                    "mail.smtp_port", new long[] {1, 65535},
                    "awareness.quarantine_after_reports", new long[] {1, 100},
                    "awareness.reports_per_day", new long[] {1, 10_000},
                    "awareness.reports_per_address_per_hour", new long[] {1, 100_000},
                    "proxy.osv_refresh_minutes", new long[] {1, 10_080},
                    "storage.postgres_pool_size", new long[] {1, 1_000});

    private ConfigRules() {}

    static void check(ObjectNode tree, Function<String, String> sourceOf) {
        checkValues(tree, sourceOf);
        checkPopularNames(tree.path("review"), sourceOf);
        checkPostgres(tree.path("storage"), sourceOf);
        ProxyRules.check(tree, sourceOf);
    }

    /**
     * The popular names file must be readable and hold one package name a line; extra names must be
     * package names.
     */
    private static void checkPopularNames(JsonNode review, Function<String, String> sourceOf) {
        String file = review.path("popular_names_file").asText("");
        String fileSetting = "review.popular_names_file";
        if (!file.isEmpty()) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(file));
            } catch (IOException | RuntimeException e) {
                throw new ConfigException(
                        fileSetting
                                + " from "
                                + sourceOf.apply(fileSetting)
                                + ": cannot read "
                                + file
                                + " ("
                                + e
                                + ")");
            }
            try {
                PopularNames.parse(lines);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(
                        fileSetting
                                + " from "
                                + sourceOf.apply(fileSetting)
                                + ": "
                                + file
                                + " "
                                + e.getMessage());
            }
        }
        String extraSetting = "review.extra_popular_names";
        for (JsonNode name : review.path("extra_popular_names")) {
            String problem =
                    !name.isTextual()
                            ? "is not text"
                            : name.asText().isBlank()
                                    ? "is empty"
                                    : PopularNames.problem(name.asText());
            if (problem != null) {
                throw new ConfigException(
                        extraSetting
                                + " from "
                                + sourceOf.apply(extraSetting)
                                + ": "
                                + name
                                + " "
                                + problem);
            }
        }
    }

    /**
     * The postgres driver cannot start without its database and bucket: say which key is missing
     * now rather than fail later inside a connection pool.
     */
    private static void checkPostgres(JsonNode storage, Function<String, String> sourceOf) {
        if (!storage.path("driver").asText().equalsIgnoreCase("postgres")) {
            return;
        }
        String driver =
                "storage.driver = \"postgres\" (from " + sourceOf.apply("storage.driver") + ")";
        for (String key : List.of("postgres_url", "s3_endpoint", "s3_bucket")) {
            if (storage.path(key).asText("").isBlank()) {
                throw new ConfigException("storage." + key + " is empty: " + driver + " needs it");
            }
        }
        String url = storage.path("postgres_url").asText();
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new ConfigException(
                    "storage.postgres_url from "
                            + sourceOf.apply("storage.postgres_url")
                            + " must be a JDBC URL (jdbc:postgresql://host:5432/database), not \""
                            + url
                            + "\"");
        }
        String endpoint = storage.path("s3_endpoint").asText();
        java.net.URI uri;
        try {
            uri = new java.net.URI(endpoint);
        } catch (java.net.URISyntaxException e) {
            uri = null;
        }
        if (uri == null
                || uri.getHost() == null
                || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
            throw new ConfigException(
                    "storage.s3_endpoint from "
                            + sourceOf.apply("storage.s3_endpoint")
                            + " must be an http or https URL, not \""
                            + endpoint
                            + "\"");
        }
    }

    private static void checkValues(ObjectNode tree, Function<String, String> sourceOf) {
        for (Map.Entry<String, JsonNode> section : tree.properties()) {
            for (Map.Entry<String, JsonNode> e : section.getValue().properties()) {
                String setting = section.getKey() + "." + e.getKey();
                JsonNode value = e.getValue();
                List<String> choices = CHOICES.get(setting);
                if (choices != null && !choices.contains(value.asText().toLowerCase(Locale.ROOT))) {
                    throw new ConfigException(
                            setting
                                    + " from "
                                    + sourceOf.apply(setting)
                                    + " must be one of "
                                    + choices.stream()
                                            .map(c -> "\"" + c + "\"")
                                            .collect(Collectors.joining(", "))
                                    + ", not "
                                    + value);
                }
                if (value.isIntegralNumber()) {
                    long[] range =
                            RANGES.getOrDefault(
                                    setting, new long[] {0, maximum(section.getKey(), e.getKey())});
                    if (!value.canConvertToLong()
                            || value.asLong() < range[0]
                            || value.asLong() > range[1]) {
                        throw new ConfigException(
                                setting
                                        + " from "
                                        + sourceOf.apply(setting)
                                        + " must be between "
                                        + range[0]
                                        + " and "
                                        + range[1]
                                        + ", not "
                                        + value);
                    }
                }
            }
        }
        ReviewRules.check(tree, sourceOf);
    }

    /** The largest value the record field behind a numeric setting holds. */
    private static long maximum(String section, String key) {
        String field = camel(key);
        for (RecordComponent s : Config.class.getRecordComponents()) {
            if (s.getName().equals(camel(section))) {
                for (RecordComponent c : s.getType().getRecordComponents()) {
                    if (c.getName().equals(field)) {
                        return c.getType() == int.class ? Integer.MAX_VALUE : Long.MAX_VALUE;
                    }
                }
            }
        }
        return Long.MAX_VALUE;
    }

    private static String camel(String snake) {
        StringBuilder b = new StringBuilder();
        boolean upper = false;
        for (char c : snake.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                b.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return b.toString();
    }
}
