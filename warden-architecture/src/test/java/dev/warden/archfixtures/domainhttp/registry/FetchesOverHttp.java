package dev.warden.archfixtures.domainhttp.registry;

/** Breaks domainImportsNoHttp: a registry class that makes its own HTTP client. */
public class FetchesOverHttp {
    java.net.http.HttpClient client() {
        return java.net.http.HttpClient.newHttpClient();
    }
}
