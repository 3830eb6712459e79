package dev.warden.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.awareness.StepIds;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code warden doctor}: the caller's security posture as a checklist in the terminal (each check
 * done or open, how important, how to fix it), from {@code GET /-/warden/v1/posture} with their
 * token. Exit status 1 while an important step is open, 0 otherwise, 2 when the registry cannot be
 * asked (unreachable, or the token is refused).
 */
@Command(
        name = "doctor",
        mixinStandardHelpOptions = true,
        description =
                "Checks your account's and packages' security posture and prints what to fix"
                        + " (exit status 1 while an important step is open).")
final class DoctorCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

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

    @Override
    public Integer call() {
        return run(System.out, System.err);
    }

    int run(PrintStream out, PrintStream err) {
        if (token == null || token.isBlank()) {
            err.println("warden doctor: no token: set WARDEN_TOKEN (or pass --token)");
            return 2;
        }
        URI uri = URI.create(registry.toString().replaceAll("/+$", "") + "/-/warden/v1/posture");
        HttpResponse<String> r;
        try (HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            r =
                    client.send(
                            HttpRequest.newBuilder(uri)
                                    .timeout(Duration.ofSeconds(30))
                                    .header("Authorization", "Bearer " + token)
                                    .header("Accept", "application/json")
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            err.println(
                    "warden doctor: cannot reach the registry at "
                            + registry
                            + ": "
                            + (e.getMessage() == null
                                    ? e.getClass().getSimpleName()
                                    : e.getMessage()));
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 2;
        }
        JsonNode body;
        try {
            body = JSON.readTree(r.body().isEmpty() ? "{}" : r.body());
        } catch (JsonProcessingException e) {
            err.println(
                    "warden doctor: "
                            + registry
                            + " answered "
                            + r.statusCode()
                            + " with no posture: is it a Warden registry?");
            return 2;
        }
        if (r.statusCode() == 401) {
            err.println(
                    "warden doctor: the registry refused the token ("
                            + body.path("error").asText("401")
                            + "); check WARDEN_TOKEN");
            return 2;
        }
        if (r.statusCode() != 200 || !body.has("steps")) {
            err.println(
                    "warden doctor: "
                            + r.statusCode()
                            + " "
                            + body.path("error").asText("no posture in the answer"));
            return 2;
        }
        return print(body, out);
    }

    /** The checklist; the exit status follows the important steps still open. */
    static int print(JsonNode p, PrintStream out) {
        out.println(
                "Security checklist for "
                        + p.path("user").asText()
                        + ": score "
                        + p.path("score").asInt()
                        + "/100, second factor: "
                        + p.path("secondFactor").asText());
        out.println();
        boolean important = false;
        Set<String> open = new HashSet<>();
        for (JsonNode s : p.path("steps")) {
            String importance = s.path("importance").asText();
            important |= importance.equals("important");
            open.add(s.path("id").asText());
            out.printf(
                    "[ ] %-11s %s%n",
                    importance.toUpperCase(java.util.Locale.ROOT), s.path("title").asText());
            out.println("                " + s.path("reason").asText());
            if (s.hasNonNull("fix")) {
                out.println("                fix: " + s.path("fix").asText());
            }
            out.println("                see: " + s.path("url").asText());
        }
        for (String id : StepIds.ALL) {
            if (!open.contains(id)) {
                out.printf("[x] %-11s %s%n", "done", StepIds.title(id));
            }
        }
        if (p.path("packages").size() > 0) {
            out.println();
            out.println("Packages:");
            for (JsonNode pkg : p.path("packages")) {
                out.println(
                        "  "
                                + pkg.path("name").asText()
                                + ": score "
                                + pkg.path("score").asInt()
                                + ", "
                                + pkg.path("important").asInt()
                                + " important, "
                                + pkg.path("recommended").asInt()
                                + " recommended");
            }
        }
        out.println();
        out.println(
                important
                        ? "Important steps are open: fix them and run warden doctor again."
                        : "No important step is open.");
        return important ? 1 : 0;
    }
}
