package dev.warden.cli;

import dev.warden.common.Problem;
import dev.warden.server.Config;
import dev.warden.server.ConfigException;
import dev.warden.server.Logging;
import dev.warden.server.Stores;
import dev.warden.server.WardenServer;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** The {@code warden} command. */
@Command(
        name = "warden",
        mixinStandardHelpOptions = true,
        version = "warden 0.1.0",
        description = "An npm-compatible package registry built for supply-chain security.",
        subcommands = {
            Main.Serve.class,
            Main.UserAdd.class,
            Main.UserInvite.class,
            Main.WitnessCommand.class,
            Main.LogCommand.class,
            Main.KeysCommand.class,
            Main.MigrateCommand.class,
            StorageCommand.class,
            GovernanceCommand.class,
            DoctorCommand.class,
            AdvisoryCommand.class,
            SigstoreCommand.class,
            TufCommand.class,
            CaCommand.class,
            PublishCommand.class,
            ReportCommand.class,
            VerifyCommand.class
        })
public final class Main {

    /**
     * The time every command reads: the one place the wall clock enters the command line (tests may
     * replace it).
     */
    static java.time.Clock clock = java.time.Clock.systemUTC();

    /**
     * Whether standard output is a terminal, decided once at start: it picks the log format when
     * {@code log.format} is "auto".
     */
    static boolean terminal;

