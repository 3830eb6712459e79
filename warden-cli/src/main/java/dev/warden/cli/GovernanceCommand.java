package dev.warden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.Callable;

/**
 * {@code warden governance list|approve|reject|stages|stage|policy}: a maintainer's view of the
 * critical changes to governed packages, the staged releases that wait for approval (with what the
 * release review found, before the diff) and a package's policy, over the registry's HTTP API with
 * their token.
 */
@Command(
        name = "governance",
        mixinStandardHelpOptions = true,
        description =
                "Critical changes to governed packages (owner changes, ...) waiting for"
                        + " maintainers' approval.",
        subcommands = {
            GovernanceCommand.ListRequests.class,
            GovernanceCommand.Approve.class,
            GovernanceCommand.Reject.class,
            GovernanceCommand.Stages.class,
            GovernanceCommand.Stage.class,
            GovernanceCommand.ShowPolicy.class
        })
final class GovernanceCommand {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where and as whom. */
    static final class Target extends RegistryTarget {
        JsonNode send(String method, String path, String otp, PrintStream err)
                throws IOException, InterruptedException {
            return send("warden governance", method, path, null, otp, err);
        }
    }

    static String describe(JsonNode r) {
        return r.path("id").asText()
                + "  "
                + r.path("packageName").asText()
                + "  "
                + r.path("change").asText()
                + " "
                + r.path("payload")
                + "\n  requested by "
                + r.path("requestedBy").asText()
                + " at "
                + r.path("createdAt").asText()
                + "; approvals "
                + r.path("approvals").asInt()
                + " of "
                + r.path("approvalsRequired").asInt()
                + (r.path("approvedBy").isEmpty() ? "" : " (" + r.path("approvedBy") + ")")
                + "; "
                + r.path("state").asText()
                + ", expires "
                + r.path("expiresAt").asText();
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "Changes waiting for approval in the packages you maintain.")
    static final class ListRequests implements Callable<Integer> {
        @CommandLine.Mixin Target target;

        @Option(names = "--package", description = "Only this package.")
        String pkg;

        @Override
        public Integer call() throws Exception {
            String q = packageQuery(pkg);
            JsonNode list = target.send("GET", "/-/governance/requests" + q, null, System.err);
            if (list == null) {
                return 1;
            }
            if (list.isEmpty()) {
                System.out.println("No changes wait for approval.");
            }
            list.forEach(r -> System.out.println(describe(r)));
            return 0;
        }
    }

    @Command(
            name = "approve",
            mixinStandardHelpOptions = true,
            description = "Approve a change (needs your one-time password).")
    static final class Approve implements Callable<Integer> {
        @CommandLine.Mixin Target target;

        @Parameters(index = "0", description = "The change request's id.")
        String id;

        @Option(
                names = "--otp",
                required = true,
                description = "A one-time password from your authenticator.")
        String otp;

        @Override
        public Integer call() throws Exception {
            JsonNode r =
                    target.send(
                            "POST", "/-/governance/requests/" + id + "/approve", otp, System.err);
            if (r == null) {
                return 1;
            }
            System.out.println(
                    r.path("applied").asBoolean()
                            ? "Approved; the change is applied."
                            : "Approved.");
            System.out.println(describe(r));
            return 0;
        }
    }

    @Command(
            name = "reject",
            mixinStandardHelpOptions = true,
            description = "Reject a change (needs your one-time password); it is not applied.")
    static final class Reject implements Callable<Integer> {
        @CommandLine.Mixin Target target;

        @Parameters(index = "0", description = "The change request's id.")
        String id;

        @Option(
                names = "--otp",
                required = true,
                description = "A one-time password from your authenticator.")
        String otp;

        @Override
        public Integer call() throws Exception {
            if (target.send("DELETE", "/-/governance/requests/" + id, otp, System.err) == null) {
                return 1;
            }
            System.out.println("Rejected " + id + ".");
            return 0;
        }
    }

