package dev.warden.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real clients: the installed npm CLI, and pnpm, yarn classic and yarn berry, which it
 * installs once from the npm registry the machine is configured with.
 */
final class Clients {

    static final Path ROOT = Path.of("target", "clients").toAbsolutePath();
    static final Path NPM_CACHE = Path.of("target", "npm-cache").toAbsolutePath();

    /** A finished command. */
    record Run(int exit, String out, String err) {
        String all() {
            return out + "\n" + err;
        }

        Run ok() {
            if (exit != 0) {
                throw new AssertionError("command failed (" + exit + "):\n" + all());
            }
            return this;
        }
    }

    private Clients() {}

    /** Installs pnpm, yarn classic and yarn berry into target/clients unless already there. */
    static synchronized void installOthers() throws Exception {
        if (Files.exists(pnpmScript())
                && Files.exists(yarnClassicScript())
                && Files.exists(yarnBerryScript())) {
            return;
        }
        Files.createDirectories(ROOT);
        Files.writeString(
                ROOT.resolve("package.json"),
                "{\"name\":\"warden-test-clients\",\"private\":true}",
                StandardCharsets.UTF_8);
        Run r =
                exec(
                        ROOT,
                        Map.of(),
                        List.of(
                                "npm",
                                "install",
                                "--no-audit",
                                "--no-fund",
                                "--ignore-scripts",
                                "pnpm@10.34.9",
                                "yarn@1.22.22",
                                "@yarnpkg/cli-dist@4.18.1"),
                        600);
        r.ok();
    }

    static Path pnpmScript() {
        return ROOT.resolve("node_modules/pnpm/bin/pnpm.cjs");
    }

    static Path yarnClassicScript() {
        return ROOT.resolve("node_modules/yarn/bin/yarn.js");
    }

    static Path yarnBerryScript() {
        return ROOT.resolve("node_modules/@yarnpkg/cli-dist/bin/yarn.js");
    }

    /**
     * Environment for a client that must talk only to {@code registry}, with its own home
     * directory.
     */
    static Map<String, String> env(Path home, String registry) {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put("npm_config_userconfig", home.resolve(".npmrc").toString());
        env.put("npm_config_cache", NPM_CACHE.toString());
        env.put("npm_config_registry", registry + "/");
        env.put("npm_config_update_notifier", "false");
        env.put("npm_config_fund", "false");
        env.put("npm_config_audit", "false");
        env.put("npm_config_loglevel", "warn");
        env.put("NO_COLOR", "1");
        env.put("CI", "true");
        return env;
    }

    static Run npm(Path cwd, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add("npm");
        cmd.addAll(List.of(args));
        return exec(cwd, env, cmd, 180);
    }

    static Run node(Path cwd, Map<String, String> env, Path script, String... args)
            throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add("node");
        cmd.add(script.toString());
        cmd.addAll(List.of(args));
        return exec(cwd, env, cmd, 300);
    }

    static Run exec(Path cwd, Map<String, String> env, List<String> cmd, int timeoutSeconds)
            throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        pb.environment().putAll(env);
        Path out = Files.createTempFile("client-out", ".txt");
        Path err = Files.createTempFile("client-err", ".txt");
        pb.redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(
                    "timed out after "
                            + timeoutSeconds
                            + "s: "
                            + cmd
                            + "\n"
                            + Files.readString(out)
                            + Files.readString(err));
        }
        Run r = new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        return r;
    }

    /**
     * Starts {@code npm login} (web auth type, no terminal); returns the process once it has
     * printed the page URL, with that URL. Its further output is drained in the background.
     */
    static Map.Entry<Process, String> startWebLogin(Path home, String registry) throws Exception {
        return startWeb("login", home, registry);
    }

    /**
     * As {@link #startWebLogin}, for {@code npm adduser} (which asks the registry to create an
     * account).
     */
    static Map.Entry<Process, String> startWeb(String command, Path home, String registry)
            throws Exception {
        ProcessBuilder pb =
                new ProcessBuilder("npm", command)
                        .directory(home.toFile())
                        .redirectErrorStream(true);
        pb.environment().putAll(env(home, registry));
        pb.environment().put("npm_config_loglevel", "notice");
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        java.io.BufferedReader out =
                new java.io.BufferedReader(
                        new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("http") && line.contains("/-/web/login/")) {
                Thread drain =
                        new Thread(
                                () -> {
                                    try {
                                        while (out.readLine() != null) {
                                            // keep the pipe flowing
                                        }
                                    } catch (IOException e) {
                                        // the process ended
                                    }
                                });
                drain.setDaemon(true);
                drain.start();
                return Map.entry(p, line.trim());
            }
        }
        throw new AssertionError("npm login printed no login URL");
    }

    /** Writes a package directory: package.json plus files. */
    static Path writePackage(Path dir, String packageJson, Map<String, String> files)
            throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("package.json"), packageJson, StandardCharsets.UTF_8);
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path p = dir.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, f.getValue(), StandardCharsets.UTF_8);
        }
        return dir;
    }

    /** Writes the npmrc of {@code home} with a token for {@code registry}. */
    static void login(Path home, String registry, String token) throws IOException {
        String hostPath = registry.replaceFirst("^https?:", "");
        Files.writeString(
                home.resolve(".npmrc"),
                "registry=" + registry + "/\n" + hostPath + "/:_authToken=" + token + "\n",
                StandardCharsets.UTF_8);
    }
}
