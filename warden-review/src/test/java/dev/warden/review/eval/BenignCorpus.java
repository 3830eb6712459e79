package dev.warden.review.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.review.Subject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Consecutive real releases of popular packages, from the cache bench/review/fetch.mjs fills: each
 * release is reviewed against the one before it, published by the account the packument names.
 *
 * <p>Loading reads every tarball once (the files each release adds, for the worm signal; sizes);
 * the releases themselves are read again from disk one at a time when reviewed.
 */
final class BenignCorpus {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path cache;
    private final Instant backfilledUntil;
    private final List<Supplier<Release>> releases = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private int packages;

    private BenignCorpus(Path cache, Instant backfilledUntil) {
        this.cache = cache;
        this.backfilledUntil = backfilledUntil;
    }

    List<Supplier<Release>> releases() {
        return releases;
    }

    /** Lines of the list that could not be used, and why. */
    List<String> problems() {
        return problems;
    }

    int packages() {
        return packages;
    }

    /** Reads the list and the cache, and adds what they tell to {@code ecosystem}. */
    static BenignCorpus load(Path list, Path cache, MemoryEcosystem ecosystem) throws IOException {
        BenignCorpus corpus = new BenignCorpus(cache, backfilledUntil(cache));
        Map<String, Integer> dependents = new HashMap<>();
        Map<String, Instant> created = new HashMap<>();
        for (String line : Files.readAllLines(list)) {
            String l = line.replaceAll("#.*", "").trim();
            if (l.isEmpty()) {
                continue;
            }
            String[] parts = l.split("\\s+");
            String name = parts[0];
            Path packument = cache.resolve("packuments").resolve(fileName(name) + ".json");
            if (!Files.exists(packument)) {
                corpus.problems.add(name + ": not fetched (run bench/review/fetch.mjs)");
                continue;
            }
            JsonNode doc = JSON.readTree(packument.toFile());
            corpus.addFacts(doc, ecosystem, dependents, created);
            List<String> versions = Arrays.asList(parts).subList(1, parts.length);
            if (corpus.addPackage(name, doc, versions, ecosystem)) {
                corpus.packages++;
            }
            ecosystem.addPopular(name);
        }
        try (Stream<Path> deps = Files.list(cache.resolve("deps"))) {
            for (Path dep : deps.toList()) {
                JsonNode doc = JSON.readTree(dep.toFile());
                if (doc.path("missing").asBoolean()) {
                    ecosystem.addPackage(
                            doc.path("name").asText(),
                            new MemoryEcosystem.PackageFacts(false, null, 0));
                } else {
                    corpus.addFacts(doc, ecosystem, dependents, created);
                }
            }
        }
        for (var e : created.entrySet()) {
            ecosystem.addPackage(
                    e.getKey(),
                    new MemoryEcosystem.PackageFacts(
                            true, e.getValue(), dependents.getOrDefault(e.getKey(), 0)));
        }
        return corpus;
    }

    /**
     * The end of the registry mirror's bulk copy: a mirror stamps the versions it copied at once
     * with the time it copied them, so times up to a day after the earliest are not publish times.
     */
    private static Instant backfilledUntil(Path cache) throws IOException {
        Instant earliest = Instant.MAX;
        try (Stream<Path> docs = Files.list(cache.resolve("packuments"))) {
            for (Path f : docs.toList()) {
                for (JsonNode p : JSON.readTree(f.toFile()).path("publishes")) {
                    Instant t = instant(p.path("time"));
                    if (t != null && t.isBefore(earliest)) {
                        earliest = t;
                    }
                }
            }
        }
        return earliest == Instant.MAX ? Instant.MIN : earliest.plus(java.time.Duration.ofDays(1));
    }

    /** A publish time, or null where the mirror's stamp is not one. */
    private Instant known(JsonNode time) {
        Instant t = instant(time);
        return t == null || !t.isAfter(backfilledUntil) ? null : t;
    }

    /**
     * Who publishes a package's releases. The mirror this corpus comes from drops {@code _npmUser}
     * (and attestations): the publisher is taken to be the package's usual one, a scope's releases
     * coming from one account (a monorepo publishes its packages together).
     */
    static String publisherOf(String pkg) {
        return pkg.startsWith("@") ? pkg.substring(0, pkg.indexOf('/')) : "maintainer-of-" + pkg;
    }

