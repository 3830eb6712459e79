package dev.warden.cli;

import dev.warden.verify.PolicyPins;
import dev.warden.verify.Verifier;
import dev.warden.verify.lockfile.Lockfile;
import dev.warden.verify.lockfile.LockfileException;
import dev.warden.verify.lockfile.Lockfiles;
import dev.warden.verify.lockfile.ProjectRegistry;
import dev.warden.verify.policy.Policy;
import dev.warden.verify.policy.PolicyException;
import dev.warden.verify.report.JsonReport;
import dev.warden.verify.report.Progress;
import dev.warden.verify.report.Report;
import dev.warden.verify.report.SarifReport;
import dev.warden.verify.report.TableReport;
import dev.warden.verify.trust.PinnedMaterial;
import dev.warden.verify.trust.TrustException;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code warden verify}: a project's whole dependency tree verified against the registries it comes
 * from and a policy (see warden-verify's README). Exit status 0 when everything verifies and the
 * policy holds, 1 when something fails, 2 for a usage or input error.
 */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description =
                "Verifies every package of a project's lockfile: integrity, registry signatures,"
                        + " provenance, log inclusion, and a policy (exit 0: all holds; 1: a"
                        + " failure; 2: a usage or input error).")
final class VerifyCommand implements Callable<Integer> {

    @Parameters(
            arity = "0..1",
            paramLabel = "PROJECT_DIR|LOCKFILE",
            description = "A project directory or a lockfile (default: the current directory).")
    Path target;

    @Option(
            names = "--policy",
            paramLabel = "FILE",
            description = "The policy (default: warden-policy.toml in the project, if present).")
    Path policyFile;

    @Option(
            names = "--registry",
            paramLabel = "URL",
            description =
                    "The registry every package must come from (default: the project's .npmrc or"
                            + " .yarnrc.yml, else the lockfile's URLs).")
    URI registry;

    @Option(
            names = "--token",
            defaultValue = "${env:WARDEN_TOKEN}",
            description =
                    "A read token for --registry's host, for packages only its users may read"
                            + " (default: $WARDEN_TOKEN); never sent to another host.")
    String token;

    @Option(
            names = "--cache",
            paramLabel = "DIR",
            description =
                    "Where fetched documents and pinned keys are kept (default:"
                            + " $XDG_CACHE_HOME/warden/verify or ~/.cache/warden/verify).")
    Path cache;

    @Option(names = "--offline", description = "No network: everything from the cache.")
    boolean offline;

    @ArgGroup(exclusive = true)
    Format format = new Format();

    static final class Format {
        @Option(names = "--json", description = "Output JSON.")
        boolean json;

        @Option(names = "--sarif", description = "Output SARIF 2.1.0 (for code-scanning tools).")
        boolean sarif;
    }

    @Option(
            names = "--output",
            paramLabel = "FILE",
            description = "Write the report to FILE instead of standard output.")
    Path output;

    @Option(
            names = "--concurrency",
            defaultValue = "16",
            description = "Requests in flight at most (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--no-progress", description = "No progress bar.")
    boolean noProgress;

    @Override
    public Integer call() throws InterruptedException {
        return run(System.out, System.err);
    }

    int run(PrintStream out, PrintStream err) throws InterruptedException {
        if (concurrency < 1 || concurrency > 256) {
            err.println(
                    "warden verify: --concurrency must be between 1 and 256, not " + concurrency);
            return 2;
        }
        if (registry != null
                && (registry.getScheme() == null
                        || !registry.getScheme().matches("(?i)https?")
                        || registry.getHost() == null)) {
            err.println(
                    "warden verify: --registry must be an http(s) URL with a host, not "
                            + registry);
            return 2;
        }
        Path given = target != null ? target : Path.of("");
        Path project = Files.isDirectory(given) ? given : parentOf(given);
        Lockfile lockfile;
        ProjectRegistry registries;
        Policy policy;
        Map<URI, PinnedMaterial> pins;
        try {
            lockfile = Lockfiles.read(given);
            registries = ProjectRegistry.discover(project);
            policy = policy(project);
            pins = PolicyPins.of(policy);
        } catch (LockfileException | PolicyException | TrustException e) {
            err.println("warden verify: " + e.getMessage());
            return 2;
        }
        Verifier.Settings settings =
                new Verifier.Settings(
                        Optional.ofNullable(registry),
                        cache != null ? cache : defaultCache(),
                        offline,
                        concurrency,
                        pins);
        Progress progress =
                Progress.start(err, !noProgress && Main.terminal, lockfile.packages().size());
        Report report;
        try (HttpRemote remote = new HttpRemote(registry, token)) {
            report =
                    new Verifier(remote, Main.clock)
                            .verify(
                                    lockfile,
                                    registries,
                                    policy,
                                    settings,
                                    p -> progress.step(p.spec()));
        } finally {
            progress.finish();
        }
        String text =
                format.json
                        ? JsonReport.render(report)
                        : format.sarif
                                ? SarifReport.render(report, "0.1.0")
                                : TableReport.render(report, false);
        if (output != null) {
            try {
                Files.writeString(output, text, StandardCharsets.UTF_8);
            } catch (IOException e) {
                err.println("warden verify: cannot write " + output + ": " + e.getMessage());
                return 2;
            }
        } else {
            out.print(text.endsWith("\n") ? text : text + "\n");
            out.flush();
        }
        return report.exitCode();
    }

    private Policy policy(Path project) throws PolicyException {
        if (policyFile != null) {
            return Policy.load(policyFile);
        }
        Path inProject = project.resolve("warden-policy.toml");
        return Files.isRegularFile(inProject) ? Policy.load(inProject) : Policy.defaults();
    }

    private static Path parentOf(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        return parent != null ? parent : Path.of("");
    }

    private static Path defaultCache() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base =
                xdg != null && !xdg.isBlank()
                        ? Path.of(xdg)
                        : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("warden").resolve("verify");
    }
}
