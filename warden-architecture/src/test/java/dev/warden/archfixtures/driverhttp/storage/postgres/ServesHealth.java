package dev.warden.archfixtures.driverhttp.storage.postgres;

import java.net.http.HttpClient;

/** Breaks driversSpeakNoHttp: the postgres driver speaks HTTP itself. */
public class ServesHealth {
    HttpClient client = HttpClient.newHttpClient();
}
