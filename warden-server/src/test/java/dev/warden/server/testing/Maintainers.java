package dev.warden.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.HashMap;
import java.util.Map;

/**
 * People of a governance test, each with a token and an authenticator app: sends their requests
 * (with a fresh one-time password when asked), makes them maintainers and governs packages.
 */
public final class Maintainers {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TestServer server;
    private final MovableClock clock;
    private final Map<String, String> tokens = new HashMap<>();
    private final Map<String, Authenticator> apps = new HashMap<>();

    public Maintainers(TestServer server, MovableClock clock) {
        this.server = server;
        this.clock = clock;
    }

    /**
     * Registers {@code user} with two-factor authentication ({@code auth-only}); returns their
     * token.
     */
    public String join(String user) throws Exception {
        String token = server.token(user);
        tokens.put(user, token);
        apps.put(user, server.enableTwoFactor(user, token, "auth-only", clock));
        return token;
    }

    public String token(String user) {
        return tokens.get(user);
    }

    public String otp(String user) throws InterruptedException {
        return apps.get(user).next();
    }

    /** {@code user}'s request with their own token. */
    public Http.Result send(String method, String path, String user, Object body, boolean otp)
            throws Exception {
        return sendWith(tokens.get(user), method, path, user, body, otp);
    }

    /**
     * A request with {@code token} (which need not be {@code user}'s usual one) and, if asked,
     * {@code user}'s one-time password.
     */
    public Http.Result sendWith(
            String token, String method, String path, String user, Object body, boolean otp)
            throws Exception {
        Map<String, String> headers = new HashMap<>();
        headers.put("Content-Type", "application/json");
        if (otp) {
            headers.put("npm-otp", otp(user));
        }
        byte[] bytes =
                body == null ? null : body instanceof byte[] b ? b : JSON.writeValueAsBytes(body);
        return server.http().send(method, path, token, bytes, headers);
    }

    /**
     * Publishes {@code pkg}@1.0.0 as {@code users[0]}, makes the others maintainers, and adopts
     * {@code policy}.
     */
    public void govern(String pkg, Object policy, String... users) throws Exception {
        for (String u : users) {
            if (!tokens.containsKey(u)) {
                join(u);
            }
        }
        Http.Result first =
                send(
                        "PUT",
                        Tarballs.path(pkg),
                        users[0],
                        Tarballs.publishBody(pkg, "1.0.0"),
                        false);
        if (first.status() != 200) {
            throw new IllegalStateException(
                    "publish failed: " + first.status() + " " + first.body());
        }
        for (int i = 1; i < users.length; i++) {
            JsonNode doc =
                    server.http()
                            .get(Tarballs.path(pkg) + "?write=true", tokens.get(users[0]), Map.of())
                            .json();
            var maintainers = JSON.createArrayNode();
            for (int j = 0; j <= i; j++) {
                maintainers
                        .addObject()
                        .put("name", users[j])
                        .put("email", users[j] + "@example.com");
            }
            ((ObjectNode) doc).set("maintainers", maintainers);
            Http.Result owners =
                    send(
                            "PUT",
                            Tarballs.path(pkg) + "/-rev/" + doc.path("_rev").asText(),
                            users[0],
                            doc,
                            false);
            if (owners.status() != 200) {
                throw new IllegalStateException(
                        "adding maintainers failed: " + owners.status() + " " + owners.body());
            }
        }
        Http.Result set =
                send(
                        "PUT",
                        "/-/package/" + Tarballs.path(pkg).substring(1) + "/governance",
                        users[0],
                        policy,
                        true);
        if (set.status() != 200) {
            throw new IllegalStateException(
                    "setting the policy failed: " + set.status() + " " + set.body());
        }
    }
}
