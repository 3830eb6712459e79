package dev.warden.server;

import dev.warden.common.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code warden} command. */
@Command(name = "warden", mixinStandardHelpOptions = true, version = "warden 0.1.0",
        description = "An npm-compatible package registry built for supply-chain security.",
        subcommands = {Main.Serve.class, Main.UserAdd.class, Main.UserInvite.class})
public final class Main {

    public static void main(String[] args) {
        int code = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs an account command against the configured data directory; a refusal is printed and exits 2. */
    static int withAccounts(Config config, java.util.function.Consumer<dev.warden.accounts.Accounts> command) throws java.io.IOException {
        Files.createDirectories(Path.of(config.storage().data()));
        try (var store = dev.warden.storage.embedded.SqliteMetadataStore.open(
                Path.of(config.storage().data()).toAbsolutePath().resolve("warden.db"))) {
            command.accept(new dev.warden.accounts.Accounts(store, new dev.warden.accounts.PasswordHasher(),
                    dev.warden.accounts.Accounts.Settings.defaults(), java.time.Clock.systemUTC()));
            return 0;
        } catch (Problem p) {
            System.err.println("warden: " + p.getMessage());
            return 2;
        }
    }

    /** Options every command shares: where the configuration comes from. */
    static class ConfigOptions {
        @Option(names = "--config", description = "Config file (TOML). Default: ./warden.toml if present.")
        Path config;

        @Option(names = "--host", description = "Address to listen on (server.host).")
        String host;

        @Option(names = "--port", description = "Port to listen on (server.port).")
        Integer port;

        @Option(names = "--data", description = "Data directory (storage.data).")
        String data;

        @Option(names = "--public-url", description = "URL clients reach the registry at (server.public_url).")
        String publicUrl;

        @Option(names = {"-s", "--set"}, description = "Any setting, as section.key=value.")
        Map<String, String> settings = new LinkedHashMap<>();

        Config load() {
            Map<String, String> overrides = new LinkedHashMap<>(settings);
            if (host != null) {
                overrides.put("server.host", host);
            }
            if (port != null) {
                overrides.put("server.port", port.toString());
            }
            if (data != null) {
                overrides.put("storage.data", data);
            }
            if (publicUrl != null) {
                overrides.put("server.public_url", publicUrl);
            }
            Path file = config;
            if (file == null && Files.isRegularFile(Path.of("warden.toml"))) {
                file = Path.of("warden.toml");
            }
            Config c = Config.load(file, System.getenv(), overrides);
            Logging.configure(c.log());
            return c;
        }
    }

    @Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the registry.")
    static final class Serve implements Callable<Integer> {
        @CommandLine.Mixin
        ConfigOptions options = new ConfigOptions();

        @Override
        public Integer call() throws Exception {
            Config config = options.load();
            WardenServer server = WardenServer.start(config);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown"));
            server.join();
            return 0;
        }
    }

    @Command(name = "user-invite", mixinStandardHelpOptions = true,
            description = "Invite a user name to register (with npm adduser) on an invite-only registry.")
    static final class UserInvite implements Callable<Integer> {
        @CommandLine.Mixin
        ConfigOptions options = new ConfigOptions();

        @CommandLine.Parameters(index = "0", description = "User name.")
        String name;

        @Option(names = "--email", required = true, description = "The email address the user must register with.")
        String email;

        @Override
        public Integer call() throws Exception {
            return withAccounts(options.load(), accounts -> {
                accounts.invite(name, email);
                System.out.println("invited " + name + " <" + email + ">");
            });
        }
    }

    @Command(name = "user-add", mixinStandardHelpOptions = true,
            description = "Create an account (for example the first administrator), whatever the registration setting.")
    static final class UserAdd implements Callable<Integer> {
        @CommandLine.Mixin
        ConfigOptions options = new ConfigOptions();

        @CommandLine.Parameters(index = "0", description = "User name.")
        String name;

        @Option(names = "--email", required = true)
        String email;

        @Option(names = "--admin", description = "Make the user an administrator.")
        boolean admin;

        @Option(names = "--password-stdin", description = "Read the password from standard input instead of prompting.")
        boolean passwordStdin;

        @Override
        public Integer call() throws Exception {
            Config config = options.load();
            String password;
            if (passwordStdin || System.console() == null) {
                password = new String(System.in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
            } else {
                password = new String(System.console().readPassword("Password for %s: ", name));
            }
            return withAccounts(config, accounts -> {
                accounts.createUser(name, email, password, admin);
                System.out.println("created user " + name + (admin ? " (administrator)" : ""));
            });
        }
    }
}
