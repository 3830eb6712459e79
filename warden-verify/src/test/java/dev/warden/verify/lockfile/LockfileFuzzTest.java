package dev.warden.verify.lockfile;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Every fixture, cut short or with bytes changed, reads as a lockfile or is refused with a {@link
 * LockfileException} naming the file: never another exception.
 */
class LockfileFuzzTest {

    /** Bytes that mean something to one of the syntaxes, so changes hit structure too. */
    private static final byte[] SYNTAX = " \n\t\r\"'{}[]:,#@()%&*!|>-\\/.0123456789".getBytes();

    private static Path dir;

    record Flip(double at, byte value) {}

    @BeforeContainer
    static void makeDir() throws IOException {
        dir = Files.createTempDirectory("lockfile-fuzz");
    }

    @AfterContainer
    static void removeDir() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Provide
    Arbitrary<String> fixtures() {
        return Arbitraries.of(
                "npm/package-lock-v1.json",
                "npm/package-lock-v2.json",
                "npm/package-lock-v3.json",
                "npm/package-lock-sources.json",
                "pnpm/pnpm-lock-v6.yaml",
                "pnpm/pnpm-lock-v9.yaml",
                "pnpm/pnpm-lock-sources.yaml",
                "yarn/yarn-classic.lock",
                "yarn/yarn-classic-sources.lock",
                "yarn/yarn-berry-v6.lock",
                "yarn/yarn-berry-v10.lock",
                "yarn/yarn-berry-sources.lock");
    }

    @Provide
    Arbitrary<Flip> flips() {
        Arbitrary<Byte> value =
                Arbitraries.oneOf(
                        Arbitraries.bytes(),
                        Arbitraries.integers().between(0, SYNTAX.length - 1).map(i -> SYNTAX[i]));
        return Combinators.combine(Arbitraries.doubles().between(0, 1).ofScale(6), value)
                .as(Flip::new);
    }

    @Property(tries = 400)
    void truncated(
            @ForAll("fixtures") String fixture, @ForAll @DoubleRange(min = 0, max = 1) double at)
            throws IOException {
        byte[] bytes = Files.readAllBytes(LockfilesTest.FIXTURES.resolve(fixture));
        int keep = (int) Math.floor(at * bytes.length);
        byte[] cut = new byte[keep];
        System.arraycopy(bytes, 0, cut, 0, keep);
        readsOrRefuses(fixture, cut);
    }

    @Property(tries = 1500)
    void changed(
            @ForAll("fixtures") String fixture,
            @ForAll @Size(min = 1, max = 8) List<@From("flips") Flip> flips)
            throws IOException {
        byte[] bytes = Files.readAllBytes(LockfilesTest.FIXTURES.resolve(fixture));
        for (Flip f : flips) {
            int i = Math.min(bytes.length - 1, (int) Math.floor(f.at() * bytes.length));
            bytes[i] = f.value();
        }
        readsOrRefuses(fixture, bytes);
    }

    /** The file under the name its client gives it, so it is read by name, not sniffed. */
    private static void readsOrRefuses(String fixture, byte[] bytes) throws IOException {
        String name =
                fixture.startsWith("npm/")
                        ? "package-lock.json"
                        : fixture.startsWith("pnpm/") ? "pnpm-lock.yaml" : "yarn.lock";
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        try {
            Lockfile lock = Lockfiles.read(file);
            assertThat(lock.packages())
                    .allSatisfy(
                            p -> {
                                assertThat(p.name()).isNotNull();
                                assertThat(p.version()).isNotNull();
                                assertThat(p.kind()).isNotNull();
                                assertThat(p.paths()).isNotEmpty();
                            });
        } catch (LockfileException e) {
            assertThat(e.getMessage()).startsWith(file.toString()).doesNotContain("\n");
        }
    }
}
