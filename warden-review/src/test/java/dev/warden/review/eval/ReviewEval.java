package dev.warden.review.eval;

import dev.warden.review.Action;
import dev.warden.review.Findings;
import dev.warden.review.ReviewPolicy;
import dev.warden.review.ReviewSettings;
import dev.warden.review.Reviewer;
import dev.warden.review.Subject;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The release review's evaluation (bench/review-eval.sh): the real {@link Reviewer} over the
 * malicious and the benign corpus, each release against the one before it, on one thread; the
 * actions of {@link ReviewPolicy#DEFAULT} and {@link ReviewPolicy#HIGH_IMPACT}, the findings behind
 * them, and the analysis throughput. Writes a Markdown report.
 *
 * <p>usage: ReviewEval --attacks DIR --list FILE --cache DIR --out FILE [--holdout DIR] [--command
 * TEXT] [--limit N]
 *
 * <p>The held-out corpus ({@code --holdout}) holds reconstructions written without looking at the
 * detectors; it is not used for warming up and is reported apart, so the tuned corpus and the fresh
 * one stay distinguishable.
 */
public final class ReviewEval {

    /** Releases reviewed untimed first, so the timed pass measures compiled code. */
    private static final int WARM_UP = 40;

    private ReviewEval() {}

    public static void main(String[] args) throws IOException {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected an --option, found " + args[i]);
            }
            opts.put(args[i].substring(2), args[i + 1]);
        }
        for (String required : List.of("attacks", "list", "cache", "out")) {
            if (!opts.containsKey(required)) {
                System.err.println(
                        "usage: ReviewEval --attacks DIR --list FILE --cache DIR --out FILE"
                                + " [--holdout DIR] [--command TEXT] [--limit N]");
                System.exit(2);
            }
        }
        int limit = Integer.parseInt(opts.getOrDefault("limit", "0"));

        MemoryEcosystem ecosystem = new MemoryEcosystem();
        List<Release> attacks = AttackCorpus.load(Path.of(opts.get("attacks")));
        System.err.printf("malicious corpus: %d releases%n", attacks.size());
        List<Release> holdout =
                opts.containsKey("holdout")
                        ? AttackCorpus.load(Path.of(opts.get("holdout")))
                        : List.of();
        System.err.printf("held-out corpus: %d releases%n", holdout.size());
        BenignCorpus benign =
                BenignCorpus.load(Path.of(opts.get("list")), Path.of(opts.get("cache")), ecosystem);
        List<Supplier<Release>> benignReleases = benign.releases();
        if (limit > 0 && benignReleases.size() > limit) {
            benignReleases = benignReleases.subList(0, limit);
        }
        System.err.printf(
                "benign corpus: %d releases of %d packages (%d list problems)%n",
                benignReleases.size(), benign.packages(), benign.problems().size());

        Reviewer reviewer = new Reviewer(ReviewSettings.DEFAULTS, ecosystem);
        int warm = 0;
        for (Supplier<Release> r :
                benignReleases.subList(0, Math.min(WARM_UP, benignReleases.size()))) {
            review(reviewer, ecosystem, r.get());
            warm++;
        }
        for (Release r : attacks) {
            review(reviewer, ecosystem, r);
        }
        System.err.printf("warmed up on %d releases%n", warm + attacks.size());

        List<Outcome> malicious = new ArrayList<>();
        for (Release r : attacks) {
            malicious.add(review(reviewer, ecosystem, r));
        }
        List<Outcome> heldOut = new ArrayList<>();
        for (Release r : holdout) {
            heldOut.add(review(reviewer, ecosystem, r));
        }
        List<Outcome> real = new ArrayList<>();
        int n = 0;
        for (Supplier<Release> r : benignReleases) {
            real.add(review(reviewer, ecosystem, r.get()));
            if (++n % 100 == 0) {
                System.err.printf("  %d/%d benign releases reviewed%n", n, benignReleases.size());
            }
        }

        String report =
                new Report(
                                opts.getOrDefault("command", "bench/review-eval.sh"),
                                opts.getOrDefault("revision", "unknown"),
                                Clock.systemUTC(),
                                malicious,
                                heldOut,
                                real,
                                benign.packages(),
                                benign.problems())
                        .markdown();
        Path out = Path.of(opts.get("out"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, report);
        System.out.print(report);
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /**
     * Reviews one release as the registry does: the previous release's summary is what its own
     * review left (made here untimed, as it was made at that release's publish), and the timed
     * review reads it instead of the previous tarball. The same release is also reviewed from the
     * previous tarball alone (untimed): the two must find the same.
     */
    private static Outcome review(Reviewer reviewer, MemoryEcosystem ecosystem, Release r) {
        ecosystem.at(r.subject().at(), r.facts());
        Subject subject = r.subject();
        String mismatch = null;
        if (subject.previous() != null) {
            Subject.Previous p = subject.previous();
            byte[] summary =
                    reviewer.examine(
                                    new Subject(
                                            subject.name(),
                                            p.version(),
                                            p.tarball(),
                                            p.manifest(),
                                            null,
                                            null,
                                            subject.publisher(),
                                            subject.at()))
                            .summary();
            Findings fromTarball = examine(reviewer, subject);
            subject =
                    new Subject(
                            subject.name(),
                            subject.version(),
                            subject.tarball(),
                            subject.manifest(),
                            p.withSummary(summary),
                            subject.latest(),
                            subject.publisher(),
                            subject.at(),
                            subject.tag());
            Findings fromSummary = examine(reviewer, subject);
            mismatch = differences(fromTarball, fromSummary);
        }
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        Findings findings;
        String error = null;
        try {
            findings = reviewer.examine(subject);
        } catch (RuntimeException | StackOverflowError e) {
            findings = null;
            error = e.toString();
        }
        long cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
        long wall = System.nanoTime() - wall0;
        Action byDefault = findings == null ? null : ReviewPolicy.DEFAULT.actionOf(findings);
        Action high = findings == null ? null : ReviewPolicy.HIGH_IMPACT.actionOf(findings);
        return new Outcome(r, findings, error, byDefault, high, cpu, wall, mismatch);
    }

    private static Findings examine(Reviewer reviewer, Subject subject) {
        try {
            return reviewer.examine(subject);
        } catch (RuntimeException | StackOverflowError e) {
            return new Findings(List.of(), List.of("threw " + e));
        }
    }

    /** What one review found that the other did not; null when they agree. */
    private static String differences(Findings a, Findings b) {
        if (a.findings().equals(b.findings()) && a.notComputed().equals(b.notComputed())) {
            return null;
        }
        List<Object> onlyA = new ArrayList<>(a.findings());
        onlyA.removeAll(b.findings());
        List<Object> onlyB = new ArrayList<>(b.findings());
        onlyB.removeAll(a.findings());
        return "from the tarball only: "
                + onlyA
                + " "
                + a.notComputed()
                + "; from the summary only: "
                + onlyB
                + " "
                + b.notComputed();
    }
}
