package dev.warden.server;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.server.http.Exchange;
import dev.warden.server.http.Reply;
import dev.warden.server.http.Router;
import dev.warden.storage.BlobStore;
import dev.warden.storage.MetadataStore;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** What operators and their load balancers ask: {@code /-/ping}, {@code /-/health}, metrics. */
final class OpsApi {

    private final MetadataStore store;
    private final BlobStore blobs;
    private final ObjectMapper json;
    private final PrometheusMeterRegistry meters;

    /** {@code server.metrics}: who may read the metrics. */
    private final String metricsMode;

    OpsApi(
            MetadataStore store,
            BlobStore blobs,
            ObjectMapper json,
            PrometheusMeterRegistry meters,
            String metricsMode) {
        this.store = store;
        this.blobs = blobs;
        this.json = json;
        this.meters = meters;
        this.metricsMode = metricsMode;
    }

    void routes(Router router) {
        router.route("GET", "/-/ping", ex -> ex.ok(Map.of()))
                .route("GET", "/-/health", ex -> health())
                .route("GET", "/-/metrics", this::metrics);
    }

    /**
     * Prometheus metrics, for those {@code server.metrics} names: they tell request rates per
     * route, which an outsider has no business watching. Through a proxy every peer looks local, so
     * a proxied request is never "loopback". Refused as an unknown path.
     */
    private Reply metrics(Exchange ex) {
        boolean allowed =
                switch (metricsMode) {
                    case "public" -> true;
                    case "loopback" ->
                            ex.clientAddress() != null
                                    && ex.clientAddress().isLoopbackAddress()
                                    && ex.header("Forwarded") == null
                                    && ex.header("X-Forwarded-For") == null;
                    default -> false;
                };
        if (!allowed) {
            throw dev.warden.common.Problem.notFound("not found");
        }
        return Reply.text(200, "text/plain; version=0.0.4; charset=utf-8", meters.scrape());
    }

    private Reply health() {
        Map<String, Object> checks = new LinkedHashMap<>();
        boolean ok = true;
        try {
            store.read(tx -> tx.users().count());
            checks.put("metadata", "ok");
        } catch (RuntimeException e) {
            checks.put("metadata", "failing");
            ok = false;
        }
        try {
            blobs.get("0".repeat(128));
            checks.put("blobs", "ok");
        } catch (IOException | RuntimeException e) {
            checks.put("blobs", "failing");
            ok = false;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", ok ? "ok" : "failing");
        out.put("checks", checks);
        try {
            return Reply.json(ok ? 200 : 503, json.writeValueAsBytes(out));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
