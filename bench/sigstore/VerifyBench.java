import dev.warden.provenance.sigstore.BundleVerifier;
import dev.warden.provenance.sigstore.TrustRoot;
import dev.warden.provenance.sigstore.VerificationFailure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Warden's BundleVerifier on the same bundles as verify-bench.mjs: every call parses the bundle's
 * JSON bytes and verifies it completely against the trusted root with the same identity policy.
 * Prints bundles verified per second (all threads together) after a warm-up, and the CPU the
 * process used over warm-up and measurement, in cores (less than the threads given: other processes
 * took some). usage: java -cp CP VerifyBench.java <trusted_root.json> <artifact> <warmup s>
 * <measure s> <threads> <bundle.json>...
 */
public class VerifyBench {
    static final String SAN =
            "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
    static final String ISSUER = "https://token.actions.githubusercontent.com";

    public static void main(String[] args) throws Exception {
        TrustRoot root = TrustRoot.parse(Files.readAllBytes(Path.of(args[0])));
        byte[] artifact = Files.readAllBytes(Path.of(args[1]));
        double warmup = Double.parseDouble(args[2]);
        double measure = Double.parseDouble(args[3]);
        int threads = Integer.parseInt(args[4]);
        List<byte[]> bundles = new ArrayList<>();
        for (int i = 5; i < args.length; i++) {
            bundles.add(Files.readAllBytes(Path.of(args[i])));
        }
        BundleVerifier verifier = new BundleVerifier(root, Clock.systemUTC());
        BundleVerifier.Identity policy = new BundleVerifier.Identity(SAN, ISSUER);

        // Every bundle must verify, and a wrong identity must not, before anything is timed.
        for (byte[] b : bundles) {
            verifier.verify(b, BundleVerifier.Artifact.of(artifact), policy);
        }
        try {
            verifier.verify(
                    bundles.get(0),
                    BundleVerifier.Artifact.of(artifact),
                    new BundleVerifier.Identity(SAN + "x", ISSUER));
            throw new IllegalStateException("a wrong identity verified");
        } catch (VerificationFailure expected) {
            // as it should
        }

        var os =
                (com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        run(pool, threads, verifier, bundles, artifact, policy, warmup);
        double perSecond = run(pool, threads, verifier, bundles, artifact, policy, measure);
        pool.shutdown();
        double cores = (os.getProcessCpuTime() - cpu0) / (double) (System.nanoTime() - t0);
        System.out.printf("%.1f %.2f%n", perSecond, cores);
    }

    /** Runs the threads for this many seconds; answers bundles per second, all threads together. */
    static double run(
            ExecutorService pool,
            int threads,
            BundleVerifier v,
            List<byte[]> bundles,
            byte[] artifact,
            BundleVerifier.Policy policy,
            double seconds)
            throws Exception {
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        List<Callable<Long>> tasks = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int offset = t;
            tasks.add(
                    () -> {
                        long n = 0;
                        while (System.nanoTime() < end) {
                            v.verify(
                                    bundles.get((int) ((n + offset) % bundles.size())),
                                    BundleVerifier.Artifact.of(artifact),
                                    policy);
                            n++;
                        }
                        return n;
                    });
        }
        long done = 0;
        for (Future<Long> f : pool.invokeAll(tasks)) {
            done += f.get(); // rethrows any failure
        }
        return done / ((System.nanoTime() - start) / 1e9);
    }
}
