package dev.warden.verify.lockfile;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The registry a project installs from, as its own configuration files say: {@code .npmrc} ({@code
 * registry=}, {@code @scope:registry=}), {@code .yarnrc} (yarn classic: {@code registry}, {@code
 * "@scope:registry"}) and {@code .yarnrc.yml} (yarn berry: {@code npmRegistryServer}, {@code
 * npmScopes.<scope>.npmRegistryServer}). Later files override earlier ones in that order, since a
 * project with a yarn configuration is installed by yarn. User-level files are not read: what is
 * verified must not depend on who runs it.
 *
 * <p>URLs are kept with a trailing slash, as npm normalizes them. A value that is not an absolute
 * http(s) URL (an unexpanded {@code ${VAR}}, a typo) is refused, naming the file and line, rather
 * than guessed at.
 */
public final class ProjectRegistry {

    private static final long MAX_CONFIG_BYTES = 1024 * 1024;

    private URI defaultRegistry;
    private final Map<String, URI> scopes = new HashMap<>();

    private ProjectRegistry() {}

    /**
     * The registry the project installs from: .npmrc in the project dir ({@code registry=}, and
     * {@code @scope:registry=} per scope), .yarnrc.yml {@code npmRegistryServer} / {@code
     * npmScopes.<s>.npmRegistryServer} (berry), .yarnrc {@code registry} (classic); user-level
     * files are not read.
     */
    public static ProjectRegistry discover(Path projectDir) throws LockfileException {
        ProjectRegistry r = new ProjectRegistry();
        Path npmrc = projectDir.resolve(".npmrc");
        if (Files.isRegularFile(npmrc)) {
            r.readNpmrc(npmrc, Trees.utf8(npmrc, read(npmrc)));
        }
        Path yarnrc = projectDir.resolve(".yarnrc");
        if (Files.isRegularFile(yarnrc)) {
            r.readYarnrc(yarnrc, Trees.utf8(yarnrc, read(yarnrc)));
        }
        Path yml = projectDir.resolve(".yarnrc.yml");
        if (Files.isRegularFile(yml)) {
            r.readYarnrcYml(yml, read(yml));
        }
        return r;
    }

    /** The registry of the package's scope, else the default, else empty. */
    public Optional<URI> registryFor(String packageName) {
        if (packageName.startsWith("@")) {
            int slash = packageName.indexOf('/');
            if (slash > 0) {
                URI scoped = scopes.get(packageName.substring(0, slash).toLowerCase(Locale.ROOT));
                if (scoped != null) {
                    return Optional.of(scoped);
                }
            }
        }
        return Optional.ofNullable(defaultRegistry);
    }

    /** The project's default registry, if it names one. */
    public Optional<URI> defaultRegistry() {
        return Optional.ofNullable(defaultRegistry);
    }

    private void readNpmrc(Path file, String text) throws LockfileException {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = line.substring(0, eq).strip();
            String value = unquote(line.substring(eq + 1).strip());
            set(file, i + 1, key, value);
        }
    }

    private void readYarnrc(Path file, String text) throws LockfileException {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String key;
            String rest;
            if (line.startsWith("\"")) {
                int end = line.indexOf('"', 1);
                if (end < 0) {
                    continue;
                }
                key = line.substring(1, end);
                rest = line.substring(end + 1);
            } else {
                int sp = line.indexOf(' ');
                if (sp < 0) {
                    continue;
                }
                key = line.substring(0, sp);
                rest = line.substring(sp);
            }
            set(file, i + 1, key, unquote(rest.strip()));
        }
    }

    private void readYarnrcYml(Path file, byte[] bytes) throws LockfileException {
        JsonNode root = Trees.yaml(file, bytes);
        if (!root.isObject()) {
            return;
        }
        String server = Trees.text(root, "npmRegistryServer");
        if (server != null) {
            defaultRegistry = uri(file, "npmRegistryServer", server);
        }
        JsonNode npmScopes = root.path("npmScopes");
        for (Map.Entry<String, JsonNode> e : npmScopes.properties()) {
            String scoped = Trees.text(e.getValue(), "npmRegistryServer");
            if (scoped != null) {
                String scope = e.getKey().startsWith("@") ? e.getKey() : "@" + e.getKey();
                scopes.put(
                        scope.toLowerCase(Locale.ROOT),
                        uri(file, "npmScopes." + e.getKey() + ".npmRegistryServer", scoped));
            }
        }
    }

    /** {@code registry} or {@code @scope:registry}; other keys are not the registry's. */
    private void set(Path file, int line, String key, String value) throws LockfileException {
        if (key.equals("registry")) {
            defaultRegistry = uri(file, "line " + line, value);
        } else if (key.startsWith("@") && key.endsWith(":registry")) {
            String scope = key.substring(0, key.length() - ":registry".length());
            scopes.put(scope.toLowerCase(Locale.ROOT), uri(file, "line " + line, value));
        }
    }

    private static URI uri(Path file, String where, String value) throws LockfileException {
        try {
            URI uri = new URI(value.endsWith("/") ? value : value + "/");
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // refused below, with the value
        }
        throw new LockfileException(
                file
                        + " "
                        + where
                        + ": the registry \""
                        + value
                        + "\" is not an absolute http(s) URL");
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }

    private static byte[] read(Path file) throws LockfileException {
        try {
            if (Files.size(file) > MAX_CONFIG_BYTES) {
                throw new LockfileException(
                        file + ": more than " + MAX_CONFIG_BYTES + " bytes; refused");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new LockfileException(file + ": cannot be read: " + e.getMessage(), e);
        }
    }
}
