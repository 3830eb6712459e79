package dev.warden.review.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.review.Subject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reconstructions of documented attacks (bench/review/attacks/NAME/): {@code previous/} is the
 * benign release the attack followed, {@code release/} the malicious one, both packed here as npm
 * would; {@code attack.json} states the world the release was published into (who published it and
 * how, the packages it names, what else the worm touched). Nothing here is ever run.
 */
final class AttackCorpus {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AttackCorpus() {}

    static List<Release> load(Path dir) throws IOException {
        List<Release> releases = new ArrayList<>();
        try (Stream<Path> attacks = Files.list(dir)) {
            for (Path attack : attacks.filter(Files::isDirectory).sorted().toList()) {
                releases.add(load(attack.getFileName().toString(), attack));
            }
        }
        return releases;
    }

    static Release load(String id, Path attack) throws IOException {
        JsonNode a = JSON.readTree(attack.resolve("attack.json").toFile());
        byte[] tgz = Tarballs.pack(attack.resolve("release"));
        byte[] previousTgz = Tarballs.pack(attack.resolve("previous"));
        Tarballs.Contents release = Tarballs.read(tgz);
        Tarballs.Contents previous = Tarballs.read(previousTgz);
        String name = release.manifest().path("name").asText();
        String version = release.manifest().path("version").asText();
        String previousVersion = previous.manifest().path("version").asText();
        JsonNode before = a.path("previousPublisher");
        JsonNode p = a.path("publisher");
        Subject subject =
                new Subject(
                        name,
                        version,
                        tgz,
                        release.manifest(),
                        new Subject.Previous(
                                previousVersion,
                                previousTgz,
                                previous.manifest(),
                                before.path("provenance").asBoolean(),
                                before.path("trustedPublisher").asBoolean(),
                                before.path("user").asText()),
                        a.path("latest").asText(previousVersion),
                        new Subject.Publisher(
                                p.path("user").asText(),
                                p.path("trustedPublisher").asBoolean(),
                                p.path("token").asBoolean(true),
                                p.path("provenance").asBoolean(),
                                p.path("firstPublishToPackage").asBoolean(),
                                instant(p.path("maintainerSince")),
                                p.path("address").asText(null),
                                p.path("newAddress").asBoolean(),
                                p.path("userAgent").asText(null),
                                p.path("newClient").asBoolean()),
                        Instant.parse(a.path("at").asText()));
        return new Release(
                id + ": " + name + " " + previousVersion + " -> " + version,
                a.path("follows").asText(),
                subject,
                overlay(a, release),
                release.unpackedBytes(),
                previous.unpackedBytes());
    }

    /** The world the attack states: package facts, publish counts, and files the worm spread. */
    private static MemoryEcosystem.Overlay overlay(JsonNode a, Tarballs.Contents release) {
        Map<String, MemoryEcosystem.PackageFacts> packages = new HashMap<>();
        a.path("packages")
                .properties()
                .forEach(
                        e ->
                                packages.put(
                                        e.getKey(),
                                        new MemoryEcosystem.PackageFacts(
                                                e.getValue().path("exists").asBoolean(true),
                                                instant(e.getValue().path("created")),
                                                e.getValue().path("dependents").asInt())));
        Map<String, Integer> publishedBy = new HashMap<>();
        a.path("publishedBy")
                .properties()
                .forEach(e -> publishedBy.put(e.getKey(), e.getValue().asInt()));
        Map<String, Integer> spread = new HashMap<>();
        a.path("newFileElsewhere")
                .properties()
                .forEach(
                        e -> {
                            String sha = release.sha256ByPath().get(e.getKey());
                            if (sha == null) {
                                throw new IllegalArgumentException(
                                        "attack.json names " + e.getKey() + ", not in release/");
                            }
                            spread.put(sha, e.getValue().asInt());
                        });
        List<String> popular = new ArrayList<>();
        a.path("popular").forEach(n -> popular.add(n.asText()));
        return new MemoryEcosystem.Overlay(packages, publishedBy, spread, popular);
    }

    private static Instant instant(JsonNode text) {
        return text.isTextual() ? Instant.parse(text.asText()) : null;
    }
}
