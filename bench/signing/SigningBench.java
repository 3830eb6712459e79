import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.log.sqlite.SqliteLogStore;
import dev.warden.provenance.IdTokens;
import dev.warden.signing.CaKeyStore;
import dev.warden.signing.SigningStack;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * The private Sigstore's write path in-process, without HTTP or OIDC: certificates issued per
 * second (precertificate, CT log append made durable, SCT, final certificate) and Rekor entries per
 * second (signature check, canonical body, durable append, inclusion proof, signed checkpoint and
 * entry timestamp), with 1 and with N concurrent callers. A 3-second warm-up of each comes first
 * and is not reported. usage: java SigningBench.java <data dir> <seconds> <threads>...
 */
public class SigningBench {
    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        double seconds = Double.parseDouble(args[1]);
        ObjectMapper json = new ObjectMapper();
        SigningStack.LogStores logs =
                new SigningStack.LogStores(
                        SqliteLogStore.open(data.resolve("ct.db")),
                        SqliteLogStore.open(data.resolve("rekor.db")));
        try (SigningStack stack =
                SigningStack.open(
                        data,
                        "http://127.0.0.1:4873",
                        logs,
                        CaKeyStore.files(SigningStack.keyDir(data)),
                        new IdTokens(List.of(), Clock.systemUTC()),
                        json,
                        Clock.systemUTC())) {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            List<KeyPair> keys = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                keys.add(g.generateKeyPair());
            }
            Map<String, String> ext =
                    Map.of(
                            "1.3.6.1.4.1.57264.1.8",
                            "https://token.actions.githubusercontent.com",
                            "1.3.6.1.4.1.57264.1.12",
                            "https://github.com/octo/pkg");
            String pem =
                    pem(
                            stack.ca()
                                    .issue(
                                            keys.get(0).getPublic(),
                                            "https://github.com/octo/pkg/.github/workflows/r.yml@refs/heads/main",
                                            ext,
                                            Map.of(),
                                            Clock.systemUTC().instant())
                                    .get(0)
                                    .getEncoded());
            AtomicLong counter = new AtomicLong();
            LongConsumer issue =
                    n ->
                            stack.ca()
                                    .issue(
                                            keys.get((int) (n % keys.size())).getPublic(),
                                            "https://github.com/octo/pkg/.github/workflows/r.yml@refs/heads/main",
                                            ext,
                                            Map.of(),
                                            Clock.systemUTC().instant());
            LongConsumer log =
                    n ->
                            stack.rekor()
                                    .createEntry(
                                            json.valueToTree(
                                                    hashedrekord(
                                                            keys.get(0),
                                                            pem,
                                                            counter.incrementAndGet())));
            run(4, 3, issue); // warm-up, not reported
            run(4, 3, log);
            for (int a = 2; a < args.length; a++) {
                int threads = Integer.parseInt(args[a]);
                double certs = run(threads, seconds, issue);
                double entries = run(threads, seconds, log);
                System.out.printf(
                        "{\"threads\": %d, \"certificatesPerSecond\": %.1f, \"entriesPerSecond\":"
                                + " %.1f}%n",
                        threads, certs, entries);
            }
        }
    }

    static Map<String, Object> hashedrekord(KeyPair key, String pem, long n) {
        try {
            byte[] artifact =
                    ("artifact " + n + " " + System.nanoTime()).getBytes(StandardCharsets.UTF_8);
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(key.getPrivate());
            s.update(artifact);
            return Map.of(
                    "apiVersion",
                    "0.0.1",
                    "kind",
                    "hashedrekord",
                    "spec",
                    Map.of(
                            "data",
                                    Map.of(
                                            "hash",
                                            Map.of(
                                                    "algorithm",
                                                    "sha256",
                                                    "value",
                                                    HexFormat.of()
                                                            .formatHex(
                                                                    MessageDigest.getInstance(
                                                                                    "SHA-256")
                                                                            .digest(artifact)))),
                            "signature",
                                    Map.of(
                                            "content",
                                            Base64.getEncoder().encodeToString(s.sign()),
                                            "publicKey",
                                            Map.of(
                                                    "content",
                                                    Base64.getEncoder()
                                                            .encodeToString(
                                                                    pem.getBytes(
                                                                            StandardCharsets
                                                                                    .US_ASCII))))));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(byte[] der) {
        return "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END CERTIFICATE-----\n";
    }

    static double run(int threads, double seconds, LongConsumer op) throws InterruptedException {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        AtomicLong done = new AtomicLong();
        long start = System.nanoTime();
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            ts.add(
                    Thread.ofPlatform()
                            .start(
                                    () -> {
                                        long n = 0;
                                        while (System.nanoTime() < end) {
                                            op.accept(n++);
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