    public static void main(String[] args) {
        terminal = Logging.stdoutIsTerminal();
        int code = run(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * Runs one command and returns its exit status. A mistake in the command line or the
     * configuration is one line on standard error and status 2; only an unexpected failure prints a
     * stack trace (1).
     */
    static int run(String... args) {
        return new CommandLine(new Main())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler(
                        (e, given) -> {
                            e.getCommandLine()
                                    .getErr()
                                    .println(
                                            "warden: "
                                                    + e.getMessage()
                                                    + didYouMean(e)
                                                    + " (see "
                                                    + e.getCommandLine()
                                                            .getCommandSpec()
                                                            .qualifiedName()
                                                    + " --help)");
                            return 2;
                        })
                .setExecutionExceptionHandler(
                        (e, cmd, parsed) -> {
                            if (e instanceof ConfigException) {
                                cmd.getErr().println("warden: " + e.getMessage());
                                return 2;
                            }
                            e.printStackTrace(cmd.getErr());
                            return 1;
                        })
                .execute(args);
    }

    /** The nearest option or subcommand to the first word not understood, if one is close. */
    private static String didYouMean(CommandLine.ParameterException e) {
        if (!(e instanceof CommandLine.UnmatchedArgumentException u)
                || u.getUnmatched().isEmpty()) {
            return "";
        }
        String given = u.getUnmatched().get(0);
        CommandLine.Model.CommandSpec spec = e.getCommandLine().getCommandSpec();
        java.util.List<String> known = new java.util.ArrayList<>(spec.subcommands().keySet());
        spec.options().forEach(o -> known.addAll(java.util.List.of(o.names())));
        return ConfigException.nearest(
                        given.contains("=") ? given.substring(0, given.indexOf('=')) : given, known)
                .map(n -> "; did you mean " + n + "?")
                .orElse("");
    }

    /**
     * Runs an account command against the configured storage (opened as the server opens it); a
     * refusal is printed and exits 2.
     */
    static int withAccounts(
            Config config, java.util.function.Consumer<dev.warden.accounts.Accounts> command)
            throws java.io.IOException {
        try (Stores stores = Stores.open(config)) {
            command.accept(
                    new dev.warden.accounts.Accounts(
                            stores.metadata(),
                            new dev.warden.accounts.PasswordHasher(),
                            dev.warden.accounts.Accounts.Settings.defaults(),
                            clock));
            return 0;
        } catch (Problem p) {
            System.err.println("warden: " + p.getMessage());
            return 2;
        }
    }

    /** Options every command shares: where the configuration comes from. */
    static class ConfigOptions {
        @Option(
                names = "--config",
                description = "Config file (TOML). Default: ./warden.toml if present.")
        Path config;

        @Option(names = "--host", description = "Address to listen on (server.host).")
        String host;

        @Option(names = "--port", description = "Port to listen on (server.port).")
        Integer port;

        @Option(names = "--data", description = "Data directory (storage.data).")
        String data;

        @Option(
                names = "--public-url",
                description = "URL clients reach the registry at (server.public_url).")
        String publicUrl;

        @Option(
                names = {"-s", "--set"},
                description = "Any setting, as section.key=value.")
        Map<String, String> settings = new LinkedHashMap<>();

        Config load() {
            Map<String, String> overrides = new LinkedHashMap<>(settings);
            Map<String, String> flags = new LinkedHashMap<>();
            flag(overrides, flags, "server.host", "--host", host);
            flag(overrides, flags, "server.port", "--port", port == null ? null : port.toString());
            flag(overrides, flags, "storage.data", "--data", data);
            flag(overrides, flags, "server.public_url", "--public-url", publicUrl);
            Path file = config;
            if (file == null && Files.isRegularFile(Path.of("warden.toml"))) {
                file = Path.of("warden.toml");
            }
            Config c = Config.load(file, System.getenv(), overrides, flags);
            Logging.configure(c.log(), terminal);
            return c;
        }

        /**
         * A dedicated flag overrides {@code --set} of the same setting, and is the source a mistake
         * names.
         */
        private static void flag(
                Map<String, String> overrides,
                Map<String, String> flags,
                String setting,
                String flag,
                String value) {
            if (value != null) {
                overrides.put(setting, value);
                flags.put(setting, flag);
            }
        }
    }

    @Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the registry.")
    static final class Serve implements Callable<Integer> {
        @CommandLine.Mixin ConfigOptions options = new ConfigOptions();

        @Override
        public Integer call() throws Exception {
            Config config = options.load();
            WardenServer server = WardenServer.start(config);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown"));
            server.join();
            return 0;
        }
    }

    @Command(
            name = "user-invite",
            mixinStandardHelpOptions = true,
            description =
                    "Invite a user name to register (with npm adduser) on an invite-only registry.")
    static final class UserInvite implements Callable<Integer> {
        @CommandLine.Mixin ConfigOptions options = new ConfigOptions();

        @CommandLine.Parameters(index = "0", description = "User name.")
        String name;

        @Option(
                names = "--email",
                required = true,
                description = "The email address the user must register with.")
        String email;

        @Override
        public Integer call() throws Exception {
            return withAccounts(
                    options.load(),
                    accounts -> {
                        accounts.invite(name, email);
                        System.out.println("invited " + name + " <" + email + ">");
                    });
        }
    }

    @Command(
            name = "user-add",
            mixinStandardHelpOptions = true,
            description =
                    "Create an account (for example the first administrator), whatever the"
                            + " registration setting.")
    static final class UserAdd implements Callable<Integer> {
        @CommandLine.Mixin ConfigOptions options = new ConfigOptions();

        @CommandLine.Parameters(index = "0", description = "User name.")
        String name;

        @Option(names = "--email", required = true)
        String email;

        @Option(names = "--admin", description = "Make the user an administrator.")
        boolean admin;

        @Option(
                names = "--password-stdin",
                description = "Read the password from standard input instead of prompting.")
        boolean passwordStdin;

        @Override
        public Integer call() throws Exception {
            Config config = options.load();
            String password;
            if (passwordStdin || System.console() == null) {
                password =
                        new String(
                                        System.in.readAllBytes(),
                                        java.nio.charset.StandardCharsets.UTF_8)
                                .strip();
            } else {
                password = new String(System.console().readPassword("Password for %s: ", name));
            }
            return withAccounts(
                    config,
                    accounts -> {
                        accounts.createUser(name, email, password, admin);
                        System.out.println(
                                "created user " + name + (admin ? " (administrator)" : ""));
                    });
        }
    }

    @Command(
            name = "witness",
            mixinStandardHelpOptions = true,
            description =
                    "Run a C2SP tlog-witness: check each checkpoint a log submits against the last"
                            + " one and cosign it.")
    static final class WitnessCommand implements Callable<Integer> {
        @Option(
                names = "--listen",
                defaultValue = "127.0.0.1:7380",
                description = "host:port to listen on (default ${DEFAULT-VALUE}).")
        String listen;

        @Option(
                names = "--name",
                required = true,
                description = "The witness's key name, e.g. witness.example.com.")
        String name;

        @Option(
                names = "--state",
                defaultValue = "witness",
                description = "Directory for the key and the last checkpoint of each log.")
        Path state;

        @Option(
                names = "--log",
                required = true,
                description =
                        "A log to witness, by its verifier key (its name is the log's origin)."
                                + " Repeatable.")
        java.util.List<String> logs;

        @Override
        public Integer call() throws Exception {
            Logging.configure(new Config.Log("text", "info", "none"), terminal);
            java.util.Map<String, java.util.List<dev.warden.log.NoteKey.Verifier>> known =
                    new java.util.LinkedHashMap<>();
            for (String vkey : logs) {
                dev.warden.log.NoteKey.Verifier v = dev.warden.log.NoteKey.parseVerifier(vkey);
                known.computeIfAbsent(v.name(), k -> new java.util.ArrayList<>()).add(v);
            }
            dev.warden.log.NoteKey.Signer key =
                    dev.warden.log.KeyFiles.loadOrCreate(
                            state.resolve("witness.key"),
                            name,
                            dev.warden.log.NoteKey.COSIGNATURE_V1);
            dev.warden.log.Witness witness =
                    new dev.warden.log.Witness(
                            key,
                            known,
                            new dev.warden.log.WitnessState(state.resolve("logs"), clock),
                            clock);
            int colon = listen.lastIndexOf(':');
            WitnessServer server =
                    WitnessServer.start(
                            listen.substring(0, colon),
                            Integer.parseInt(listen.substring(colon + 1)),
                            witness);
            System.out.println(
                    "witness "
                            + key.verifier().vkey()
                            + " listening on "
                            + listen.substring(0, colon)
                            + ":"
                            + server.port());
            System.out.flush();
            Runtime.getRuntime()
                    .addShutdownHook(
                            new Thread(
                                    () -> {
                                        try {
                                            server.close();
                                        } catch (Exception ignored) {
                                            // stopping anyway
                                        }
                                    },
                                    "shutdown"));
            server.join();
            return 0;
        }
    }

    @Command(
            name = "log",
            mixinStandardHelpOptions = true,
            description = "Transparency log tools.",
            subcommands = {Main.LogMonitor.class})
    static final class LogCommand {}

    @Command(
            name = "monitor",
            mixinStandardHelpOptions = true,
            description =
                    "Follow a log: verify each new checkpoint against the last one and report"
                            + " entries about watched packages or accounts.")
    static final class LogMonitor implements Callable<Integer> {
        @Option(
                names = "--log",
                required = true,
                description = "The log's URL prefix, e.g. https://registry.example/-/log/.")
        java.net.URI log;

        @Option(
                names = "--key",
                required = true,
                description = "The log's verifier key (from GET /-/log).")
        String key;

        @Option(
                names = "--registry-key",
                description =
                        "The registry's statement key; entries not signed by it are reported.")
        String registryKey;

        @Option(names = "--package", description = "A package to watch. Repeatable.")
        java.util.List<String> packages = new java.util.ArrayList<>();

        @Option(
                names = "--account",
                description =
                        "An account to watch (as actor or as added or removed maintainer)."
                                + " Repeatable.")
        java.util.List<String> accounts = new java.util.ArrayList<>();

        @Option(
                names = "--state",
                defaultValue = "monitor-state.json",
                description = "Where the last verified checkpoint is kept.")
        Path state;

        @Option(names = "--once", description = "Poll once and exit.")
        boolean once;

        @Option(
                names = "--interval",
                defaultValue = "30",
                description = "Seconds between polls (default ${DEFAULT-VALUE}).")
        int interval;

        @Override
        public Integer call() throws Exception {
            dev.warden.log.Monitor monitor =
                    new dev.warden.log.Monitor(
                            new dev.warden.log.Monitor.Settings(
                                    log,
                                    dev.warden.log.NoteKey.parseVerifier(key),
                                    registryKey == null
                                            ? null
                                            : dev.warden.log.NoteKey.parseVerifier(registryKey),
                                    java.util.Set.copyOf(packages),
                                    java.util.Set.copyOf(accounts),
                                    state),
                            new dev.warden.server.logclient.HttpTransport(
                                    java.net.http.HttpClient.newHttpClient()));
            while (true) {
                dev.warden.log.Monitor.Result r;
                try {
                    r = monitor.poll();
                } catch (dev.warden.log.Monitor.InconsistentLog e) {
                    System.out.println("ALERT log is inconsistent: " + e.getMessage());
                    return 3;
                } catch (java.io.IOException e) {
                    System.err.println("warden: could not read the log: " + e.getMessage());
                    if (once) {
                        return 1;
                    }
                    Thread.sleep(interval * 1000L);
                    continue;
                }
                for (dev.warden.log.Monitor.Report report : r.reports()) {
                    if (report.problem() != null) {
                        System.out.println(
                                "ALERT entry " + report.index() + ": " + report.problem());
                    } else {
                        com.fasterxml.jackson.databind.JsonNode st = report.statement();
                        System.out.println(
                                "entry "
                                        + report.index()
                                        + " "
                                        + st.path("time").asText()
                                        + " "
                                        + st.path("kind").asText()
                                        + " "
                                        + st.path("package").asText()
                                        + (st.has("version")
                                                ? "@" + st.path("version").asText()
                                                : "")
                                        + " by "
                                        + st.path("actor").asText()
                                        + " "
                                        + st);
                    }
                }
                System.out.println("verified " + r.fromSize() + " -> " + r.toSize());
                System.out.flush();
                if (once) {
                    return r.reports().stream().anyMatch(x -> x.problem() != null) ? 3 : 0;
                }
                Thread.sleep(interval * 1000L);
            }
        }
    }

    @Command(
            name = "signing-key-rotate",
            mixinStandardHelpOptions = true,
            description =
                    "Retire the registry's current signing key (it expires now: versions signed"
                        + " before stay verifiable) and make a new one. Restart the server to sign"
                        + " with it.")
    static final class KeysCommand implements Callable<Integer> {
        @CommandLine.Mixin ConfigOptions options = new ConfigOptions();

        @Override
        public Integer call() throws Exception {
            Config config = options.load();
            Path dir = Path.of(config.storage().data()).toAbsolutePath().resolve("keys/signing");
            // postgres driver: the keys are the database's; rotate them under the nodes' lock
            try (Stores stores = Stores.open(config);
                    Stores.KeyShare shared = stores.shareKeys()) {
                dev.warden.provenance.SigningKeys keys =
                        dev.warden.provenance.SigningKeys.open(dir, clock.instant());
                String id = keys.rotate(clock.instant());
                shared.push();
                System.out.println("signing with " + id);
            }
            return 0;
        }
    }

    @Command(
            name = "migrate",
            mixinStandardHelpOptions = true,
            description =
                    "Bring the configured storage's schemas (metadata and the transparency logs) up"
                            + " to this version, before starting nodes with migrate_on_start ="
                            + " false.")
    static final class MigrateCommand implements Callable<Integer> {
        @CommandLine.Mixin ConfigOptions options = new ConfigOptions();

        @Override
        public Integer call() {
            Config config = options.load();
            if (!config.storage().driver().equalsIgnoreCase("postgres")) {
                System.out.println(
                        "nothing to migrate: the embedded driver migrates its databases when it"
                                + " opens them");
                return 0;
            }
            java.util.List<String> applied;
            try {
                applied = Stores.migrate(config);
            } catch (RuntimeException e) {
                System.err.println(
                        "warden: migrate failed: "
                                + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
                return 1;
            }
            if (applied.isEmpty()) {
                System.out.println("schemas up to date: nothing applied");
            }
            applied.forEach(a -> System.out.println("applied " + a));
            return 0;
        }
    }
}
