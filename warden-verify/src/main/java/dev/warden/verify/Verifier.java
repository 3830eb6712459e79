package dev.warden.verify;

import dev.warden.verify.lockfile.LockedPackage;
import dev.warden.verify.lockfile.Lockfile;
import dev.warden.verify.lockfile.ProjectRegistry;
import dev.warden.verify.log.LogInclusion;
import dev.warden.verify.policy.Policy;
import dev.warden.verify.policy.Waiver;
import dev.warden.verify.report.Finding;
import dev.warden.verify.report.PackageResult;
import dev.warden.verify.report.Report;
import dev.warden.verify.trust.LogKeys;
import dev.warden.verify.trust.PinnedMaterial;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code warden verify}: every package of a lockfile checked against the registries it comes from
 * and a policy. Packages are checked in parallel (each on a virtual thread; requests bounded by the
 * cache), the log entries of all of them in one batch per log at the end (so each checkpoint and
 * tile is fetched once), and a policy exception then waives what it covers.
 */
public final class Verifier {

    /**
     * How a run goes.
     *
     * @param registry the registry every package is expected from, or empty (the project's
     *     configuration, else the lockfile's URLs)
     * @param cacheDir where fetched documents, pins and facts are kept
     * @param offline nothing from the network: only the cache
     * @param concurrency requests in flight at most
     * @param pins trust material the policy pins, by registry URL ({@link PolicyPins#of})
     */
    public record Settings(
            Optional<URI> registry,
            Path cacheDir,
            boolean offline,
            int concurrency,
            Map<URI, PinnedMaterial> pins) {}

    /** Told as each package's checks end (for a progress bar). */
    public interface Listener {
        void checked(LockedPackage p);
    }

    private final Remote remote;
    private final Clock clock;

    public Verifier(Remote remote, Clock clock) {
        this.remote = remote;
        this.clock = clock;
    }

    public Report verify(
            Lockfile lockfile,
            ProjectRegistry project,
            Policy policy,
            Settings settings,
            Listener listener)
            throws InterruptedException {
        FetchCache cache =
                new FetchCache(
                        remote, settings.cacheDir(), settings.offline(), settings.concurrency());
        Registries registries =
                new Registries(cache, settings.registry(), project, settings.pins(), clock);
        PackageCheck check = new PackageCheck(registries, cache, policy, clock);

        List<PackageCheck.Outcome> outcomes = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<PackageCheck.Outcome>> running = new ArrayList<>();
            for (LockedPackage p : lockfile.packages()) {
                running.add(
                        pool.submit(
                                () -> {
                                    PackageCheck.Outcome o = check.check(p);
                                    listener.checked(p);
                                    return o;
                                }));
            }
            for (Future<PackageCheck.Outcome> f : running) {
                outcomes.add(f.get());
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("a package check threw", e.getCause());
        }
        logEntries(outcomes, cache);

        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        List<PackageResult> results = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            results.add(
                    policy.judge(lockfile.packages().get(i), outcomes.get(i).findings(), today));
        }
        List<String> notices = new ArrayList<>();
        if (settings.offline()) {
            notices.add("offline: everything was read from the cache " + settings.cacheDir());
        }
        notices.addAll(registries.notices());
        for (Waiver w : policy.expired(today)) {
            notices.add(
                    "the policy's exception for "
                            + w.pkg()
                            + " expired on "
                            + w.expires()
                            + " and no longer applies");
        }
        return new Report(
                lockfile.file().toString(),
                lockfile.format(),
                policy.origin(),
                results,
                notices,
                clock.instant());
    }

    /** Checks every claimed log entry, one batch per log, and adds each finding to its package. */
    private static void logEntries(List<PackageCheck.Outcome> outcomes, FetchCache cache) {
        Map<LogKeys, List<LogInclusion.Claim>> byLog = new LinkedHashMap<>();
        for (PackageCheck.Outcome o : outcomes) {
            if (o.claim() != null) {
                byLog.computeIfAbsent(o.log(), k -> new ArrayList<>()).add(o.claim());
            }
        }
        Map<LogInclusion.Claim, Finding> found = new LinkedHashMap<>();
        byLog.forEach(
                (keys, claims) -> {
                    try {
                        found.putAll(
                                LogInclusion.check(
                                        keys,
                                        claims,
                                        cache.remote(),
                                        cache.dir(),
                                        cache.offline()));
                    } catch (RuntimeException e) {
                        // Whatever the log served that its checks did not expect fails its claims.
                        for (LogInclusion.Claim c : claims) {
                            found.put(
                                    c,
                                    Finding.fail(
                                            dev.warden.verify.report.Check.LOG,
                                            "the log at "
                                                    + keys.url()
                                                    + " could not be checked: "
                                                    + e));
                        }
                    }
                });
        for (PackageCheck.Outcome o : outcomes) {
            if (o.claim() != null) {
                Finding f = found.get(o.claim());
                o.findings()
                        .add(
                                f != null
                                        ? f
                                        : Finding.fail(
                                                dev.warden.verify.report.Check.LOG,
                                                "log entry "
                                                        + o.claim().index()
                                                        + " was not checked"));
            }
        }
    }
}