    /** A staged release: who staged it, its approvals, then the review's findings and the diff. */
    static String describeStage(JsonNode s) {
        StringBuilder b =
                new StringBuilder()
                        .append(s.path("id").asText())
                        .append("  ")
                        .append(s.path("packageName").asText())
                        .append("@")
                        .append(s.path("version").asText())
                        .append("\n  staged by ")
                        .append(s.path("actor").asText())
                        .append(" at ")
                        .append(s.path("createdAt").asText())
                        .append("; approvals ")
                        .append(s.path("approvals").asInt())
                        .append(" of ")
                        .append(s.path("approvalsRequired").asInt())
                        .append("; ")
                        .append(s.path("state").asText());
        if (s.has("heldBecause")) {
            b.append("\n  held because: ").append(s.path("heldBecause").asText());
        }
        if (s.has("reviewAction")) {
            b.append("\n  release review: ")
                    .append(s.path("reviewAction").asText())
                    .append(" (")
                    .append(s.path("reviewPolicy").asText())
                    .append(" policy)");
            for (String line : s.path("findings").asText().split("\n")) {
                b.append("\n    ").append(line);
            }
            if (s.has("findingsNotComputed")) {
                b.append("\n  not computed: ").append(s.path("findingsNotComputed").asText());
            }
        }
        for (String field :
                new String[] {
                    "comparedWith",
                    "filesAdded",
                    "filesRemoved",
                    "filesChanged",
                    "packageJsonChanges",
                    "installScripts"
                }) {
            if (s.has(field)) {
                b.append("\n  ").append(field).append(": ").append(s.path(field).asText());
            }
        }
        return b.toString();
    }

    @Command(
            name = "stages",
            mixinStandardHelpOptions = true,
            description = "Releases waiting for approval in the packages you maintain.")
    static final class Stages implements Callable<Integer> {
        @CommandLine.Mixin Target target;

        @Option(names = "--package", description = "Only this package.")
        String pkg;

        @Override
        public Integer call() throws Exception {
            String q = packageQuery(pkg);
            JsonNode list = target.send("GET", "/-/stage" + q, null, System.err);
            if (list == null) {
                return 1;
            }
            if (list.path("items").isEmpty()) {
                System.out.println("No releases wait for approval.");
            }
            for (JsonNode item : list.path("items")) {
                // the list has no review material: each stage's view has it
                JsonNode full =
                        target.send(
                                "GET", "/-/stage/" + item.path("id").asText(), null, System.err);
                System.out.println(describeStage(full == null ? item : full));
            }
            return 0;
        }
    }

    @Command(
            name = "stage",
            mixinStandardHelpOptions = true,
            description = "One staged release: the release review's findings, then the diff.")
    static final class Stage implements Callable<Integer> {
        @CommandLine.Mixin Target target;

        @Parameters(index = "0", description = "The stage's id.")
        String id;

        @Override
        public Integer call() throws Exception {
            JsonNode s =
                    target.send(
                            "GET",
                            "/-/stage/"
                                    + java.net.URLEncoder.encode(
                                            id, java.nio.charset.StandardCharsets.UTF_8),
                            null,
                            System.err);
            if (s == null) {
                return 1;
            }
            System.out.println(describeStage(s));
            return 0;
        }
    }

    /** A package's policy in force, with its own review thresholds, and its version. */
    static String describePolicy(JsonNode doc) {
        JsonNode p = doc.path("policy");
        JsonNode review = p.path("review");
        StringBuilder thresholds = new StringBuilder();
        for (String[] level :
                new String[][] {
                    {"flagAt", "flag"}, {"holdAt", "hold"}, {"quarantineAt", "quarantine"}
                }) {
            if (review.hasNonNull(level[0])) {
                thresholds
                        .append(thresholds.isEmpty() ? "" : ", ")
                        .append(level[1])
                        .append(" at ")
                        .append(review.path(level[0]).asText());
            }
        }
        return doc.path("package").asText()
                + "  policy version "
                + doc.path("version").asInt()
                + "\n  "
                + p.path("framework").asText()
                + ": "
                + p.path("approvals").asInt()
                + " approval(s) from other maintainers, "
                + p.path("coolOffHours").asInt()
                + " h cool-off, second factor: "
                + p.path("twoFactor").asText()
                + "\n  release review: "
                + (thresholds.isEmpty()
                        ? "the registry's thresholds"
                        : thresholds + " (the registry's where stricter)");
    }

    @Command(
            name = "policy",
            mixinStandardHelpOptions = true,
            description = "A package's governance policy, with its release-review thresholds.")
    static final class ShowPolicy implements Callable<Integer> {
        @CommandLine.Mixin Target target;

        @Parameters(index = "0", description = "The package.")
        String pkg;

        @Override
        public Integer call() throws Exception {
            JsonNode doc =
                    target.send(
                            "GET",
                            "/-/package/"
                                    + java.net.URLEncoder.encode(
                                            pkg, java.nio.charset.StandardCharsets.UTF_8)
                                    + "/governance",
                            null,
                            System.err);
            if (doc == null) {
                return 1;
            }
            System.out.println(describePolicy(doc));
            return 0;
        }
    }

    /** The query string that limits a listing to one package, or none. */
    static String packageQuery(String pkg) {
        return pkg == null
                ? ""
                : "?package="
                        + java.net.URLEncoder.encode(pkg, java.nio.charset.StandardCharsets.UTF_8);
    }
}
