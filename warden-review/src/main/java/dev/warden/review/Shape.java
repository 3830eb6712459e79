package dev.warden.review;

import org.semver4j.Semver;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The release's shape: native executables and archives added, large changes in size or file count,
 * and {@code latest} moving to a lower version.
 */
final class Shape implements Detector {

    static final List<String> BINARY_NAMES = List.of(".node", ".exe", ".dll", ".so", ".dylib");
    static final List<String> ARCHIVE_NAMES =
            List.of(".zip", ".tar", ".tgz", ".gz", ".7z", ".rar", ".xz", ".bz2");

    @Override
    public String name() {
        return "shape";
    }

    @Override
    public void examine(Release r, List<Finding> out) {
        List<Evidence> binaries = new ArrayList<>();
        List<Evidence> archives = new ArrayList<>();
        for (String path : r.now.files().keySet()) {
            if (r.before.has(path)) {
                continue;
            }
            byte[] data = r.now.files().get(path);
            Magic magic = Magic.of(data);
            String lower = path.toLowerCase(Locale.ROOT);
            if ((magic != null && magic.executable)
                    || endsWithAny(lower, BINARY_NAMES)
                    || lower.matches(".*\\.so(\\.\\d+)*$")) {
                if (binaries.size() < MAX_EVIDENCE) {
                    binaries.add(
                            new Evidence(
                                    path,
                                    0,
                                    0,
                                    Math.min(4, data.length),
                                    magic == null ? "" : magic.name()));
                }
            } else if ((magic != null && magic.archive()) || endsWithAny(lower, ARCHIVE_NAMES)) {
                if (archives.size() < MAX_EVIDENCE) {
                    archives.add(
                            new Evidence(
                                    path,
                                    0,
                                    0,
                                    Math.min(4, data.length),
                                    magic == null ? "" : magic.name()));
                }
            }
        }
        if (!binaries.isEmpty()) {
            // A package that already shipped prebuilt binaries ships new ones with each release.
            out.add(
                    new Finding(
                            "binary-added",
                            r.hasPrevious() && !r.before.hadBinaries()
                                    ? Severity.MEDIUM
                                    : Severity.LOW,
                            "Native executables or libraries were added, which no review of the"
                                    + " source can see into.",
                            binaries));
        }
        if (!archives.isEmpty()) {
            out.add(
                    new Finding(
                            "archive-added",
                            Severity.LOW,
                            "Archives were added inside the package.",
                            archives));
        }
        if (r.hasPrevious() && r.before.declaredFiles > 0 && r.now.declaredFiles() > 0) {
            long was = r.before.declaredBytes;
            long now = r.now.declaredBytes();
            int filesWas = r.before.declaredFiles;
            int filesNow = r.now.declaredFiles();
            boolean size =
                    was > 0
                            && (now >= was * 5 || now * 5 <= was)
                            && Math.abs(now - was) > 64 * 1024;
            boolean count =
                    Math.abs(filesNow - filesWas) * 100L >= filesWas * 80L
                            && Math.abs(filesNow - filesWas) >= 5;
            if (size || count) {
                out.add(
                        new Finding(
                                "size-change",
                                Severity.LOW,
                                "The release's size changed from "
                                        + was
                                        + " to "
                                        + now
                                        + " unpacked bytes and from "
                                        + filesWas
                                        + " to "
                                        + filesNow
                                        + " files.",
                                List.of(Evidence.of(null))));
            }
        }
        String latest = r.subject.latest();
        if (latest != null && "latest".equals(r.subject.tag())) {
            Semver now = Semver.parse(r.subject.version());
            Semver cur = Semver.parse(latest);
            if (now != null && cur != null && now.isLowerThan(cur)) {
                out.add(
                        new Finding(
                                "latest-moves-backwards",
                                Severity.MEDIUM,
                                "The release would move latest back from "
                                        + latest
                                        + " to "
                                        + r.subject.version()
                                        + ".",
                                List.of(Evidence.of("package.json"))));
            }
        }
    }

    static boolean endsWithAny(String s, List<String> suffixes) {
        for (String x : suffixes) {
            if (s.endsWith(x)) {
                return true;
            }
        }
        return false;
    }
}
