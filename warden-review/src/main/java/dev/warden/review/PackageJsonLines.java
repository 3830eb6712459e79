package dev.warden.review;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * package.json as text, to point at the line a finding is about. Read from the tarball only when a
 * finding needs it; when it cannot be read (over the limit, not found), evidence names the file
 * without a line.
 */
final class PackageJsonLines {

    static final String FILE = "package.json";

    private final List<String> lines;

    private PackageJsonLines(List<String> lines) {
        this.lines = lines;
    }

    static PackageJsonLines of(Subject subject, int maxBytes) {
        return new PackageJsonLines(read(subject.tarball(), maxBytes).lines().toList());
    }

    /**
     * Where {@code key} is listed: the first line naming it as a key ({@code "key":}), with its
     * byte offset and length; {@code what} names the package for a line not found.
     */
    Evidence evidence(String key, String what) {
        String quoted = "\"" + key + "\"";
        long offset = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int at = line.indexOf(quoted);
            if (at >= 0 && line.substring(at + quoted.length()).stripLeading().startsWith(":")) {
                int bytes = line.getBytes(StandardCharsets.UTF_8).length;
                return new Evidence(FILE, i + 1, offset, bytes, excerpt(line.strip()));
            }
            offset += line.getBytes(StandardCharsets.UTF_8).length + 1;
        }
        return new Evidence(FILE, 0, -1, 0, excerpt("\"" + what + "\""));
    }

    /** The excerpt of a line: clipped, control and invisible characters escaped. */
    static String excerpt(String text) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < text.length() && b.length() < Evidence.MAX_EXCERPT; i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)
                    || (c >= '\u200b' && c <= '\u200f')
                    || (c >= '\u202a' && c <= '\u202e')
                    || (c >= '\u2066' && c <= '\u2069')
                    || c == '\ufeff') {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.length() <= Evidence.MAX_EXCERPT
                ? b.toString()
                : b.substring(0, Evidence.MAX_EXCERPT - 3) + "...";
    }

    /** The text of the top folder's package.json, or empty. */
    private static String read(byte[] tgz, int maxBytes) {
        if (tgz == null) {
            return "";
        }
        try (InputStream gz = new GZIPInputStream(new ByteArrayInputStream(tgz));
                TarArchiveInputStream tar = new TarArchiveInputStream(gz)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                String path = e.getName();
                int slash = path.indexOf('/');
                if (e.isFile()
                        && slash > 0
                        && path.substring(slash + 1).equals(FILE)
                        && e.getSize() <= maxBytes) {
                    return new String(tar.readNBytes(maxBytes), StandardCharsets.UTF_8);
                }
            }
        } catch (IOException | RuntimeException e) {
            // the registry's inspection read this tarball already; evidence without a line will do
        }
        return "";
    }
}
