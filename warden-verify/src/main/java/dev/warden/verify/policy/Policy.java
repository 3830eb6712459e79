package dev.warden.verify.policy;

import dev.warden.verify.lockfile.LockedPackage;
import dev.warden.verify.lockfile.SourceKind;
import dev.warden.verify.report.Finding;
import dev.warden.verify.report.PackageResult;
import dev.warden.verify.report.Status;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a project requires of its dependencies ({@code warden-policy.toml}; every key is described
 * in warden-verify's README). Immutable; the questions it answers take a package name and return a
 * requirement, so the verifier stays free of TOML.
 *
 * <p>With no file, {@link #defaults()}: nothing is required beyond what every run checks (a
 * registry that publishes keys must have signed every version, provenance is verified wherever a
 * version has it), every source kind and install script is allowed, nothing is waived.
 */
public final class Policy {

    /** A larger policy is a mistake or an attack, never a real project's rules. */
    public static final long MAX_BYTES = 1024 * 1024;

    record SourceRule(NamePattern packages, SourcePin pin) {}

    /** {@code version} null: every version of the names {@code name} matches. */
    record ExceptionRule(NamePattern name, String version, Waiver waiver) {

        boolean covers(String pkg, String ver) {
            return name.matches(pkg) && (version == null || version.equals(ver));
        }
    }

    private final String origin;
    private final List<NamePattern> provenanceRequired;
    private final List<String> issuers;
    private final List<SourceRule> sources;
    private final Optional<Duration> minimumAge;
    private final List<NamePattern> ageExclude;
    private final List<NamePattern> scriptsAllowed; // null: no [scripts] table, all allowed
    private final Set<SourceKind> sourcesAllowed;
    private final List<ExceptionRule> exceptions;
    private final List<RegistryPin> registries;

    private Policy(Builder b) {
        this.origin = b.origin;
        this.provenanceRequired = List.copyOf(b.provenanceRequired);
        this.issuers = List.copyOf(b.issuers);
        this.sources = List.copyOf(b.sources);
        this.minimumAge = b.minimumAge.filter(d -> !d.isZero());
        this.ageExclude = List.copyOf(b.ageExclude);
        this.scriptsAllowed = b.scriptsAllowed == null ? null : List.copyOf(b.scriptsAllowed);
        this.sourcesAllowed = Set.copyOf(b.sourcesAllowed);
        this.exceptions = List.copyOf(b.exceptions);
        this.registries = List.copyOf(b.registries);
    }

    /** The policy of a project that has none. */
    public static Policy defaults() {
        return new Builder("default").build();
    }

    /**
     * Reads a policy from its text. A relative {@code tuf_root} is taken relative to the directory
     * of {@code origin} when origin is a path.
     *
     * @param origin where the text came from, for messages and {@link #origin()}
     */
    public static Policy parse(String toml, String origin) throws PolicyException {
        if (toml.length() > MAX_BYTES || toml.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw tooLarge(origin);
        }
        Path base;
        try {
            base = Path.of(origin).toAbsolutePath().getParent();
        } catch (InvalidPathException e) {
            base = null;
        }
        return PolicyReader.read(toml, origin, base);
    }

    /** Reads a policy file: at most {@link #MAX_BYTES}, UTF-8. */
    public static Policy load(Path file) throws PolicyException {
        String origin = file.toString();
        if (!Files.isRegularFile(file)) {
            throw new PolicyException(
                    "policy "
                            + origin
                            + (Files.isDirectory(file) ? " is a directory" : " does not exist"));
        }
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw tooLarge(origin);
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new PolicyException("policy " + origin + " cannot be read: " + e.getMessage(), e);
        }
        if (bytes.length > MAX_BYTES) { // it grew while we looked
            throw tooLarge(origin);
        }
        String text;
        try {
            text =
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(java.nio.ByteBuffer.wrap(bytes))
                            .toString();
        } catch (CharacterCodingException e) {
            throw new PolicyException("policy " + origin + " is not UTF-8 text", e);
        }
        return PolicyReader.read(text, origin, file.toAbsolutePath().getParent());
    }

    private static PolicyException tooLarge(String origin) {
        return new PolicyException(
                "policy " + origin + " is larger than " + MAX_BYTES + " bytes (1 MiB): refused");
    }

    /** {@code "default"}, or where the policy was read from. */
    public String origin() {
        return origin;
    }

    /** Whether {@code name} must carry verified provenance ({@code [provenance] require}). */
    public boolean provenanceRequired(String name) {
        return NamePattern.anyMatches(provenanceRequired, name);
    }

    /**
     * The OIDC issuers a provenance's certificate may name ({@code [provenance] issuers}); empty:
     * any that the trusted roots accept.
     */
    public List<String> allowedIssuers() {
        return issuers;
    }

    /** The first {@code [[source]]}, in file order, whose {@code packages} matches {@code name}. */
    public Optional<SourcePin> sourcePin(String name) {
        return sources.stream()
                .filter(s -> s.packages().matches(name))
                .map(SourceRule::pin)
                .findFirst();
    }

    /**
     * How old a version of {@code name} must be ({@code [age]}): empty when there is no minimum, it
     * is zero, or {@code name} is excluded.
     */
    public Optional<Duration> minimumAge(String name) {
        return NamePattern.anyMatches(ageExclude, name) ? Optional.empty() : minimumAge;
    }

    /**
     * Whether {@code name} may run install scripts: always when the policy has no {@code
     * [scripts]}.
     */
    public boolean scriptsAllowed(String name) {
        return scriptsAllowed == null || NamePattern.anyMatches(scriptsAllowed, name);
    }

    /**
     * Whether packages from {@code kind} are allowed ({@code [sources] allow}): all are with no
     * {@code [sources]}; {@link SourceKind#LINK} (the project's own directories) always is.
     */
    public boolean sourceAllowed(SourceKind kind) {
        return kind == SourceKind.LINK || sourcesAllowed.contains(kind);
    }

    /**
     * The first {@code [[exception]]}, in file order, that names this version and has not expired
     * on {@code today}.
     */
    public Optional<Waiver> waiver(String name, String version, LocalDate today) {
        return exceptions.stream()
                .filter(x -> x.waiver().activeOn(today) && x.covers(name, version))
                .map(ExceptionRule::waiver)
                .findFirst();
    }

    /** The exceptions that no longer waive anything on {@code today}, in file order. */
    public List<Waiver> expired(LocalDate today) {
        return exceptions.stream()
                .map(ExceptionRule::waiver)
                .filter(w -> !w.activeOn(today))
                .toList();
    }

    /** Every {@code [[registry]]}, in file order. */
    public List<RegistryPin> registries() {
        return registries;
    }

    /**
     * The {@code [[registry]]} for a registry base URL: scheme and host compare without case, a
     * trailing slash does not count.
     */
    public Optional<RegistryPin> registry(URI url) {
        String wanted = normalize(url).toString();
        return registries.stream()
                .filter(r -> normalize(r.uri()).toString().equals(wanted))
                .findFirst();
    }

    /**
     * One package's result with the policy's exception applied: when an unexpired exception covers
     * it, each FAIL becomes WAIVED and the result carries the exception's reason. PASS and INFO are
     * left as they are, and a package with no failure carries no waiver: an exception only excuses
     * failures.
     */
    public PackageResult judge(LockedPackage pkg, List<Finding> findings, LocalDate today) {
        boolean failed = findings.stream().anyMatch(f -> f.status() == Status.FAIL);
        Optional<Waiver> waiver =
                failed ? waiver(pkg.name(), pkg.version(), today) : Optional.empty();
        if (waiver.isEmpty()) {
            return new PackageResult(pkg, findings, null);
        }
        List<Finding> waived = new ArrayList<>(findings.size());
        for (Finding f : findings) {
            waived.add(
                    f.status() == Status.FAIL
                            ? new Finding(f.check(), Status.WAIVED, f.message())
                            : f);
        }
        return new PackageResult(pkg, waived, waiver.get().reason());
    }

    static URI normalize(URI url) {
        String s = url.toString();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        URI u = URI.create(s);
        String scheme = u.getScheme() == null ? null : u.getScheme().toLowerCase(Locale.ROOT);
        String host = u.getHost() == null ? null : u.getHost().toLowerCase(Locale.ROOT);
        return URI.create(
                (scheme == null ? "" : scheme + "://")
                        + (host == null ? "" : host)
                        + (u.getPort() < 0 ? "" : ":" + u.getPort())
                        + (u.getRawPath() == null ? "" : u.getRawPath()));
    }

    /** What the reader fills in; the defaults are the policy of a project without a file. */
    static final class Builder {
        final String origin;
        List<NamePattern> provenanceRequired = List.of();
        List<String> issuers = List.of();
        final List<SourceRule> sources = new ArrayList<>();
        Optional<Duration> minimumAge = Optional.empty();
        List<NamePattern> ageExclude = List.of();
        List<NamePattern> scriptsAllowed;
        Set<SourceKind> sourcesAllowed = EnumSet.allOf(SourceKind.class);
        final List<ExceptionRule> exceptions = new ArrayList<>();
        final List<RegistryPin> registries = new ArrayList<>();

        Builder(String origin) {
            this.origin = origin;
        }

        Policy build() {
            return new Policy(this);
        }
    }
}
