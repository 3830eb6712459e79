package dev.warden.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.accounts.Principal;
import dev.warden.common.Problem;
import dev.warden.registry.Registry;
import dev.warden.server.http.Exchange;
import dev.warden.server.http.Reply;
import dev.warden.server.http.Router;
import dev.warden.storage.MetadataStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The home page and search: recent and popular packages, search with npm search's results,
 * paginated. Only packages the visitor may read are listed, as in search.
 *
 * <p>{@code GET /} is the home page only for a browser (its Accept prefers HTML); every other
 * request to {@code /} gets the registry's answer of before, a JSON 404, so npm clients see no
 * change.
 */
final class BrowsePages {

    /** Results per search page, as {@code npm search} asks by default. */
    static final int PAGE_SIZE = 20;

    /** The longest search text, as {@code /-/v1/search} takes it. */
    static final int MAX_QUERY = 1024;

    /** Packages in each of the home page's lists. */
    static final int LISTED = 10;

    /** How long the home page's lists are kept before the store is asked again. */
    private static final Duration FRESH = Duration.ofSeconds(10);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final WebPages web;
    private final Registry registry;
    private final MetadataStore store;
    private final Clock clock;
    private volatile Lists lists;

    /** The names behind the home page (before the visitor's filter), and when they were read. */
    private record Lists(Instant at, List<String> recent, List<Map.Entry<String, Long>> popular) {}

    BrowsePages(WebPages web, Registry registry, MetadataStore store, Clock clock) {
        this.web = web;
        this.registry = registry;
        this.store = store;
        this.clock = clock;
    }

    void routes(Router router) {
        router.route("GET", "/", this::root)
                .route("GET", "/-/web", this::home)
                .route("GET", "/-/web/search", this::search);
        // what / answered before for any other method: no such route
        for (String method : new String[] {"POST", "PUT", "DELETE", "PATCH", "OPTIONS"}) {
            router.route(
                    method,
                    "/",
                    ex -> {
                        throw Problem.notFound("not found");
                    });
        }
    }

    private Reply root(Exchange ex) {
        if (!prefersHtml(ex.header("Accept"))) {
            throw Problem.notFound("not found");
        }
        return home(ex);
    }

