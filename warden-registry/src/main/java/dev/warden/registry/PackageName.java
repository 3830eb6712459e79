package dev.warden.registry;

import dev.warden.common.Problem;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * A package name, checked with the rules npm's validate-npm-package-name applies to new packages:
 * at most 214 characters, lower case, URL-safe, no leading dot or underscore, none of {@code
 * ~'!()*}, not a Node.js core module nor a reserved name.
 */
public record PackageName(String scope, String bare) {

    private static final Pattern PART = Pattern.compile("[a-z0-9-][a-z0-9._-]*");
    private static final Set<String> RESERVED = Set.of("node_modules", "favicon.ico");
    private static final Set<String> BUILTINS =
            Set.of(
                    "assert",
                    "async_hooks",
                    "buffer",
                    "child_process",
                    "cluster",
                    "console",
                    "constants",
                    "crypto",
                    "dgram",
                    "diagnostics_channel",
                    "dns",
                    "domain",
                    "events",
                    "fs",
                    "http",
                    "http2",
                    "https",
                    "inspector",
                    "module",
                    "net",
                    "os",
                    "path",
                    "perf_hooks",
                    "process",
                    "punycode",
                    "querystring",
                    "readline",
                    "repl",
                    "stream",
                    "string_decoder",
                    "sys",
                    "timers",
                    "tls",
                    "trace_events",
                    "tty",
                    "url",
                    "util",
                    "v8",
                    "vm",
                    "wasi",
                    "worker_threads",
                    "zlib");

    /** Parses {@code name} as a name a new package may take, or explains why not. */
    public static PackageName parse(String name) {
        if (name == null || name.isEmpty()) {
            throw Problem.badRequest("invalid package name: name length must be greater than zero");
        }
        if (name.length() > 214) {
            throw Problem.badRequest(
                    "invalid package name \""
                            + abbreviate(name)
                            + "\": name can no longer contain more than 214 characters");
        }
        if (!name.equals(name.trim())) {
            throw Problem.badRequest(
                    "invalid package name \""
                            + name
                            + "\": name cannot contain leading or trailing spaces");
        }
        if (name.startsWith(".") || name.startsWith("_")) {
            throw Problem.badRequest(
                    "invalid package name \""
                            + name
                            + "\": name cannot start with a period or an underscore");
        }
        if (!name.toLowerCase(java.util.Locale.ROOT).equals(name)) {
            throw Problem.badRequest(
                    "invalid package name \""
                            + name
                            + "\": name can no longer contain capital letters");
        }
        String scope = null;
        String bare = name;
        if (name.startsWith("@")) {
            int slash = name.indexOf('/');
            if (slash < 2 || slash == name.length() - 1 || name.indexOf('/', slash + 1) >= 0) {
                throw Problem.badRequest(
                        "invalid package name \"" + name + "\": a scoped name is @scope/name");
            }
            scope = name.substring(1, slash);
            bare = name.substring(slash + 1);
            checkPart(name, scope);
        }
        checkPart(name, bare);
        if (scope == null && (RESERVED.contains(bare) || BUILTINS.contains(bare))) {
            throw Problem.badRequest(
                    "invalid package name \""
                            + name
                            + "\": "
                            + bare
                            + " is a core module or reserved name");
        }
        return new PackageName(scope, bare);
    }

    private static void checkPart(String name, String part) {
        if (part.startsWith(".") || part.startsWith("_")) {
            throw Problem.badRequest(
                    "invalid package name \""
                            + name
                            + "\": name cannot start with a period or an underscore");
        }
        if (part.chars().anyMatch(c -> "~'!()*".indexOf(c) >= 0)) {
            throw Problem.badRequest(
                    "invalid package name \""
                            + name
                            + "\": name can no longer contain special characters (\"~'!()*\")");
        }
        if (!PART.matcher(part).matches()) {
            throw Problem.badRequest(
                    "invalid package name \""
                            + name
                            + "\": name can only contain URL-friendly characters");
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    public String full() {
        return scope == null ? bare : "@" + scope + "/" + bare;
    }

    /** The file name npm gives a version's tarball: {@code bare-version.tgz}. */
    public String tarballFile(String version) {
        return bare + "-" + version + ".tgz";
    }

    @Override
    public String toString() {
        return full();
    }
}
