package dev.warden.server;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.server.http.Exchange;
import dev.warden.server.http.Reply;
import dev.warden.server.http.Router;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** What operators and their load balancers ask: {@code /-/ping}, {@code /-/health}, metrics. */
final class OpsApi {

    private static final Logger LOG = LoggerFactory.getLogger(OpsApi.class);

    /** Each store to "ok" or a one-line reason ({@link Stores#health}). */
    private final Supplier<Map<String, String>> stores;

    private final ObjectMapper json;
    private final PrometheusMeterRegistry meters;

    /** {@code server.metrics}: who may read the metrics. */
    private final String metricsMode;

    OpsApi(
            Supplier<Map<String, String>> stores,
            ObjectMapper json,
            PrometheusMeterRegistry meters,
            String metricsMode) {
        this.stores = stores;
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

    /**
     * 200 when every store answers, else 503, so a load balancer takes a node that lost a store out
     * of rotation; each store's entry is "ok" or why not.
     */
    private Reply health() {
        Map<String, String> checks = stores.get();
        boolean ok = checks.values().stream().allMatch("ok"::equals);
        if (!ok) {
            LOG.warn("health: {}", checks);
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
