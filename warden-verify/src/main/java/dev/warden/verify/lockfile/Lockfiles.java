package dev.warden.verify.lockfile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a project's lockfile: npm's package-lock.json and npm-shrinkwrap.json (v1 to v3),
 * pnpm-lock.yaml (6.0, 7.0, 9.0), yarn.lock (classic v1 and berry, metadata 4 to 10).
 *
 * <p>Size and entry count are limited before anything else is done with a file (64 MiB, 500,000
 * entries). A syntax error is a {@link LockfileException} naming the file and the line; anything
 * odd inside well-formed entries (a name with {@code ../}, a URL to another host, an unknown
 * integrity algorithm) is kept as the lockfile gives it, for the verifier to report.
 */
public final class Lockfiles {

    /** The largest lockfile read. */
    public static final long MAX_BYTES = 64L * 1024 * 1024;

    /** The files a directory is searched for, in this order (the first found is read). */
    static final List<String> NAMES =
            List.of("npm-shrinkwrap.json", "package-lock.json", "pnpm-lock.yaml", "yarn.lock");

    private Lockfiles() {}

    /**
     * A file: read by its name (package-lock.json, npm-shrinkwrap.json, pnpm-lock.yaml, yarn.lock;
     * any other name: sniffed). A directory: npm-shrinkwrap.json, else package-lock.json, else
     * pnpm-lock.yaml, else yarn.lock (a yarn.lock is classic or berry by its content).
     */
    public static Lockfile read(Path fileOrDir) throws LockfileException {
        Path file = fileOrDir;
        if (Files.isDirectory(fileOrDir)) {
            file = null;
            for (String name : NAMES) {
                Path candidate = fileOrDir.resolve(name);
                if (Files.isRegularFile(candidate)) {
                    file = candidate;
                    break;
                }
            }
            if (file == null) {
                throw new LockfileException(
                        fileOrDir
                                + ": no lockfile found (looked for "
                                + String.join(", ", NAMES)
                                + ")");
            }
        }
        byte[] bytes = readLimited(file);
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        return switch (name) {
            case "package-lock.json" -> NpmLock.read(file, bytes, "package-lock");
            case "npm-shrinkwrap.json" -> NpmLock.read(file, bytes, "npm-shrinkwrap");
            case "pnpm-lock.yaml" -> PnpmLock.read(file, bytes);
            case "yarn.lock" -> readYarn(file, bytes);
            default -> sniff(file, bytes);
        };
    }

    private static Lockfile readYarn(Path file, byte[] bytes) throws LockfileException {
        return YarnBerryLock.looksLikeBerry(bytes)
                ? YarnBerryLock.read(file, bytes)
                : YarnClassicLock.read(file, bytes);
    }

    /** A file of another name (a copy, a fixture): its format by its first bytes. */
    private static Lockfile sniff(Path file, byte[] bytes) throws LockfileException {
        String head = Trees.utf8(file, java.util.Arrays.copyOf(bytes, safeHead(bytes)));
        String start = head.stripLeading();
        if (start.startsWith("{")) {
            return NpmLock.read(file, bytes, "package-lock");
        }
        if (YarnBerryLock.looksLikeBerry(bytes)) {
            return YarnBerryLock.read(file, bytes);
        }
        if (head.contains("lockfileVersion:")) {
            return PnpmLock.read(file, bytes);
        }
        if (head.contains("# yarn lockfile v1")) {
            return YarnClassicLock.read(file, bytes);
        }
        throw new LockfileException(
                file
                        + ": not a lockfile this reads (package-lock.json, npm-shrinkwrap.json,"
                        + " pnpm-lock.yaml, yarn.lock)");
    }

    /** Up to 4 KiB, cut before a partial UTF-8 sequence so the head decodes. */
    private static int safeHead(byte[] bytes) {
        int n = Math.min(bytes.length, 4096);
        if (n == bytes.length) {
            return n;
        }
        while (n > 0 && (bytes[n] & 0xC0) == 0x80) {
            n--;
        }
        return n;
    }

    private static byte[] readLimited(Path file) throws LockfileException {
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw tooLarge(file, size);
            }
            // The size may change between the check and the read: read at most one byte more.
            try (InputStream in = Files.newInputStream(file)) {
                byte[] bytes = in.readNBytes(Math.toIntExact(MAX_BYTES + 1));
                if (bytes.length > MAX_BYTES) {
                    throw tooLarge(file, bytes.length);
                }
                return bytes;
            }
        } catch (NoSuchFileException e) {
            throw new LockfileException(file + ": no such file", e);
        } catch (IOException e) {
            throw new LockfileException(file + ": cannot be read: " + e.getMessage(), e);
        }
    }

    private static LockfileException tooLarge(Path file, long size) {
        return new LockfileException(
                file
                        + ": "
                        + size
                        + " bytes, more than the "
                        + MAX_BYTES
                        + " a lockfile may have;"
                        + " refused");
    }
}
