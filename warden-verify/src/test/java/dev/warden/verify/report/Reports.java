package dev.warden.verify.report;

import dev.warden.verify.lockfile.LockedPackage;
import dev.warden.verify.lockfile.SourceKind;

import java.time.Instant;
import java.util.List;

/** A report with one package of each status, for the renderers' tests. */
final class Reports {

    static final Instant AT = Instant.parse("2026-12-05T08:00:00Z");

    private Reports() {}

    static LockedPackage pkg(String name, String version) {
        return new LockedPackage(
                name,
                version,
                SourceKind.REGISTRY,
                "https://registry.example.invalid/" + name + "/-/x-" + version + ".tgz",
                "sha512-AAAA",
                false,
                List.of("node_modules/" + name));
    }

    static Report mixed(String lockfile) {
        return new Report(
                lockfile,
                "package-lock v3",
                "warden-policy.toml",
                List.of(
                        new PackageResult(
                                pkg("ok", "1.0.0"),
                                List.of(
                                        Finding.pass(Check.INTEGRITY, "sha512 matches"),
                                        Finding.pass(Check.SIGNATURE, "signed by SHA256:k")),
                                null),
                        new PackageResult(
                                pkg("plain", "2.0.0"),
                                List.of(
                                        Finding.pass(Check.INTEGRITY, "sha512 matches"),
                                        Finding.info(Check.PROVENANCE, "no provenance")),
                                null),
                        new PackageResult(
                                pkg("left-pad", "1.3.0"),
                                List.of(
                                        Finding.pass(Check.INTEGRITY, "sha512 matches"),
                                        new Finding(
                                                Check.SCRIPTS,
                                                Status.WAIVED,
                                                "runs postinstall; [scripts] allow does not"
                                                        + " name it")),
                                "vendored fix"),
                        new PackageResult(
                                pkg("@acme/core", "3.1.4"),
                                List.of(
                                        Finding.fail(
                                                Check.INTEGRITY,
                                                "expected sha512-AAAA (the lockfile), found"
                                                        + " sha512-BBBB (the tarball)"),
                                        Finding.fail(
                                                Check.PROVENANCE,
                                                "provenance required by the policy; none"
                                                        + " published"),
                                        Finding.info(Check.LOG, "no log index")),
                                null)),
                List.of("pinned the TUF root of http://203.0.113.7:4873 on first use"),
                AT);
    }

    static Report allPassing() {
        return new Report(
                "package-lock.json",
                "package-lock v3",
                "default",
                List.of(
                        new PackageResult(
                                pkg("ok", "1.0.0"),
                                List.of(Finding.pass(Check.INTEGRITY, "sha512 matches")),
                                null),
                        new PackageResult(
                                pkg("plain", "2.0.0"),
                                List.of(Finding.info(Check.PROVENANCE, "no provenance")),
                                null)),
                List.of(),
                AT);
    }
}
