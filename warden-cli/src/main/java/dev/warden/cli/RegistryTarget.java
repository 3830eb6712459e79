package dev.warden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Where a client command sends its requests and as whom ({@code --registry} and {@code --token}, by
 * default {@code WARDEN_REGISTRY} and {@code WARDEN_TOKEN}): a mixin of the commands that speak the
 * registry's HTTP API with a maintainer's token.
 */
class RegistryTarget {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

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

    /**
     * Sends one request; the answer's JSON, or null after printing "{@code command}: status reason"
     * (the registry's {@code error}) to {@code err}.
     */
    JsonNode send(
            String command, String method, String path, JsonNode body, String otp, PrintStream err)
            throws IOException, InterruptedException {
        if (token == null || token.isBlank()) {
            throw new CommandLine.ParameterException(
                    mixee.commandLine(), "--token (or WARDEN_TOKEN) is required");
        }
        HttpRequest.Builder b =
                HttpRequest.newBuilder(registry.resolve(path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + token);
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json")
                    .method(
                            method,
                            HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        }
        if (otp != null) {
            b.header("npm-otp", otp);
        }
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode answer =
                    r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
            if (r.statusCode() >= 300) {
                err.println(
                        command
                                + ": "
                                + r.statusCode()
                                + " "
                                + answer.path("error").asText(r.body()));
                return null;
            }
            return answer;
        }
    }
}
