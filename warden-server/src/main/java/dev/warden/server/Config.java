package dev.warden.server;

import com.fasterxml.jackson.databind.DeserializationFeature;
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
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * All settings, from one TOML file. The bundled {@code warden-default.toml} documents every key
 * and gives its default; a config file, then {@code WARDEN_SECTION_KEY} environment variables, then
 * flags override it.
 */
public record Config(Server server, Storage storage, Accounts accounts, Mail mail, Registry registry, Limits limits, Log log, Tlog tlog, Oidc oidc, Governance governance,
        Provenance provenance, Signing signing) {

    /**
     * @param maxBodyBytes the largest body any route takes (a publish's); other routes take less
     * @param trustedProxies reverse proxies (addresses or CIDR ranges) whose {@code X-Forwarded-For} is believed; none by default
     * @param bodyMemoryMb what request bodies over 1 MiB may hold in memory together; 0: an eighth of the heap
     * @param largeBodiesPerMinute how many bodies over 1 MiB one address, and one account, may send a minute
     * @param minBodyBytesPerSecond how fast every request body must arrive once {@code bodyGraceSeconds} have passed; 0: no minimum
     * @param bodyGraceSeconds how long a request body may arrive at any pace
     * @param metrics who may read {@code /-/metrics}: "loopback", "public" or "none"
     */
    public record Server(String host, int port, String publicUrl, long maxBodyBytes, java.util.List<String> trustedProxies, long bodyMemoryMb,
            int largeBodiesPerMinute, long minBodyBytesPerSecond, int bodyGraceSeconds, String metrics) {}

    public record Storage(String driver, String data) {}

    public record Accounts(String registration, int minPasswordLength, int loginTokenHours, int sensitivePauseHours) {}

    public record Mail(String from, String smtpHost, int smtpPort, String smtpUser, String smtpPassword, boolean smtpStarttls) {
        @Override
        public String toString() {
            return "Mail[from=" + from + ", smtpHost=" + smtpHost + ", smtpPort=" + smtpPort + "]";
        }
    }

    public record Registry(
            int unpublishWindowHours,
            long unpublishMaxWeeklyDownloads,
            int republishBlockHours,
            int packumentCacheMb,
            int tarballMapMb,
            int tarballMapMaxFileMb,
            int downloadsFlushSeconds) {}

    public record Limits(long maxUnpackedBytes, int maxEntries, long maxRatio, long ratioFloorBytes) {}

    public record Log(String format, String level, String access) {}

    public record Tlog(String origin, String keyFile, String registryKeyFile, String witnesses, int cacheMb) {}

    /**
     * Trusted publishing: the issuers whose ID tokens are taken and the audience they must name.
     *
     * @param audience empty: {@code npm:<host name of the public URL>}, as the npm CLI asks for
     */
    public record Oidc(java.util.List<Issuer> issuers, java.util.List<Issuer> extraIssuers, String audience) {}

    /**
     * Succession (how long all maintainers must be inactive before a notice, how long a notice stays
     * open) and what makes a package high-impact.
     */
    public record Governance(int inactiveDays, int noticeDays, long highImpactWeeklyDownloads, int highImpactDependents, int minApproverAccountAgeDays) {}

    /** Which Sigstore trusted roots provenance bundles are verified against: the embedded public-good root, and trusted_root.json files. */
    public record Provenance(boolean publicGood, java.util.List<String> trustedRoots) {}

    /** The private Sigstore: Fulcio- and Rekor-compatible APIs on this server. */
    public record Signing(boolean enabled, String caKeyStore, String pkcs11Config) {}

    /** An OIDC issuer: its kind ("github", "gitlab", "circleci"), its {@code iss} (a trailing {@code /*} stands for one segment) and its JWKS URL. */
    public record Issuer(String type, String issuer, String jwks) {}

    /** Loads the defaults, then {@code file} (may be null), then the environment, then {@code overrides} ("section.key" to value). */
    public static Config load(Path file, Map<String, String> env, Map<String, String> overrides) {
        TomlMapper toml = new TomlMapper();
        ObjectNode tree;
        try (InputStream in = Config.class.getResourceAsStream("/warden-default.toml")) {
            tree = (ObjectNode) toml.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (file != null) {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("config file " + file + " does not exist");
            }
            try {
                merge(tree, (ObjectNode) toml.readTree(file.toFile()), "");
            } catch (IOException e) {
                throw new IllegalArgumentException("config file " + file + " is not valid TOML: " + e.getMessage(), e);
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> sections = tree.properties().iterator(); sections.hasNext(); ) {
            Map.Entry<String, JsonNode> section = sections.next();
            ObjectNode values = (ObjectNode) section.getValue();
            for (Iterator<String> keys = values.fieldNames(); keys.hasNext(); ) {
                String key = keys.next();
                String envName = ("WARDEN_" + section.getKey() + "_" + key).toUpperCase(Locale.ROOT);
                String fromEnv = env.get(envName);
                if (fromEnv != null) {
                    set(values, key, fromEnv, envName);
                }
            }
        }
        overrides.forEach((path, value) -> {
            String[] parts = path.split("\\.", 2);
            JsonNode section = tree.get(parts[0]);
            if (!(section instanceof ObjectNode s) || !s.has(parts[1])) {
                throw new IllegalArgumentException("unknown setting " + path);
            }
            set(s, parts[1], value, "--" + path);
        });
        ObjectMapper mapper = new ObjectMapper()
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        try {
            return mapper.treeToValue(tree, Config.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("invalid configuration: " + e.getOriginalMessage(), e);
        }
    }

    private static void merge(ObjectNode into, ObjectNode from, String prefix) {
        for (Iterator<Map.Entry<String, JsonNode>> it = from.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = prefix + e.getKey();
            JsonNode existing = into.get(e.getKey());
            if (existing == null) {
                throw new IllegalArgumentException("unknown setting " + name);
            }
            if (existing.isObject()) {
                if (!e.getValue().isObject()) {
                    throw new IllegalArgumentException("setting " + name + " must be a table");
                }
                merge((ObjectNode) existing, (ObjectNode) e.getValue(), name + ".");
            } else {
                into.set(e.getKey(), e.getValue());
            }
        }
    }

    private static void set(ObjectNode section, String key, String value, String source) {
        JsonNode current = section.get(key);
        try {
            if (current.isArray()) {
                JsonNode list = new ObjectMapper().readTree(value);
                if (!list.isArray()) {
                    throw new IllegalArgumentException(source + " must be a JSON list");
                }
                section.set(key, list);
            } else if (current.isIntegralNumber()) {
                section.put(key, Long.parseLong(value.trim()));
            } else if (current.isBoolean()) {
                section.put(key, Boolean.parseBoolean(value.trim()));
            } else {
                section.put(key, value);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(source + " must be a number, not \"" + value + "\"");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(source + " must be a JSON list: " + e.getOriginalMessage());
        }
    }
}