    /** Who published what when, when the package was created, whom its latest depends on. */
    private void addFacts(
            JsonNode doc,
            MemoryEcosystem ecosystem,
            Map<String, Integer> dependents,
            Map<String, Instant> created) {
        String name = doc.path("name").asText();
        created.put(name, instant(doc.path("created")));
        for (JsonNode dep : doc.path("latestDependencies")) {
            dependents.merge(dep.asText(), 1, Integer::sum);
        }
        for (JsonNode p : doc.path("publishes")) {
            Instant at = instant(p.path("time"));
            if (p.hasNonNull("user") && at != null) {
                ecosystem.addPublish(
                        new MemoryEcosystem.Publish(p.path("user").asText(), name, at));
            }
        }
    }

    private boolean addPackage(
            String name, JsonNode doc, List<String> versions, MemoryEcosystem ecosystem) {
        if (versions.size() < 2) {
            problems.add(name + ": fewer than two versions listed");
            return false;
        }
        Map<String, JsonNode> publishes = new HashMap<>();
        for (JsonNode p : doc.path("publishes")) {
            publishes.put(p.path("version").asText(), p);
        }
        Tarballs.Contents before = null;
        for (int i = 0; i < versions.size(); i++) {
            String version = versions.get(i);
            Path tgz = tarball(name, version);
            if (!Files.exists(tgz) || !publishes.containsKey(version)) {
                problems.add(name + "@" + version + ": not fetched (run bench/review/fetch.mjs)");
                return false;
            }
            Tarballs.Contents contents = Tarballs.read(readAll(tgz));
            if (before != null) {
                Instant at = known(publishes.get(version).path("time"));
                if (at != null) {
                    for (String sha : Tarballs.addedFiles(contents, before)) {
                        ecosystem.addNewFile(sha, new MemoryEcosystem.NewFile(name, at));
                    }
                }
                String previous = versions.get(i - 1);
                long previousBytes = before.unpackedBytes();
                long bytes = contents.unpackedBytes();
                releases.add(
                        () ->
                                release(
                                        name,
                                        previous,
                                        version,
                                        publishes,
                                        doc,
                                        bytes,
                                        previousBytes));
            }
            before = contents;
        }
        return true;
    }

    private Release release(
            String name,
            String previous,
            String version,
            Map<String, JsonNode> publishes,
            JsonNode doc,
            long bytes,
            long previousBytes) {
        byte[] tgz = readAll(tarball(name, version));
        byte[] previousTgz = readAll(tarball(name, previous));
        JsonNode p = publishes.get(version);
        JsonNode q = publishes.get(previous);
        Instant at = instant(p.path("time"));
        String user = p.hasNonNull("user") ? p.path("user").asText() : publisherOf(name);
        boolean trusted = p.path("trustedPublisher").asBoolean();
        // The account's first publish of this package: no earlier version by it. Without publisher
        // data (the mirror drops it) the release is its package's usual publisher's.
        boolean known = p.hasNonNull("user");
        Instant firstByUser = null;
        for (JsonNode other : doc.path("publishes")) {
            Instant t = instant(other.path("time"));
            if (user != null
                    && user.equals(
                            other.hasNonNull("user")
                                    ? other.path("user").asText()
                                    : publisherOf(name))
                    && t != null
                    && t.isBefore(at)
                    && (firstByUser == null || t.isBefore(firstByUser))) {
                firstByUser = t;
            }
        }
        Subject subject =
                new Subject(
                        name,
                        version,
                        tgz,
                        Tarballs.read(tgz).manifest(),
                        new Subject.Previous(
                                previous,
                                previousTgz,
                                Tarballs.read(previousTgz).manifest(),
                                q.path("provenance").asBoolean(),
                                q.path("trustedPublisher").asBoolean(),
                                q.hasNonNull("user") ? q.path("user").asText() : publisherOf(name)),
                        previous,
                        new Subject.Publisher(
                                user,
                                trusted,
                                !trusted,
                                p.path("provenance").asBoolean(),
                                known && firstByUser == null,
                                firstByUser,
                                null,
                                false,
                                null,
                                false),
                        at);
        return new Release(
                name + " " + previous + " -> " + version,
                "",
                subject,
                MemoryEcosystem.Overlay.NONE,
                bytes,
                previousBytes);
    }

    private Path tarball(String name, String version) {
        return cache.resolve("tarballs").resolve(fileName(name) + "-" + version + ".tgz");
    }

    private static byte[] readAll(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Instant instant(JsonNode text) {
        return text.isTextual() ? Instant.parse(text.asText()) : null;
    }

    static String fileName(String name) {
        return name.replace("/", "__");
    }
}
