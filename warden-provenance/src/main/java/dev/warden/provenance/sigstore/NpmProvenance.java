package dev.warden.provenance.sigstore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * The provenance of one npm version: a Sigstore bundle ({@code
 * _attachments["<name>-<version>.sigstore"]}) whose DSSE envelope holds an in-toto statement about
 * exactly this tarball, with a SLSA predicate, signed with a Fulcio certificate that names the
 * source repository and the build.
 *
 * <p>{@link #check} is what a publish must pass before the version goes live; the result records
 * the build facts that later versions are compared with ({@link #differences}).
 *
 * @param workflow the build configuration file (Fulcio's build config URI without its ref)
 * @param builder the SLSA builder id ({@code runDetails.builder.id}, or {@code builder.id} in v0.2)
 */
public record NpmProvenance(
        String predicateType,
        String issuer,
        String identity,
        String sourceRepository,
        String sourceCommit,
        String sourceRef,
        String workflow,
        String builder,
        String runnerEnvironment,
        String runInvocation,
        Instant signedAt,
        long logIndex) {

    public static final String SLSA_V1 = "https://slsa.dev/provenance/v1";
    public static final String SLSA_V02 = "https://slsa.dev/provenance/v0.2";
    static final Set<String> STATEMENT_TYPES =
            Set.of("https://in-toto.io/Statement/v1", "https://in-toto.io/Statement/v0.1");

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The package's trusted publisher, if it has one: its kind and what it names (repository or
     * project path).
     */
    public record Publisher(String type, String repository) {}

    /**
     * Verifies a provenance bundle for {@code name@version}.
     *
     * @param tarball the version's tarball
     * @param publisher the package's trusted publisher, or null
     * @param issuerOfType whether an OIDC issuer URL is one of the configured issuers of a CI kind
     * @param repositoryUrl package.json's {@code repository.url} (or the repository string), or
     *     null
     * @throws VerificationFailure saying what does not match
     */
    public static NpmProvenance check(
            BundleVerifier verifier,
            byte[] bundle,
            String name,
            String version,
            byte[] tarball,
            Publisher publisher,
            BiPredicate<String, String> issuerOfType,
            String repositoryUrl) {
        return check(
                verifier,
                bundle,
                name,
                version,
                BundleVerifier.Artifact.of(tarball),
                HexFormat.of().formatHex(Crypto.digest("SHA-512", tarball)),
                publisher,
                issuerOfType,
                repositoryUrl);
    }

    /**
     * Verifies a provenance bundle for {@code name@version} given only the tarball's digests (a
     * consumer that checked the tarball once keeps its digests, not its bytes).
     *
     * @param sha256 the tarball's SHA-256
     * @param sha512Hex the tarball's SHA-512, lowercase hex
     */
    public static NpmProvenance check(
            BundleVerifier verifier,
            byte[] bundle,
            String name,
            String version,
            byte[] sha256,
            String sha512Hex,
            Publisher publisher,
            BiPredicate<String, String> issuerOfType,
            String repositoryUrl) {
        return check(
                verifier,
                bundle,
                name,
                version,
                BundleVerifier.Artifact.digest(sha256),
                sha512Hex,
                publisher,
                issuerOfType,
                repositoryUrl);
    }

    private static NpmProvenance check(
            BundleVerifier verifier,
            byte[] bundle,
            String name,
            String version,
            BundleVerifier.Artifact artifact,
            String sha512,
            Publisher publisher,
            BiPredicate<String, String> issuerOfType,
            String repositoryUrl) {
        BundleVerifier.Verified v =
                verifier.verify(bundle, artifact, new BundleVerifier.AnyCertificate());
        if (v.dsse() == null || !Dsse.IN_TOTO.equals(v.dsse().payloadType())) {
            throw new VerificationFailure(
                    "provenance must be an in-toto statement in a DSSE envelope");
        }
        if (v.certificate() == null) {
            throw new VerificationFailure(
                    "provenance must be signed with a Fulcio certificate, not a key");
        }
        JsonNode statement;
        try {
            statement = JSON.readTree(v.dsse().payload());
        } catch (IOException e) {
            throw new VerificationFailure("provenance statement is not JSON");
        }
        if (!STATEMENT_TYPES.contains(statement.path("_type").asText())) {
            throw new VerificationFailure(
                    "provenance statement type is '"
                            + statement.path("_type").asText()
                            + "', expected an in-toto Statement");
        }
        String purl = purl(name, version);
        JsonNode subjects = statement.path("subject");
        if (!subjects.isArray() || subjects.size() != 1) {
            throw new VerificationFailure(
                    "provenance statement must have exactly one subject, "
                            + purl
                            + ", not "
                            + subjects.size());
        }
        JsonNode subject = subjects.get(0);
        if (!purl.equals(subject.path("name").asText())) {
            throw new VerificationFailure(
                    "provenance subject is "
                            + subject.path("name").asText()
                            + ", expected "
                            + purl);
        }
        if (!sha512.equals(subject.path("digest").path("sha512").asText())) {
            throw new VerificationFailure(
                    "provenance subject digest does not match the tarball's sha512 ("
                            + sha512.substring(0, 16)
                            + "...)");
        }
        String predicateType = statement.path("predicateType").asText();
        if (!SLSA_V1.equals(predicateType) && !SLSA_V02.equals(predicateType)) {
            throw new VerificationFailure(
                    "provenance predicate type is '"
                            + predicateType
                            + "', expected SLSA provenance v1 or v0.2");
        }
        JsonNode predicate = statement.path("predicate");
        String builder =
                SLSA_V1.equals(predicateType)
                        ? predicate.path("runDetails").path("builder").path("id").asText(null)
                        : predicate.path("builder").path("id").asText(null);
        if (builder == null || builder.isEmpty()) {
            throw new VerificationFailure("provenance predicate names no builder");
        }

        SigningCertificate cert = v.certificate();
        String repository = cert.claim("sourceRepositoryURI");
        if (repository == null) {
            throw new VerificationFailure(
                    "provenance certificate names no source repository (Fulcio extension"
                            + " 1.3.6.1.4.1.57264.1.12)");
        }
        if (cert.issuer() == null) {
            throw new VerificationFailure(
                    "provenance certificate names no OIDC issuer (Fulcio extension"
                            + " 1.3.6.1.4.1.57264.1.8)");
        }
        if (publisher != null) {
            if (!issuerOfType.test(publisher.type(), cert.issuer())) {
                throw new VerificationFailure(
                        "provenance was signed by OIDC issuer "
                                + cert.issuer()
                                + ", but the package's trusted publisher is "
                                + publisher.type());
            }
            if (!("/" + publisher.repository()).equalsIgnoreCase(path(repository))) {
                throw new VerificationFailure(
                        "provenance source repository is "
                                + repository
                                + ", but the package's trusted publisher is "
                                + publisher.repository());
            }
        }
        if (repositoryUrl == null || repositoryUrl.isBlank()) {
            throw new VerificationFailure(
                    "package.json \"repository.url\" is empty, expected to match "
                            + repository
                            + " from the provenance");
        }
        if (!sameRepository(repositoryUrl, repository)) {
            throw new VerificationFailure(
                    "package.json \"repository.url\" is "
                            + repositoryUrl
                            + ", expected to match "
                            + repository
                            + " from the provenance");
        }
        String buildConfig = cert.claim("buildConfigURI");
        String workflow = stripRef(buildConfig != null ? buildConfig : cert.identity());
        Instant signedAt = v.times().stream().min(Instant::compareTo).orElse(null);
        long logIndex = v.entries().isEmpty() ? -1 : v.entries().get(0).getLogIndex();
        return new NpmProvenance(
                predicateType,
                cert.issuer(),
                cert.identity(),
                repository,
                cert.claim("sourceRepositoryDigest"),
                cert.claim("sourceRepositoryRef"),
                workflow,
                builder,
                cert.claim("runnerEnvironment"),
                cert.claim("runInvocationURI"),
                signedAt,
                logIndex);
    }

    /** The facts as they are stored, logged, shown and cached: one JSON-ready map. */
    public java.util.Map<String, Object> summary() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("predicateType", predicateType);
        m.put("issuer", issuer);
        m.put("identity", identity);
        m.put("sourceRepository", sourceRepository);
        m.put("sourceCommit", sourceCommit);
        m.put("sourceRef", sourceRef);
        m.put("workflow", workflow);
        m.put("builder", builder);
        m.put("runnerEnvironment", runnerEnvironment);
        m.put("runInvocation", runInvocation);
        m.put("signedAt", signedAt == null ? null : signedAt.toString());
        m.put("logIndex", logIndex);
        return m;
    }

    /**
     * The facts read back from {@link #summary()}'s JSON; a time that does not parse is left out.
     */
    public static NpmProvenance fromSummary(JsonNode n) {
        Instant signedAt = null;
        if (n.hasNonNull("signedAt")) {
            try {
                signedAt = Instant.parse(n.get("signedAt").asText());
            } catch (java.time.format.DateTimeParseException e) {
                signedAt = null;
            }
        }
        return new NpmProvenance(
                n.path("predicateType").asText(null),
                n.path("issuer").asText(null),
                n.path("identity").asText(null),
                n.path("sourceRepository").asText(null),
                n.path("sourceCommit").asText(null),
                n.path("sourceRef").asText(null),
                n.path("workflow").asText(null),
                n.path("builder").asText(null),
                n.path("runnerEnvironment").asText(null),
                n.path("runInvocation").asText(null),
                signedAt,
                n.path("logIndex").asLong(-1));
    }

    /** npm's package URL for a version: {@code pkg:npm/%40scope/name@1.0.0}. */
    public static String purl(String name, String version) {
        return "pkg:npm/" + name.replaceFirst("^@", "%40") + "@" + version;
    }

    /**
     * How this build differs from the one before: source repository, workflow file, builder or
     * runner environment.
     */
    public List<String> differences(NpmProvenance before) {
        List<String> out = new ArrayList<>();
        if (!sourceRepository.equalsIgnoreCase(before.sourceRepository)) {
            out.add("source repository " + before.sourceRepository + " -> " + sourceRepository);
        }
        if (!Objects.equals(workflow, before.workflow)) {
            out.add("workflow " + before.workflow + " -> " + workflow);
        }
        if (!Objects.equals(builder, before.builder)) {
            out.add("builder " + before.builder + " -> " + builder);
        }
        if (!Objects.equals(runnerEnvironment, before.runnerEnvironment)) {
            out.add("runner environment " + before.runnerEnvironment + " -> " + runnerEnvironment);
        }
        return out;
    }

    static String stripRef(String uri) {
        if (uri == null) {
            return null;
        }
        int at = uri.lastIndexOf('@');
        return at > uri.indexOf("://") + 3 ? uri.substring(0, at) : uri;
    }

    private static String path(String uri) {
        try {
            String p = URI.create(uri).getPath();
            return p == null ? "" : p.replaceAll("/+$", "");
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    /**
     * package.json's repository (git+https://..., git://..., git@host:owner/repo.git,
     * https://.../repo.git) names the same host and path.
     */
    public static boolean sameRepository(String packageJsonUrl, String sourceRepository) {
        return normalize(packageJsonUrl).equals(normalize(sourceRepository));
    }

    private static String normalize(String url) {
        String u = url.trim();
        u = u.replaceFirst("^git\\+", "");
        u = u.replaceFirst("^git@([^:/]+):", "https://$1/");
        u = u.replaceFirst("^(git|ssh|http|git\\+ssh)://(git@)?", "https://");
        u = u.replaceFirst("^https://git@", "https://");
        u = u.replaceFirst("#.*$", "").replaceFirst("/+$", "").replaceFirst("\\.git$", "");
        return u.toLowerCase(Locale.ROOT);
    }
}