    /**
     * Whether an Accept header ranks text/html above JSON: a browser's does ({@code
     * text/html,...,*\/*;q=0.8}); npm's, pnpm's and yarn's (JSON, or none) do not.
     */
    static boolean prefersHtml(String accept) {
        if (accept == null || accept.isBlank()) {
            return false;
        }
        double html = 0;
        double json = 0;
        for (String part : accept.split(",")) {
            String[] fields = part.trim().split(";");
            String type = fields[0].trim().toLowerCase(java.util.Locale.ROOT);
            double q = 1;
            for (int i = 1; i < fields.length; i++) {
                String f = fields[i].trim();
                if (f.startsWith("q=")) {
                    try {
                        q = Double.parseDouble(f.substring(2));
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                }
            }
            if (type.equals("text/html") || type.equals("application/xhtml+xml")) {
                html = Math.max(html, q);
            } else if (type.equals("application/json") || type.endsWith("+json")) {
                json = Math.max(json, q);
            }
        }
        return html > 0 && html > json;
    }

    private Reply home(Exchange ex) {
        Principal who = web.session(ex).orElse(null);
        Lists now = lists();
        List<BrowseViews.Listed> recent = new ArrayList<>();
        for (String name : now.recent()) {
            if (recent.size() < LISTED) {
                listed(name, -1, who).ifPresent(recent::add);
            }
        }
        List<BrowseViews.Listed> popular = new ArrayList<>();
        for (Map.Entry<String, Long> e : now.popular()) {
            if (popular.size() < LISTED) {
                listed(e.getKey(), e.getValue(), who).ifPresent(popular::add);
            }
        }
        return web.page(
                200, Templates.render("home.jte", new BrowseViews.Home(recent, popular)), null);
    }

    /** The lists of names, read again when older than {@link #FRESH}. */
    private Lists lists() {
        Lists current = lists;
        Instant now = clock.instant();
        if (current != null && current.at().plus(FRESH).isAfter(now)) {
            return current;
        }
        LocalDate from = LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(6);
        Lists fresh =
                store.read(
                        tx -> {
                            // more than shown: restricted ones are left out per visitor
                            List<String> recent = tx.versions().recentlyPublished(LISTED * 5);
                            List<Map.Entry<String, Long>> popular = new ArrayList<>();
                            for (String name :
                                    tx.downloads().downloadedAtLeast(from, 1, LISTED * 5)) {
                                popular.add(Map.entry(name, tx.downloads().since(name, from)));
                            }
                            return new Lists(now, recent, popular);
                        });
        lists = fresh;
        return fresh;
    }

    /** A package as the home page lists it, if the visitor may read it and it has a release. */
    private java.util.Optional<BrowseViews.Listed> listed(
            String name, long downloads, Principal who) {
        if (!registry.readable(name, who)) {
            return java.util.Optional.empty();
        }
        java.util.Optional<dev.warden.storage.Packuments.PackumentRecord> doc;
        try {
            doc = registry.packument(name, who);
        } catch (Problem p) {
            return java.util.Optional.empty(); // only quarantined releases
        }
        return doc.map(
                d -> {
                    JsonNode p = parse(d.full());
                    String latest = p.path("dist-tags").path("latest").asText("");
                    return new BrowseViews.Listed(
                            name,
                            PackagePages.segment(name),
                            latest,
                            p.path("description").asText(""),
                            p.path("time").path(latest).asText(""),
                            downloads);
                });
    }

    private Reply search(Exchange ex) {
        String q = ex.query("q");
        String query = q == null ? "" : q;
        if (query.length() > MAX_QUERY) {
            return web.message(
                    400,
                    "Search",
                    "The search text is longer than " + MAX_QUERY + " characters.",
                    true);
        }
        String rawPage = ex.query("page");
        long page = 1;
        if (rawPage != null && !rawPage.isEmpty()) {
            if (!rawPage.matches("[0-9]{1,18}") || Long.parseLong(rawPage) < 1) {
                return web.message(
                        400, "Search", "The page must be a whole number from 1 on.", true);
            }
            page = Long.parseLong(rawPage);
        }
        if (query.isBlank()) {
            return web.page(
                    200,
                    Templates.render(
                            "search.jte",
                            new BrowseViews.Search(
                                    "",
                                    "Type a package name or keywords, then press Search.",
                                    List.of(),
                                    0,
                                    1,
                                    0,
                                    null,
                                    null,
                                    null)),
                    null);
        }
        Principal who = web.session(ex).orElse(null);
        // past the search's own limit no page has results: ask for none beyond it
        long from = Math.min((page - 1) * PAGE_SIZE, 1_000_000L);
        JsonNode found = registry.search(query, PAGE_SIZE, (int) from, who);
        long total = found.path("total").asLong();
        long pages = (total + PAGE_SIZE - 1) / PAGE_SIZE;
        List<BrowseViews.Hit> hits = new ArrayList<>();
        for (JsonNode o : found.path("objects")) {
            JsonNode p = o.path("package");
            List<String> keywords = new ArrayList<>();
            p.path("keywords").forEach(k -> keywords.add(k.asText()));
            hits.add(
                    new BrowseViews.Hit(
                            p.path("name").asText(),
                            PackagePages.segment(p.path("name").asText()),
                            p.path("version").asText(""),
                            p.path("description").asText(""),
                            keywords,
                            p.path("date").asText("")));
        }
        String base = "/-/web/search?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8);
        boolean past = hits.isEmpty() && page > 1;
        return web.page(
                200,
                Templates.render(
                        "search.jte",
                        new BrowseViews.Search(
                                query,
                                null,
                                hits,
                                total,
                                (int) Math.min(page, Integer.MAX_VALUE),
                                pages,
                                page > 1 && !past ? base + "&page=" + (page - 1) : null,
                                page < pages ? base + "&page=" + (page + 1) : null,
                                past ? base : null)),
                null);
    }

    private static JsonNode parse(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
