package dev.warden.accounts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The stored form of {@link Principal.TokenLimits}: {@code {"packages":[...],"scopes":[...]}}. A
 * token made by {@code npm token create} always stores both lists, even empty; a sign-in's token
 * (npm login, the web) stores {@code {}}, which is how the two are told apart.
 */
final class TokenLimitsJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TokenLimitsJson() {}

    static Principal.TokenLimits parse(String json) {
        if (json == null || json.isBlank()) {
            return Principal.TokenLimits.NONE;
        }
        try {
            JsonNode n = JSON.readTree(json);
            return new Principal.TokenLimits(
                    strings(n.path("packages")), strings(n.path("scopes")));
        } catch (IOException e) {
            // A limit we cannot read must not widen what the token may do.
            return new Principal.TokenLimits(List.of("\u0000unreadable"), List.of());
        }
    }

    /**
     * Whether these stored limits are those of a sign-in's token rather than one made by npm token
     * create.
     */
    static boolean fromSignIn(String json) {
        return json == null || json.isBlank() || json.equals("{}");
    }

    static String write(Principal.TokenLimits limits) {
        ObjectNode n = JSON.createObjectNode();
        limits.packages().forEach(n.putArray("packages")::add);
        limits.scopes().forEach(n.putArray("scopes")::add);
        return n.toString();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return List.copyOf(out);
    }
}
