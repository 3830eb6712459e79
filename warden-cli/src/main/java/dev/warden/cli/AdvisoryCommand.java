package dev.warden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code warden advisory draft|invite|uninvite|comment|show|publish|withdraw}: a maintainer's
 * private security advisories, over the registry's HTTP API with their token ({@code
 * WARDEN_REGISTRY}/{@code WARDEN_TOKEN}, as {@code warden governance}).
 */
@Command(
        name = "advisory",
        mixinStandardHelpOptions = true,
        description =
                "Private security advisories: draft, discuss with invited people, publish as OSV.",
        subcommands = {
            AdvisoryCommand.Draft.class,
            AdvisoryCommand.Invite.class,
            AdvisoryCommand.Uninvite.class,
            AdvisoryCommand.Comment.class,
            AdvisoryCommand.Show.class,
            AdvisoryCommand.Publish.class,
            AdvisoryCommand.Withdraw.class
        })
final class AdvisoryCommand {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BASE = "/-/warden/v1/advisories";

    /** Where and as whom. */
    static final class Target extends RegistryTarget {
        /** The answer's JSON, or null after printing the registry's reason to stderr. */
        JsonNode send(String method, String path, JsonNode body, String otp)
                throws IOException, InterruptedException {
            return send("warden advisory", method, path, body, otp, System.err);
        }
    }

    static String draftPath(String id) {
        return BASE + "/" + URLEncoder.encode(id, StandardCharsets.UTF_8);
    }

    /** A draft as text: its fields, who is invited, then the discussion. */
    static String describe(JsonNode d) {
        StringBuilder b =
                new StringBuilder()
                        .append(d.path("id").asText())
                        .append("  ")
                        .append(d.path("package").asText())
                        .append("  ")
                        .append(d.path("state").asText())
                        .append(d.has("osvId") ? " as " + d.path("osvId").asText() : "")
                        .append("\n  severity: ")
                        .append(d.path("severity").asText())
                        .append("\n  affected: ")
                        .append(d.path("affected").asText());
        if (d.hasNonNull("patched")) {
            b.append("\n  patched: ").append(d.path("patched").asText());
        }
        b.append("\n  summary: ").append(d.path("summary").asText());
        for (JsonNode r : d.path("references")) {
            b.append("\n  reference: ").append(r.asText());
        }
        if (d.hasNonNull("details")) {
            b.append("\n  details:");
            for (String line : d.path("details").asText().split("\n")) {
                b.append("\n    ").append(line);
            }
        }
        for (JsonNode i : d.path("invited")) {
            b.append("\n  invited: ")
                    .append(i.path("user").asText())
                    .append(" (by ")
                    .append(i.path("invitedBy").asText())
                    .append(")");
        }
        for (JsonNode c : d.path("comments")) {
            b.append("\n  ")
                    .append(c.path("at").asText())
                    .append(" ")
                    .append(c.path("user").asText())
                    .append(": ")
                    .append(c.path("text").asText());
        }
        return b.toString();
    }

    @Command(
            name = "draft",
            mixinStandardHelpOptions = true,
            description = "Draft an advisory about a package you maintain; prints the draft's id.")
    static final class Draft implements Callable<Integer> {
        @CommandLine.Mixin Target target;

        @Parameters(index = "0", description = "The package.")
        String pkg;

        @Option(
                names = "--affected",
                required = true,
                description = "Affected versions, an npm range.")
        String affected;

        @Option(
                names = "--severity",
                required = true,
                description = "low, moderate, high or critical.")
        String severity;

        @Option(names = "--summary", required = true, description = "One line.")
        String summary;

        @Option(names = "--patched", description = "The first fixed version (published).")
        String patched;

        @Option(names = "--details", description = "A Markdown file with the details.")
        Path details;

        @Option(names = "--reference", description = "A link about the issue (repeatable).")
        java.util.List<String> references;

        @Override
        public Integer call() throws Exception {
            ObjectNode body = JSON.createObjectNode();
            body.put("package", pkg);
            body.put("affected", affected);
            body.put("severity", severity);
            body.put("summary", summary);
            if (patched != null) {
                body.put("patched", patched);
            }
            if (details != null) {
                body.put("details", Files.readString(details, StandardCharsets.UTF_8));
            }
            if (references != null) {
                references.forEach(body.putArray("references")::add);
            }
            JsonNode d = target.send("POST", BASE, body, null);
            if (d == null) {
                return 1;
            }
            System.out.println(d.path("id").asText());
            return 0;
        }
    }

