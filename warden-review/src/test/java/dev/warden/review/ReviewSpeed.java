package dev.warden.review;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Measures the review's speed over generated JavaScript (written source, a minified bundle, JSON, a
 * README), run by {@code bench/review-speed.sh}. By default the previous release differs in every
 * file, so every file of both releases is scanned: the worst case (a third argument sets the share
 * of changed files; an unchanged file is scanned once for both). Prints MB/s of the release's
 * unpacked content for {@link Reviewer#examine} (unpacking both releases included) and for the scan
 * alone, on one thread.
 */
public final class ReviewSpeed {

    private ReviewSpeed() {}

    public static void main(String[] args) {
        int mb = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int changedPercent = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        Random random = new Random(17);
        Pkg before = Pkg.of("1.0.0");
        Pkg now = Pkg.of("1.0.1");
        long bytes = 0;
        int i = 0;
        while (bytes < (long) mb << 20) {
            String body =
                    switch (i % 4) {
                        case 0, 1 -> readable(random, 48 << 10);
                        case 2 -> minified(random, 96 << 10);
                        default -> json(random, 24 << 10);
                    };
            String path = "lib/part" + i + (i % 4 == 3 ? ".json" : ".js");
            before.file(path, body);
            now.file(path, i % 100 < changedPercent ? body + "\n// changed in 1.0.1\n" : body);
            bytes += body.length();
            i++;
        }
        now.file("README.md", "# widget\n\nSee https://example.invalid/docs\n".repeat(200));
        Subject subject = now.release(before);
        long unpacked = 0;
        List<byte[]> contents = new ArrayList<>(now.files.values());
        for (byte[] b : contents) {
            unpacked += b.length;
        }
        Reviewer reviewer = new Reviewer(ReviewSettings.DEFAULTS, new FakeEcosystem());
        // What the registry keeps of the previous release: the summary its own review left.
        Subject.Previous p = subject.previous();
        byte[] kept =
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
        Subject fromTarball = subject;
        subject =
                new Subject(
                        subject.name(),
                        subject.version(),
                        subject.tarball(),
                        subject.manifest(),
                        p.withSummary(kept),
                        subject.latest(),
                        subject.publisher(),
                        subject.at(),
                        subject.tag());
        System.out.printf(
                "release: %d files, %.1f MB unpacked, tarball %.1f MB; %d%% of its files differ"
                        + " from the previous release%n",
                contents.size(), unpacked / 1e6, subject.tarball().length / 1e6, changedPercent);
        for (int w = 0; w < 2; w++) {
            reviewer.examine(subject);
            reviewer.examine(fromTarball);
            for (byte[] b : contents) {
                Scanner.scan(b);
            }
        }
        Unpacker unpacker = new Unpacker(ReviewSettings.DEFAULTS);
        double bestUnpack = Double.MAX_VALUE;
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            unpacker.unpack(subject.tarball(), "release");
            bestUnpack = Math.min(bestUnpack, (System.nanoTime() - t0) / 1e9);
        }
        double best = Double.MAX_VALUE;
        double bestTarball = Double.MAX_VALUE;
        double bestScan = Double.MAX_VALUE;
        Findings last = null;
        Findings lastTarball = null;
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            last = reviewer.examine(subject);
            long t1 = System.nanoTime();
            for (byte[] b : contents) {
                Scanner.scan(b);
            }
            long t2 = System.nanoTime();
            lastTarball = reviewer.examine(fromTarball);
            long t3 = System.nanoTime();
            best = Math.min(best, (t1 - t0) / 1e9);
            bestScan = Math.min(bestScan, (t2 - t1) / 1e9);
            bestTarball = Math.min(bestTarball, (t3 - t2) / 1e9);
        }
        System.out.printf(
                "examine, previous release from its stored summary (%d KB): best of %d %.3f s ="
                        + " %.0f MB/s of the release's unpacked content%n",
                kept.length >> 10, rounds, best, unpacked / 1e6 / best);
        System.out.printf(
                "examine, previous release from its tarball (unpack both, scan both): best of %d"
                        + " %.3f s = %.0f MB/s%n",
                rounds, bestTarball, unpacked / 1e6 / bestTarball);
        System.out.println(
                "same findings both ways: " + lastTarball.findings().equals(last.findings()));
        System.out.printf(
                "scan alone (one pass per file): %.3f s = %.0f MB/s%n",
                bestScan, unpacked / 1e6 / bestScan);
        System.out.printf(
                "unpack alone (gunzip + tar, one release): %.3f s = %.0f MB/s%n",
                bestUnpack, unpacked / 1e6 / bestUnpack);
        System.out.println("findings: " + Reviews.ids(last.findings()));
        System.out.println("not computed: " + last.notComputed());
    }

    private static final String[] WORDS = {
        "value", "options", "callback", "result", "index", "buffer", "request", "response",
        "module", "exports", "length", "string", "object", "config", "handler", "stream"
    };

    private static String word(Random r) {
        return WORDS[r.nextInt(WORDS.length)];
    }

    static String readable(Random r, int size) {
        StringBuilder s = new StringBuilder(size + 512);
        s.append(
                "'use strict';\n\n"
                        + "const path = require('path');\n"
                        + "const util = require('./util');\n\n");
        while (s.length() < size) {
            String name = word(r) + r.nextInt(1000);
            s.append("/**\n * Returns the ")
                    .append(word(r))
                    .append(" of the ")
                    .append(word(r))
                    .append(".\n */\n");
            s.append("function ")
                    .append(name)
                    .append("(")
                    .append(word(r))
                    .append(", ")
                    .append(word(r))
                    .append(") {\n");
            s.append("    if (!")
                    .append(word(r))
                    .append(") {\n        throw new TypeError('expected a ")
                    .append(word(r))
                    .append(", got ' + typeof ")
                    .append(word(r))
                    .append(");\n    }\n");
            s.append("    const ")
                    .append(word(r))
                    .append(" = util.")
                    .append(word(r))
                    .append("(")
                    .append(word(r))
                    .append(", { retries: ")
                    .append(r.nextInt(9))
                    .append(", url: 'https://example.invalid/")
                    .append(word(r))
                    .append("' });\n");
            s.append("    return ")
                    .append(word(r))
                    .append(".map((x) => x * ")
                    .append(r.nextInt(100))
                    .append(").filter(Boolean);\n}\n\n");
            s.append("module.exports.").append(name).append(" = ").append(name).append(";\n\n");
        }
        return s.toString();
    }

    static String minified(Random r, int size) {
        StringBuilder s = new StringBuilder(size + 256);
        s.append(
                "!function(e,t){\"object\"==typeof"
                        + " exports?module.exports=t():e.lib=t()}(this,function(){");
        while (s.length() < size) {
            s.append("var ")
                    .append((char) ('a' + r.nextInt(26)))
                    .append(r.nextInt(99))
                    .append("=function(n,t){return n&&t?n.")
                    .append(word(r))
                    .append("(t,")
                    .append(r.nextInt(1000))
                    .append("):void 0},");
            s.append("o")
                    .append(r.nextInt(99))
                    .append("={")
                    .append(word(r))
                    .append(":\"")
                    .append(word(r))
                    .append("\",n:")
                    .append(r.nextInt(1 << 20))
                    .append("};");
            if (r.nextInt(40) == 0) {
                s.append('\n');
            }
        }
        return s.append("});\n").toString();
    }

    static String json(Random r, int size) {
        StringBuilder s = new StringBuilder(size + 128).append("{\n");
        while (s.length() < size) {
            s.append("  \"")
                    .append(word(r))
                    .append(r.nextInt(100000))
                    .append("\": { \"id\": ")
                    .append(r.nextInt())
                    .append(", \"name\": \"")
                    .append(word(r))
                    .append("\" },\n");
        }
        return s.append("  \"end\": true\n}\n").toString();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
