package dev.warden.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.common.Problem;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Trusted publishers as the npm CLI configures them ({@code npm trust github|gitlab|circleci}):
 * which claims an ID token must carry to publish a package, and what a token that carries them says
 * about the build it came from.
 */
public final class TrustedPublishing {

    public static final String GITHUB = "github";
    public static final String GITLAB = "gitlab";
    public static final String CIRCLECI = "circleci";
    public static final Set<String> TYPES = Set.of(GITHUB, GITLAB, CIRCLECI);

    /** May publish a version directly. */
    public static final String PUBLISH = "createPackage";

    /** May stage a version for maintainers to approve. */
    public static final String STAGE = "createStagedPackage";

    private static final String CIRCLE = "oidc.circleci.com/";
    private static final Pattern UUID =
            Pattern.compile(
                    "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern WORKFLOW_FILE =
            Pattern.compile("[^/\\\\\\p{Cntrl}]{1,255}\\.ya?ml");
    private static final Pattern REPOSITORY =
            Pattern.compile("[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}");
    private static final Pattern PROJECT =
            Pattern.compile("[A-Za-z0-9_.-]{1,255}(/[A-Za-z0-9_.-]{1,255}){1,20}");
    private static final Pattern ENVIRONMENT = Pattern.compile("[^\\p{Cntrl}]{1,255}");
    private static final Pattern VCS_ORIGIN =
            Pattern.compile("[A-Za-z0-9.-]{1,253}(/[A-Za-z0-9_.-]{1,100}){2,20}");

    private TrustedPublishing() {}

    /** A checked configuration: its claims in the CLI's shape, with nothing it does not know. */
    public record Config(String type, ObjectNode claims, List<String> permissions) {}

    /**
     * Checks one element of {@code npm trust}'s request body, or throws a 400 that says what is
     * wrong.
     */
    public static Config checkConfig(JsonNode element) {
        if (!(element instanceof ObjectNode o)) {
            throw Problem.badRequest(
                    "a trusted publisher must be a JSON object with type, claims and permissions");
        }
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!Set.of("type", "claims", "permissions").contains(f)) {
                throw Problem.badRequest(
                        "unknown field in a trusted publisher: " + IdTokens.clip(f));
            }
        }
        String type = o.path("type").asText("");
        if (!TYPES.contains(type)) {
            throw Problem.badRequest("trusted publisher type must be github, gitlab or circleci");
        }
        if (!(o.get("claims") instanceof ObjectNode claims)) {
            throw Problem.badRequest("a trusted publisher needs its claims as an object");
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        switch (type) {
            case GITHUB -> {
                allowOnly(claims, "repository", "workflow_ref", "environment");
                out.put(
                        "repository",
                        required(
                                claims,
                                "repository",
                                REPOSITORY,
                                "repository must be owner/name, like octo-org/octo-repo"));
                out.putObject("workflow_ref")
                        .put("file", workflowFile(claims.path("workflow_ref"), "workflow_ref"));
                environment(claims, out);
            }
            case GITLAB -> {
                allowOnly(claims, "project_path", "ci_config_ref_uri", "environment");
                out.put(
                        "project_path",
                        required(
                                claims,
                                "project_path",
                                PROJECT,
                                "project_path must be group/project (with any subgroups), like"
                                        + " my-group/my-project"));
                out.putObject("ci_config_ref_uri")
                        .put(
                                "file",
                                workflowFile(
                                        claims.path("ci_config_ref_uri"), "ci_config_ref_uri"));
                environment(claims, out);
            }
            default -> {
                allowOnly(
                        claims,
                        CIRCLE + "org-id",
                        CIRCLE + "project-id",
                        CIRCLE + "pipeline-definition-id",
                        CIRCLE + "vcs-origin",
                        CIRCLE + "context-ids");
                for (String id : List.of("org-id", "project-id", "pipeline-definition-id")) {
                    out.put(
                            CIRCLE + id,
                            required(claims, CIRCLE + id, UUID, CIRCLE + id + " must be a UUID"));
                }
                out.put(
                        CIRCLE + "vcs-origin",
                        required(
                                claims,
                                CIRCLE + "vcs-origin",
                                VCS_ORIGIN,
                                CIRCLE
                                        + "vcs-origin must be host/owner/repository, like"
                                        + " github.com/octo-org/octo-repo"));
                JsonNode contexts = claims.get(CIRCLE + "context-ids");
                if (contexts != null) {
                    if (!contexts.isArray() || contexts.size() > 100) {
                        throw Problem.badRequest(
                                CIRCLE + "context-ids must be a list of at most 100 UUIDs");
                    }
                    var list = out.putArray(CIRCLE + "context-ids");
                    for (JsonNode c : contexts) {
                        if (!c.isTextual() || !UUID.matcher(c.asText()).matches()) {
                            throw Problem.badRequest(
                                    CIRCLE + "context-ids must be a list of UUIDs");
                        }
                        list.add(c.asText().toLowerCase(Locale.ROOT));
                    }
                }
            }
        }
        JsonNode perms = o.get("permissions");
        if (perms == null || !perms.isArray() || perms.isEmpty()) {
            throw Problem.badRequest(
                    "a trusted publisher needs permissions: createPackage (--allow-publish) "
                            + "and/or createStagedPackage (--allow-stage-publish)");
        }
        Set<String> permissions = new LinkedHashSet<>();
        for (JsonNode p : perms) {
            if (!p.isTextual() || !(p.asText().equals(PUBLISH) || p.asText().equals(STAGE))) {
                throw Problem.badRequest(
                        "unknown permission "
                                + IdTokens.clip(p.toString())
                                + ": use createPackage or createStagedPackage");
            }
            permissions.add(p.asText());
        }
        return new Config(type, out, List.copyOf(permissions));
    }

