package dev.warden.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.accounts.Principal;
import dev.warden.storage.MetadataStore;

import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Package search as npm's {@code /-/v1/search} answers it, over the packages the reader may see.
 */
final class PackageSearch {

    private final MetadataStore store;
    private final ObjectMapper json;
    private final Clock clock;
    private final Visibility visibility;

    PackageSearch(MetadataStore store, ObjectMapper json, Clock clock, Visibility visibility) {
        this.store = store;
        this.json = json;
        this.clock = clock;
        this.visibility = visibility;
    }

    /** Search results as npm's {@code /-/v1/search} returns them. */
    ObjectNode search(String text, int size, int from, Principal reader) {
        List<String> terms = new ArrayList<>();
        for (String t : (text == null ? "" : text).trim().split("\\s+")) {
            if (!t.isEmpty() && terms.size() < 16) {
                terms.add(t.length() > 64 ? t.substring(0, 64) : t);
            }
        }
        ObjectNode out = json.createObjectNode();
        ArrayNode objects = out.putArray("objects");
        if (terms.isEmpty()) {
            out.put("total", 0);
            out.put("time", clock.instant().toString());
            return out;
        }
        List<dev.warden.storage.Search.Hit> hits = store.read(tx -> tx.search().find(terms, 1_000));
        String phrase = String.join(" ", terms).toLowerCase(java.util.Locale.ROOT);
        List<Map.Entry<Double, ObjectNode>> scored = new ArrayList<>();
        for (dev.warden.storage.Search.Hit hit : hits) {
            if (visibility.restricted(hit.name()) && !visibility.canRead(hit.name(), reader)) {
                continue;
            }
            ObjectNode summary = read(hit.summaryJson());
            if (summary.get("links") instanceof ObjectNode links) {
                SafeUrls.cleanLinks(links); // documents stored before the rule too
            }
            double score =
                    hit.name().equals(phrase)
                            ? 1.0
                            : hit.name().startsWith(phrase)
                                    ? 0.8
                                    : hit.name().contains(phrase) ? 0.6 : 0.3;
            scored.add(Map.entry(score, summary));
        }
        scored.sort(
                (a, b) -> {
                    int c = Double.compare(b.getKey(), a.getKey());
                    return c != 0
                            ? c
                            : a.getValue()
                                    .path("name")
                                    .asText()
                                    .compareTo(b.getValue().path("name").asText());
                });
        for (int i = from; i < scored.size() && i < from + size; i++) {
            Map.Entry<Double, ObjectNode> e = scored.get(i);
            ObjectNode o = objects.addObject();
            o.set("package", e.getValue());
            o.put("searchScore", e.getKey());
            ObjectNode score = o.putObject("score");
            score.put("final", e.getKey());
            ObjectNode detail = score.putObject("detail");
            detail.put("quality", 1.0);
            detail.put("popularity", 1.0);
            detail.put("maintenance", 1.0);
            o.putObject("flags").put("insecure", 0);
            o.put("updated", e.getValue().path("date").asText());
        }
        out.put("total", scored.size());
        out.put("time", clock.instant().toString());
        return out;
    }

    private ObjectNode read(String text) {
        try {
            return (ObjectNode) json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
