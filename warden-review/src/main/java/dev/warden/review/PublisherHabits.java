package dev.warden.review;

import dev.warden.common.Digests;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * About who publishes: a maintainer's first release of the package, a token publish after trusted
 * publishing or provenance (the downgrade a stolen token makes), a new client or address, many
 * packages from one identity within the hour, and a new file that other packages gained within
 * hours (how a worm spreads).
 */
final class PublisherHabits implements Detector {

    static final Duration BURST_WINDOW = Duration.ofHours(1);
    static final int BURST = 10;
    static final Duration SPREAD_WINDOW = Duration.ofHours(6);

    /** A file too small or too common to tell packages apart. */
    static final int MIN_SPREAD_BYTES = 512;

    static final int MAX_SPREAD_LOOKUPS = 50;

    private static final Set<String> COMMON =
            Set.of(
                    "package.json",
                    "readme",
                    "license",
                    "licence",
                    "changelog",
                    "history",
                    "authors",
                    "contributing",
                    "security",
                    "notice",
                    ".npmignore",
                    "tsconfig.json",
                    ".eslintrc",
                    ".prettierrc",
                    ".editorconfig");

    @Override
    public String name() {
        return "publisher";
    }

    @Override
    public void examine(Release r, List<Finding> out) {
        Subject.Publisher p = r.subject.publisher();
        Subject.Previous prev = r.subject.previous();
        if (p == null) {
            return;
        }
        Evidence who =
                new Evidence(
                        null,
                        0,
                        -1,
                        0,
                        Excerpts.escape("publisher " + p.user(), Evidence.MAX_EXCERPT));
        if (prev != null && p.firstPublishToPackage()) {
            out.add(
                    new Finding(
                            "new-maintainer-publish",
                            Severity.MEDIUM,
                            "First release of this package by "
                                    + p.user()
                                    + (prev.publisher() != null
                                            ? " (the previous was by " + prev.publisher() + ")"
                                            : "")
                                    + ".",
                            List.of(who)));
        }
        if (prev != null
                && !p.trustedPublisher()
                && !p.provenance()
                && (prev.trustedPublisher() || prev.provenance())) {
            out.add(
                    new Finding(
                            "provenance-downgrade",
                            Severity.HIGH,
                            "Published "
                                    + (p.token() ? "with a token" : "by an account")
                                    + " and without provenance, where "
                                    + prev.version()
                                    + " came "
                                    + (prev.trustedPublisher()
                                            ? "from trusted publishing"
                                            : "with provenance")
                                    + ".",
                            List.of(who)));
        }
        if (prev != null && p.newClient() && p.userAgent() != null) {
            out.add(
                    new Finding(
                            "new-client",
                            Severity.LOW,
                            p.user() + " never published with this client before.",
                            List.of(
                                    new Evidence(
                                            null,
                                            0,
                                            -1,
                                            0,
                                            Excerpts.escape(
                                                    p.userAgent(), Evidence.MAX_EXCERPT)))));
        }
        if (prev != null && p.newAddress() && p.address() != null) {
            out.add(
                    new Finding(
                            "new-address",
                            Severity.LOW,
                            p.user() + " never published from this address before.",
                            List.of(
                                    new Evidence(
                                            null,
                                            0,
                                            -1,
                                            0,
                                            Excerpts.escape(p.address(), Evidence.MAX_EXCERPT)))));
        }
        Instant at = r.subject.at();
        if (at != null && p.user() != null) {
            int published = r.ecosystem.packagesPublishedBy(p.user(), at.minus(BURST_WINDOW));
            if (published > BURST) {
                out.add(
                        new Finding(
                                "publish-burst",
                                Severity.MEDIUM,
                                p.user()
                                        + " published "
                                        + published
                                        + " packages in the last hour.",
                                List.of(who)));
            }
        }
        spread(r, out);
    }

    private static void spread(Release r, List<Finding> out) {
        List<Evidence> ev = new ArrayList<>();
        int most = 0;
        boolean atInstall = false;
        int lookups = 0;
        for (String path : r.changedFiles()) {
            byte[] data = r.now.files().get(path);
            if (data.length < MIN_SPREAD_BYTES
                    || common(path)
                    || r.now.truncated().contains(path)) {
                continue;
            }
            if (lookups++ >= MAX_SPREAD_LOOKUPS) {
                break;
            }
            String sha = Digests.sha256Hex(data);
            int others = r.ecosystem.otherPackagesWithNewFile(sha, r.subject.name(), SPREAD_WINDOW);
            if (others > 0) {
                most = Math.max(most, others);
                atInstall |= r.installFiles.contains(path);
                if (ev.size() < MAX_EVIDENCE) {
                    ev.add(
                            new Evidence(
                                    path,
                                    0,
                                    -1,
                                    0,
                                    "sha256 " + sha + " in " + others + " other packages"));
                }
            }
        }
        if (!ev.isEmpty()) {
            Severity s = atInstall || most >= 3 ? Severity.CRITICAL : Severity.HIGH;
            out.add(
                    new Finding(
                            "file-spreading",
                            s,
                            "A new file of this release appeared in "
                                    + most
                                    + " other packages within 6 hours"
                                    + (atInstall ? ", and it runs at install" : "")
                                    + ": how a worm spreads.",
                            ev));
        }
    }

    private static boolean common(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        int dot = name.indexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        return COMMON.contains(name)
                || COMMON.contains(stem)
                || name.endsWith(".md")
                || name.endsWith(".map")
                || name.endsWith(".d.ts");
    }
}
