package dev.warden.review;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Reviews a release against the one it follows. Pure: everything it knows of the rest of the
 * registry comes through {@link Ecosystem}, and "now" is the subject's publish time. Bounded: a
 * tarball over the analysis limits is reported in {@link Findings#notComputed()}, never a crash and
 * never unbounded time or memory.
 *
 * <p>The order: unpack both tarballs once (within {@link ReviewSettings}); run each family of
 * detectors over the shared {@link Release} (each file scanned once, in one pass); then the
 * combinations that make separate signals near-certain malware. A detector that throws is named in
 * {@code notComputed} and the others still run.
 */
public final class Reviewer {

    private final ReviewSettings settings;
    private final Ecosystem ecosystem;
    private final List<Detector> detectors;
    private final Combinations combinations = new Combinations();

    public Reviewer(ReviewSettings settings, Ecosystem ecosystem) {
        this.settings = settings;
        this.ecosystem = ecosystem;
        DependencyLookalike lookalikes = new DependencyLookalike(ecosystem, settings);
        this.detectors =
                List.of(
                        new InstallScripts(),
                        new HiddenCode(),
                        new NewReach(),
                        new NewDependencies(),
                        lookalikes(lookalikes),
                        new Shape(),
                        new PublisherHabits(),
                        new Sabotage(),
                        new SecretsSent());
    }

    /** The name-resemblance check of new dependencies, as one of the detectors. */
    private static Detector lookalikes(DependencyLookalike check) {
        return new Detector() {
            @Override
            public String name() {
                return DependencyLookalike.ID;
            }

            @Override
            public void examine(Release release, List<Finding> out) {
                out.addAll(check.examine(release.subject));
            }
        };
    }

    public Findings examine(Subject subject) {
        List<String> notComputed = new ArrayList<>();
        List<Finding> found = new ArrayList<>();
        Release release;
        try {
            Unpacker unpacker = new Unpacker(settings);
            Unpacked now = unpacker.unpack(subject.tarball(), "release");
            Previous before = previous(subject.previous(), unpacker);
            notComputed.addAll(now.limits());
            notComputed.addAll(before.limits);
            release = new Release(subject, now, before, ecosystem, settings);
        } catch (RuntimeException e) {
            return new Findings(List.of(), List.of("unpack: " + e));
        }
        for (Detector d : detectors) {
            List<Finding> out = new ArrayList<>();
            try {
                d.examine(release, out);
                found.addAll(out);
            } catch (RuntimeException | StackOverflowError e) {
                notComputed.add(d.name() + ": " + e);
            }
        }
        try {
            List<Finding> out = new ArrayList<>();
            combinations.examine(release, found, out);
            found.addAll(out);
        } catch (RuntimeException | StackOverflowError e) {
            notComputed.add(combinations.name() + ": " + e);
        }
        found.sort(Comparator.comparing(Finding::severity).reversed().thenComparing(Finding::id));
        byte[] summary = null;
        try {
            summary = ReleaseSummary.of(release).encode();
        } catch (RuntimeException e) {
            // The next review reads this release's tarball instead.
            notComputed.add("summary: " + e);
        }
        return new Findings(found, notComputed, summary);
    }

    /**
     * Runs {@code review} on its own virtual thread named {@code thread}, for at most {@code
     * budget} (then that thread is interrupted): a release made to keep the review busy ends in a
     * {@link TimeoutException}, which callers turn into a hold. Its runtime exceptions and stack
     * overflows are rethrown as they are.
     */
    public static Findings within(String thread, Duration budget, Supplier<Findings> review)
            throws TimeoutException {
        FutureTask<Findings> task = new FutureTask<>(review::get);
        Thread t = Thread.ofVirtual().name(thread).start(task);
        try {
            return task.get(budget.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reviewing", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof StackOverflowError s) {
                throw s;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            t.interrupt();
        }
    }

    /**
     * The release this one follows: from its stored summary when there is one this version of the
     * review can read, else (a release published before summaries were kept) from its tarball.
     */
    private static Previous previous(Subject.Previous p, Unpacker unpacker) {
        if (p == null) {
            return Previous.NONE;
        }
        ReleaseSummary s = ReleaseSummary.decode(p.summary());
        if (s != null) {
            return Previous.of(s, () -> unpacker.unpack(p.tarball(), "previous release"));
        }
        return Previous.of(unpacker.unpack(p.tarball(), "previous release"));
    }
}