    private static void allowOnly(ObjectNode claims, String... names) {
        for (Iterator<String> it = claims.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!List.of(names).contains(f)) {
                throw Problem.badRequest(
                        "unknown claim for this trusted publisher type: " + IdTokens.clip(f));
            }
        }
    }

    private static String required(ObjectNode claims, String name, Pattern shape, String message) {
        JsonNode v = claims.get(name);
        if (v == null || !v.isTextual() || !shape.matcher(v.asText()).matches()) {
            throw Problem.badRequest(message);
        }
        return v.asText();
    }

    private static String workflowFile(JsonNode ref, String name) {
        JsonNode file = ref.get("file");
        if (!(ref instanceof ObjectNode)
                || ref.size() != 1
                || file == null
                || !file.isTextual()
                || !WORKFLOW_FILE.matcher(file.asText()).matches()) {
            throw Problem.badRequest(
                    name
                            + " must be {\"file\": \"<name>.yml\"}: the workflow file's name,"
                            + " without a directory");
        }
        return file.asText();
    }

    private static void environment(ObjectNode claims, ObjectNode out) {
        JsonNode env = claims.get("environment");
        if (env != null && !env.isNull()) {
            if (!env.isTextual() || !ENVIRONMENT.matcher(env.asText()).matches()) {
                throw Problem.badRequest("environment must be a name of 1 to 255 characters");
            }
            out.put("environment", env.asText());
        }
    }

    /**
     * Why {@code token} is not the publisher {@code claims} names, or null when it is.
     *
     * @param claims a configuration's claims, as {@link #checkConfig} kept them
     */
    public static String mismatch(String type, JsonNode claims, IdTokens.Verified token) {
        if (!type.equals(token.type())) {
            return "the trusted publisher is "
                    + type
                    + ", but the ID token comes from "
                    + token.type()
                    + " ("
                    + token.issuer()
                    + ")";
        }
        return switch (type) {
            case GITHUB -> {
                String repo = claims.path("repository").asText();
                String tokenRepo = token.claim("repository");
                if (tokenRepo == null || !tokenRepo.equalsIgnoreCase(repo)) {
                    yield "the ID token is from repository "
                            + show(tokenRepo)
                            + ", but the trusted publisher is repository "
                            + repo;
                }
                String file = githubWorkflowFile(token.claim("workflow_ref"), tokenRepo);
                String want = claims.path("workflow_ref").path("file").asText();
                if (!want.equals(file)) {
                    yield "the ID token is from workflow "
                            + show(file)
                            + ", but the trusted publisher is workflow "
                            + want;
                }
                yield environmentMismatch(claims, token);
            }
            case GITLAB -> {
                String project = claims.path("project_path").asText();
                String tokenProject = token.claim("project_path");
                if (tokenProject == null || !tokenProject.equalsIgnoreCase(project)) {
                    yield "the ID token is from project "
                            + show(tokenProject)
                            + ", but the trusted publisher is project "
                            + project;
                }
                String file = gitlabConfigFile(token.claim("ci_config_ref_uri"));
                String want = claims.path("ci_config_ref_uri").path("file").asText();
                if (!want.equals(file)) {
                    yield "the ID token is from CI configuration "
                            + show(file)
                            + ", but the trusted publisher is "
                            + want;
                }
                yield environmentMismatch(claims, token);
            }
            default -> {
                for (String id :
                        List.of("org-id", "project-id", "pipeline-definition-id", "vcs-origin")) {
                    String want = claims.path(CIRCLE + id).asText();
                    String got = token.claim(CIRCLE + id);
                    if (got == null || !got.equalsIgnoreCase(want)) {
                        yield "the ID token's "
                                + id
                                + " is "
                                + show(got)
                                + ", but the trusted publisher's is "
                                + want;
                    }
                }
                Object contexts = token.claims().get(CIRCLE + "context-ids");
                Set<String> have = new LinkedHashSet<>();
                if (contexts instanceof List<?> l) {
                    l.forEach(c -> have.add(String.valueOf(c).toLowerCase(Locale.ROOT)));
                }
                for (JsonNode c : claims.path(CIRCLE + "context-ids")) {
                    if (!have.contains(c.asText())) {
                        yield "the ID token does not carry context "
                                + c.asText()
                                + ", which the trusted publisher requires";
                    }
                }
                yield null;
            }
        };
    }

    private static String environmentMismatch(JsonNode claims, IdTokens.Verified token) {
        JsonNode want = claims.get("environment");
        if (want == null) {
            return null;
        }
        String got = token.claim("environment");
        return got != null && got.equalsIgnoreCase(want.asText())
                ? null
                : "the ID token is from environment "
                        + show(got)
                        + ", but the trusted publisher requires environment "
                        + want.asText();
    }

    /**
     * {@code octo/repo/.github/workflows/publish.yml@refs/heads/main} of {@code octo/repo}: {@code
     * publish.yml}.
     */
    static String githubWorkflowFile(String workflowRef, String repository) {
        if (workflowRef == null || repository == null) {
            return null;
        }
        String prefix = repository + "/.github/workflows/";
        int at = workflowRef.indexOf('@');
        if (!workflowRef.regionMatches(true, 0, prefix, 0, prefix.length())
                || at < prefix.length()) {
            return null;
        }
        String file = workflowRef.substring(prefix.length(), at);
        return file.contains("/") ? null : file;
    }

    /** {@code gitlab.com/group/project//.gitlab-ci.yml@refs/heads/main}: {@code .gitlab-ci.yml}. */
    static String gitlabConfigFile(String configRefUri) {
        if (configRefUri == null) {
            return null;
        }
        int slashes = configRefUri.indexOf("//");
        int at = configRefUri.lastIndexOf('@');
        if (slashes < 0 || at < slashes) {
            return null;
        }
        String path = configRefUri.substring(slashes + 2, at);
        return path.contains("/") ? null : path;
    }

    private static String show(String value) {
        return value == null ? "(none)" : IdTokens.clip(value);
    }

    /**
     * What a token says about the build it came from, kept with the version it published and shown
     * in its packument under {@code _npmUser.trustedPublisher}.
     */
    public static ObjectNode identity(IdTokens.Verified token) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("id", token.type());
        out.put("issuer", token.issuer());
        Map<String, String> fields =
                switch (token.type()) {
                    case GITHUB ->
                            Map.of(
                                    "repository",
                                    "repository",
                                    "workflow",
                                    "workflow_ref",
                                    "ref",
                                    "ref",
                                    "sha",
                                    "sha",
                                    "runId",
                                    "run_id",
                                    "runAttempt",
                                    "run_attempt",
                                    "environment",
                                    "environment",
                                    "runnerEnvironment",
                                    "runner_environment",
                                    "event",
                                    "event_name");
                    case GITLAB ->
                            Map.of(
                                    "project",
                                    "project_path",
                                    "ciConfig",
                                    "ci_config_ref_uri",
                                    "ref",
                                    "ref",
                                    "sha",
                                    "sha",
                                    "pipelineId",
                                    "pipeline_id",
                                    "jobId",
                                    "job_id",
                                    "environment",
                                    "environment",
                                    "runnerEnvironment",
                                    "runner_environment");
                    default ->
                            Map.of(
                                    "vcsOrigin",
                                    CIRCLE + "vcs-origin",
                                    "vcsRef",
                                    CIRCLE + "vcs-ref",
                                    "projectId",
                                    CIRCLE + "project-id",
                                    "pipelineDefinitionId",
                                    CIRCLE + "pipeline-definition-id",
                                    "pipelineId",
                                    CIRCLE + "pipeline-id",
                                    "jobId",
                                    CIRCLE + "job-id",
                                    "subject",
                                    "sub");
                };
        List<String> names = new ArrayList<>(fields.keySet());
        names.sort(null);
        for (String name : names) {
            Object v = token.claims().get(fields.get(name));
            if (v instanceof String || v instanceof Number) {
                out.put(name, IdTokens.clip(String.valueOf(v)));
            }
        }
        return out;
    }

    /** The name npm shows as the publisher of a version that came from {@code type}. */
    public static String publisherName(String type) {
        return switch (type) {
            case GITHUB -> "GitHub Actions";
            case GITLAB -> "GitLab CI/CD";
            default -> "CircleCI";
        };
    }

    /** The address npm shows with {@link #publisherName}. */
    public static String publisherEmail(String type) {
        return switch (type) {
            case GITHUB -> "npm-oidc-no-reply@github.com";
            case GITLAB -> "npm-oidc-no-reply@gitlab.com";
            default -> "npm-oidc-no-reply@circleci.com";
        };
    }
}
