package dev.warden.archfixtures.driverhttp.log.postgres;

import java.net.http.HttpClient;

/** Breaks driversSpeakNoHttp: the shared log store fetches over HTTP. */
public class FetchesTiles {
    HttpClient client = HttpClient.newHttpClient();
}
