import dev.warden.provenance.sigstore.BundleVerifier;
import dev.warden.provenance.sigstore.TrustRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Warden's bundle verifier on the same bundles as verify-bench.mjs: parse the JSON and verify it
 * completely against the public-good trusted root with the same identity policy, in 1..N threads.
 * usage: java VerifyBench.java <trusted_root.json> <artifact> <warmup s> <measure s> <threads> <bundle.json>...
 */
public class VerifyBench {
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
        BundleVerifier.Identity policy = new BundleVerifier.Identity(
                "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main",
                "https://token.actions.githubusercontent.com");
        for (byte[] b : bundles) {
            verifier.verify(b, BundleVerifier.Artifact.of(artifact), policy); // every bundle must verify first
        }
        run(verifier, bundles, artifact, policy, threads, warmup);
        double perSecond = run(verifier, bundles, artifact, policy, threads, measure);
        System.out.printf("{\"threads\": %d, \"perSecond\": %.1f}%n", threads, perSecond);
    }

    static double run(BundleVerifier v, List<byte[]> bundles, byte[] artifact, BundleVerifier.Policy policy, int threads, double seconds)
            throws InterruptedException {
        AtomicLong done = new AtomicLong();
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int offset = t;
            ts.add(Thread.ofPlatform().start(() -> {
                long n = 0;
                while (System.nanoTime() < end) {
                    v.verify(bundles.get((int) ((n + offset) % bundles.size())), BundleVerifier.Artifact.of(artifact), policy);
                    n++;
                }
                done.addAndGet(n);
            }));
        }
        for (Thread t : ts) {
            t.join();
        }
        return done.get() / ((System.nanoTime() - start) / 1e9);
    }
}
