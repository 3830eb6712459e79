package dev.warden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code warden report <pkg>[@<version>] --reason '...'}: reports malware to the registry with the
 * caller's token ({@code WARDEN_REGISTRY}, {@code WARDEN_TOKEN}) and prints the report's id.
 */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description =
                "Report malware in a package version (or, without @version, the whole package)"
                        + " for the registry's triagers.")
final class ReportCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(
            index = "0",
            paramLabel = "<pkg>[@<version>]",
            description = "What to report, e.g. left-padd@1.0.1 or @scope/name@2.0.0.")
    String spec;

    @Option(
            names = "--reason",
            required = true,
            description = "What you found, in plain text (at most 4000 characters).")
    String reason;

    @Option(
            names = "--registry",
            defaultValue = "${env:WARDEN_REGISTRY:-http://127.0.0.1:4873}",
            description = "The registry's URL (default: $WARDEN_REGISTRY or ${DEFAULT-VALUE}).")
    URI registry;

    @Option(
            names = "--token",
            defaultValue = "${env:WARDEN_TOKEN}",
            description = "Your registry token (default: $WARDEN_TOKEN).")
    String token;

    /** {@code name} and {@code version} (null for none) of a spec; the scope's @ is not a split. */
    static String[] split(String spec) {
        int at = spec.lastIndexOf('@');
        if (at <= 0) {
            return new String[] {spec, null};
        }
        return new String[] {spec.substring(0, at), spec.substring(at + 1)};
    }

    @Override
    public Integer call() throws Exception {
        if (token == null || token.isBlank()) {
            throw new CommandLine.ParameterException(
                    new CommandLine(this), "--token (or WARDEN_TOKEN) is required");
        }
        String[] parts = split(spec);
        ObjectNode body = JSON.createObjectNode();
        body.put("package", parts[0]);
        if (parts[1] != null) {
            body.put("version", parts[1]);
        }
        body.put("reason", reason);
        HttpRequest request =
                HttpRequest.newBuilder(registry.resolve("/-/warden/v1/reports"))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                        .build();
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode reply = r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
            if (r.statusCode() >= 300) {
                System.err.println(
                        "warden report: "
                                + r.statusCode()
                                + " "
                                + reply.path("error").asText(r.body())
                                + r.headers()
                                        .firstValue("Retry-After")
                                        .map(s -> " (Retry-After: " + s + " s)")
                                        .orElse(""));
                return 1;
            }
            String what = spec;
            System.out.println(
                    (reply.path("duplicate").asBoolean()
                                    ? "You had reported " + what + " already: report "
                                    : "Reported " + what + ": report ")
                            + reply.path("id").asText()
                            + " ("
                            + reply.path("state").asText()
                            + (reply.path("quarantined").asBoolean()
                                    ? "; the version is quarantined now, pending review"
                                    : "")
                            + ")");
            return 0;
        }
    }
}