    @Command(
            name = "invite",
            mixinStandardHelpOptions = true,
            description = "Let a user read the draft and join its discussion.")
    static final class Invite implements Callable<Integer> {
        @CommandLine.Mixin Target target;

        @Parameters(index = "0", description = "The draft's id.")
        String id;

        @Parameters(index = "1", description = "The user to invite.")
        String user;

        @Override
        public Integer call() throws Exception {
            JsonNode d =
                    target.send(
                            "PUT",
                            draftPath(id)
                                    + "/invites/"
                                    + URLEncoder.encode(user, StandardCharsets.UTF_8),
                            null,
                            null);
            if (d == null) {
                return 1;
            }
            System.out.println("Invited " + user + " to " + id + ".");
            return 0;
        }
    }

    @Command(
            name = "uninvite",
            mixinStandardHelpOptions = true,
            description = "Take an invitation back.")
    static final class Uninvite implements Callable<Integer> {
        @CommandLine.Mixin Target target;

        @Parameters(index = "0", description = "The draft's id.")
        String id;

        @Parameters(index = "1", description = "The user.")
        String user;

        @Override
        public Integer call() throws Exception {
            JsonNode d =
                    target.send(
                            "DELETE",
                            draftPath(id)
                                    + "/invites/"
                                    + URLEncoder.encode(user, StandardCharsets.UTF_8),
                            null,
                            null);
            if (d == null) {
                return 1;
            }
            System.out.println(user + " is no longer invited to " + id + ".");
            return 0;
        }
    }

    @Command(
            name = "comment",
            mixinStandardHelpOptions = true,
            description = "Add to the draft's private discussion.")
    static final class Comment implements Callable<Integer> {
        @CommandLine.Mixin Target target;

        @Parameters(index = "0", description = "The draft's id.")
        String id;

        @Parameters(index = "1", description = "The text.")
        String text;

        @Override
        public Integer call() throws Exception {
            ObjectNode body = JSON.createObjectNode().put("text", text);
            if (target.send("POST", draftPath(id) + "/comments", body, null) == null) {
                return 1;
            }
            System.out.println("Comment added.");
            return 0;
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "A draft with its invitations and discussion.")
    static final class Show implements Callable<Integer> {
        @CommandLine.Mixin Target target;

        @Parameters(index = "0", description = "The draft's id.")
        String id;

        @Override
        public Integer call() throws Exception {
            JsonNode d = target.send("GET", draftPath(id), null, null);
            if (d == null) {
                return 1;
            }
            System.out.println(describe(d));
            return 0;
        }
    }

    @Command(
            name = "publish",
            mixinStandardHelpOptions = true,
            description =
                    "Publish the draft as an OSV record (needs your one-time password); prints its"
                            + " id.")
    static final class Publish implements Callable<Integer> {
        @CommandLine.Mixin Target target;

        @Parameters(index = "0", description = "The draft's id.")
        String id;

        @Option(
                names = "--otp",
                required = true,
                description = "A one-time password from your authenticator.")
        String otp;

        @Override
        public Integer call() throws Exception {
            JsonNode r = target.send("POST", draftPath(id) + "/publish", null, otp);
            if (r == null) {
                return 1;
            }
            System.out.println(r.path("osvId").asText());
            return 0;
        }
    }

    @Command(
            name = "withdraw",
            mixinStandardHelpOptions = true,
            description = "Withdraw a published advisory (needs your one-time password).")
    static final class Withdraw implements Callable<Integer> {
        @CommandLine.Mixin Target target;

        @Parameters(index = "0", description = "The draft's id.")
        String id;

        @Option(
                names = "--otp",
                required = true,
                description = "A one-time password from your authenticator.")
        String otp;

        @Override
        public Integer call() throws Exception {
            JsonNode r = target.send("POST", draftPath(id) + "/withdraw", null, otp);
            if (r == null) {
                return 1;
            }
            System.out.println("Withdrew " + r.path("osvId").asText() + ".");
            return 0;
        }
    }
}
