package dev.warden.server.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A browser on Warden's pages: keeps the cookies it is given and sends them back; posts forms and
 * the passkey script's JSON.
 */
public final class Browser {

    private static final Pattern CSRF =
            Pattern.compile("name=\"csrf\" (?:value|content)=\"([0-9a-f]*)\"");

    private final Http http;
    private final Map<String, String> cookies = new LinkedHashMap<>();

    public Browser(Http http) {
        this.http = http;
    }

    /**
     * A browser signed in on the sign-in page as {@code user} (registered with {@link
     * TestServer#password}).
     */
    public static Browser signedIn(Http http, String user)
            throws IOException, InterruptedException {
        Browser b = new Browser(http);
        Http.Result page = b.get("/-/web/signin");
        Http.Result r =
                b.postForm(
                        "/-/web/signin",
                        "csrf="
                                + csrf(page)
                                + "&username="
                                + user
                                + "&password="
                                + TestServer.password(user));
        if (r.status() != 303 || b.cookie("warden_session") == null) {
            throw new IllegalStateException("sign-in failed: " + r.status() + " " + r.body());
        }
        return b;
    }

    /** The CSRF token of a page: its meta element (for the passkey script) or its form's field. */
    public static String csrf(Http.Result page) {
        Matcher m = CSRF.matcher(page.body());
        if (!m.find()) {
            throw new IllegalStateException("no CSRF token on the page: " + page.body());
        }
        return m.group(1);
    }

    public String cookie(String name) {
        return cookies.get(name);
    }

    /** Sets a cookie as a script on a sibling site or a network attacker could. */
    public void cookie(String name, String value) {
        cookies.put(name, value);
    }

    public Http.Result get(String path) throws IOException, InterruptedException {
        return keep(http.send("GET", path, null, null, headers(Map.of())));
    }

    public Http.Result postForm(String path, String form) throws IOException, InterruptedException {
        return keep(
                http.send(
                        "POST",
                        path,
                        null,
                        form.getBytes(StandardCharsets.UTF_8),
                        headers(Map.of("Content-Type", "application/x-www-form-urlencoded"))));
    }

    /** What the passkey script sends: JSON with the page's CSRF token in {@code X-Warden-CSRF}. */
    public Http.Result postJson(String path, String csrf, String json)
            throws IOException, InterruptedException {
        return keep(
                http.send(
                        "POST",
                        path,
                        null,
                        json.getBytes(StandardCharsets.UTF_8),
                        headers(
                                Map.of(
                                        "Content-Type",
                                        "application/json",
                                        "X-Warden-CSRF",
                                        csrf))));
    }

    private Map<String, String> headers(Map<String, String> extra) {
        Map<String, String> h = new LinkedHashMap<>(extra);
        if (!cookies.isEmpty()) {
            StringBuilder c = new StringBuilder();
            cookies.forEach(
                    (k, v) -> c.append(c.isEmpty() ? "" : "; ").append(k).append('=').append(v));
            h.put("Cookie", c.toString());
        }
        return h;
    }

    private Http.Result keep(Http.Result r) {
        for (String set : r.response().headers().allValues("Set-Cookie")) {
            String pair = set.split(";", 2)[0];
            int eq = pair.indexOf('=');
            cookies.put(pair.substring(0, eq).trim(), pair.substring(eq + 1));
        }
        return r;
    }
}
