package dev.warden.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a browser does with Warden's server-rendered forms: load the page (CSRF cookie and field),
 * post the form.
 */
final class FormBrowser {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private FormBrowser() {}

    static HttpResponse<String> submit(String url, Map<String, String> fields, boolean sendCookie)
            throws Exception {
        HttpResponse<String> page =
                CLIENT.send(
                        HttpRequest.newBuilder(URI.create(url)).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy").orElse(""))
                .contains("default-src 'none'");
        String setCookie = page.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).contains("HttpOnly").contains("SameSite=Strict");
        Matcher m = Pattern.compile("name=\"csrf\" value=\"([0-9a-f]+)\"").matcher(page.body());
        assertThat(m.find()).isTrue();
        StringBuilder form = new StringBuilder("csrf=" + m.group(1));
        fields.forEach((k, v) -> form.append('&').append(enc(k)).append('=').append(enc(v)));
        HttpRequest.Builder post =
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form.toString()));
        if (sendCookie) {
            post.header("Cookie", setCookie.split(";")[0]);
        }
        return CLIENT.send(post.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
