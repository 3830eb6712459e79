package dev.warden.proxy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.storage.MetadataStore;
import dev.warden.storage.Upstreams.Quarantine;
import dev.warden.storage.Upstreams.UpstreamEvent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Quarantines from an OSV feed of malware advisories: a JSON array of OSV records, or a zip of
 * {@code *.json} records (as osv.dev's {@code all.zip}). Only {@code MAL-} records that are not
 * withdrawn count, and of them only npm packages: each affected package's {@code versions}, or
 * every version ("*") when the record lists none. A new name and version becomes a quarantine with
 * the advisory id as its source and its summary as the reason; one already quarantined is left as
 * it was decided.
 *
 * <p>The feed is read whole before anything is written: a feed that cannot be read, is too large
 * (64 MiB, 100,000 records; a zip's entries and inflated bytes are bounded too, against zip bombs)
 * or is not OSV changes nothing and is reported as an event {@code osv.invalid}. A record that is
 * well-formed JSON but not usable (no id, a package name or version the proxy could never serve) is
 * skipped and counted in an event {@code osv.skipped}.
 */
final class OsvFeed {

    private static final Logger LOG = LoggerFactory.getLogger(OsvFeed.class);

    static final String UPLINK = "osv";
    private static final Pattern MAL_ID = Pattern.compile("MAL-[A-Za-z0-9._-]{1,64}");
    private static final String ACCEPT = "application/json, application/zip;q=0.9";
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    /**
     * What one refresh may read.
     *
     * @param feedBytes the feed as fetched
     * @param records OSV records (a zip's entries, whatever their names)
     * @param entryBytes one zip entry, inflated
     * @param inflatedBytes all of a zip's entries, inflated
     */
    record Limits(long feedBytes, int records, long entryBytes, long inflatedBytes) {
        static final Limits DEFAULT = new Limits(64L << 20, 100_000, 4L << 20, 1L << 30);
    }

    /** The feed is not what it should be: nothing changes. */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    private final URI feed;
    private final Uplink uplink;
    private final Upstream upstream;
    private final MetadataStore store;
    private final Quarantines quarantines;
    private final Clock clock;
    private final Limits limits;
    private final ObjectMapper json = new ObjectMapper();

    /** The ETag of the last feed applied, so an unchanged feed is not read again. */
    private volatile String applied;

    /**
     * @param feed the feed's URL, or null/blank for none
     * @throws IllegalArgumentException when the URL is not http(s)
     */
    OsvFeed(
            String feed,
            Upstream upstream,
            MetadataStore store,
            Quarantines quarantines,
            Clock clock,
            Limits limits) {
        this.feed = feed == null || feed.isBlank() ? null : http(feed);
        this.uplink =
                this.feed == null
                        ? null
                        : new Uplink(
                                UPLINK,
                                this.feed.resolve("/"),
                                List.of(),
                                Optional.empty(),
                                TIMEOUT,
                                Duration.ZERO);
        this.upstream = upstream;
        this.store = store;
        this.quarantines = quarantines;
        this.clock = clock;
        this.limits = limits;
    }

    private static URI http(String url) {
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("proxy.osv_feed is not a URL: " + e.getMessage());
        }
        if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
                || uri.getHost() == null) {
            throw new IllegalArgumentException(
                    "proxy.osv_feed must be an http(s) URL, not \"" + url.strip() + "\"");
        }
        return uri;
    }

    /**
     * Reads the feed (if one is configured) and quarantines what is new in it.
     *
     * @return how many quarantines it added
     */
    synchronized int refresh() {
        if (feed == null) {
            return 0;
        }
        Upstream.Response r;
        try {
            r = upstream.get(uplink, feed, ACCEPT, applied, limits.feedBytes());
        } catch (IOException e) {
            return invalid("the feed could not be read: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
        if (r.status() == 304) {
            return 0;
        }
        if (r.status() != 200) {
            return invalid("the feed answered HTTP " + r.status());
        }
        Parsed parsed;
        try {
            if (r.body().length > limits.feedBytes()) {
                throw new Invalid("the feed is larger than " + limits.feedBytes() + " bytes");
            }
            parsed = parse(r.body());
        } catch (Invalid e) {
            return invalid(e.getMessage());
        }
        if (parsed.skipped() > 0) {
            event(
                    "osv.skipped",
                    parsed.skipped() + " record(s) skipped, the first: " + parsed.firstSkip());
        }
        int added = quarantines.addNew(parsed.quarantines());
        applied = r.etag().orElse(null);
        LOG.info(
                "OSV feed read: {} MAL- quarantine(s) listed, {} new",
                parsed.quarantines().size(),
                added);
        return added;
    }

    private int invalid(String why) {
        LOG.warn("OSV feed {} not applied: {}", feed, why);
        event("osv.invalid", why);
        return 0;
    }

    private void event(String kind, String detail) {
        Instant now = clock.instant();
        store.write(
                tx -> {
                    tx.upstreams()
                            .addEvent(new UpstreamEvent(0, UPLINK, kind, null, null, detail, now));
                    return null;
                });
    }

    // ------------------------------------------------------------------ parsing

    /** What a feed holds for this proxy: new candidates in feed order, and what was skipped. */
    record Parsed(List<Quarantine> quarantines, int skipped, String firstSkip) {}

    Parsed parse(byte[] body) throws Invalid {
        Collector c = new Collector(clock.instant());
        if (isZip(body)) {
            unzip(body, c);
        } else {
            array(body, c);
        }
        return new Parsed(new ArrayList<>(c.found.values()), c.skipped, c.firstSkip);
    }

    private static boolean isZip(byte[] b) {
        return b.length >= 4 && b[0] == 'P' && b[1] == 'K' && b[2] == 3 && b[3] == 4;
    }

    private void array(byte[] body, Collector c) throws Invalid {
        try (JsonParser p = json.createParser(body)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new Invalid("the feed is neither a JSON array of OSV records nor a zip");
            }
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (c.records++ >= limits.records()) {
                    throw new Invalid("the feed has more than " + limits.records() + " records");
                }
                if (p.currentToken() != JsonToken.START_OBJECT) {
                    throw new Invalid("record " + c.records + " is not a JSON object");
                }
                c.accept(p.readValueAsTree());
            }
            if (p.nextToken() != null) {
                throw new Invalid("the feed has content after its JSON array");
            }
        } catch (IOException e) {
            throw new Invalid("the feed is not valid JSON: " + firstLine(e.getMessage()));
        }
    }

    private void unzip(byte[] body, Collector c) throws Invalid {
        long inflated = 0;
        byte[] buffer = new byte[64 * 1024];
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(body))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                if (c.records++ >= limits.records()) {
                    throw new Invalid("the zip has more than " + limits.records() + " entries");
                }
                if (e.isDirectory() || !e.getName().endsWith(".json")) {
                    continue;
                }
                java.io.ByteArrayOutputStream entry = new java.io.ByteArrayOutputStream();
                int n;
                while ((n = zip.read(buffer)) > 0) {
                    inflated += n;
                    if (entry.size() + n > limits.entryBytes()) {
                        throw new Invalid(
                                "zip entry "
                                        + clip(e.getName())
                                        + " inflates to more than "
                                        + limits.entryBytes()
                                        + " bytes");
                    }
                    if (inflated > limits.inflatedBytes()) {
                        throw new Invalid(
                                "the zip inflates to more than "
                                        + limits.inflatedBytes()
                                        + " bytes");
                    }
                    entry.write(buffer, 0, n);
                }
                c.accept(record(entry.toByteArray(), e.getName()));
            }
        } catch (IOException ex) {
            throw new Invalid("the zip cannot be read: " + firstLine(ex.getMessage()));
        }
        if (c.records == 0) {
            throw new Invalid("the zip has no entries");
        }
    }

    private JsonNode record(byte[] bytes, String entry) throws Invalid {
        try (InputStream in = new ByteArrayInputStream(bytes)) {
            JsonNode n = json.readTree(in);
            if (n == null || !n.isObject()) {
                throw new Invalid("zip entry " + clip(entry) + " is not a JSON object");
            }
            return n;
        } catch (IOException ex) {
            throw new Invalid(
                    "zip entry "
                            + clip(entry)
                            + " is not valid JSON: "
                            + firstLine(ex.getMessage()));
        }
    }

    /** Turns records into quarantines, first of each name and version wins. */
    private static final class Collector implements Consumer<JsonNode> {
        final Map<String, Quarantine> found = new LinkedHashMap<>();
        final Instant at;
        int records;
        int skipped;
        String firstSkip;

        Collector(Instant at) {
            this.at = at;
        }

        @Override
        public void accept(JsonNode r) {
            String id = r.path("id").asText("");
            if (!id.startsWith("MAL-")) {
                return; // vulnerabilities and other databases' records are not ours to act on
            }
            if (!r.path("withdrawn").isMissingNode() && !r.path("withdrawn").isNull()) {
                return;
            }
            if (!MAL_ID.matcher(id).matches()) {
                skip("id \"" + clip(id) + "\" is not a MAL- id");
                return;
            }
            String reason = reason(r.path("summary").asText(""));
            for (JsonNode a : r.path("affected")) {
                JsonNode pkg = a.path("package");
                if (!"npm".equals(pkg.path("ecosystem").asText(null))) {
                    continue;
                }
                String name = pkg.path("name").asText("");
                try {
                    Quarantines.checkName(name);
                } catch (IllegalArgumentException e) {
                    skip(id + ": " + e.getMessage());
                    continue;
                }
                JsonNode versions = a.path("versions");
                if (!versions.isArray() || versions.isEmpty()) {
                    add(name, "*", reason, id);
                    continue;
                }
                for (JsonNode v : versions) {
                    try {
                        Quarantines.checkVersion(v.asText(""));
                        add(name, v.asText(), reason, id);
                    } catch (IllegalArgumentException e) {
                        skip(id + ": " + e.getMessage());
                    }
                }
            }
        }

        private void add(String name, String version, String reason, String id) {
            found.putIfAbsent(name + "@" + version, new Quarantine(name, version, reason, id, at));
        }

        private void skip(String why) {
            if (skipped++ == 0) {
                firstSkip = why;
            }
        }

        /** The summary as a one-line reason within the quarantine's bound. */
        private static String reason(String summary) {
            String s = summary.replaceAll("\\p{Cntrl}", " ").strip();
            if (s.isEmpty()) {
                return "malicious package";
            }
            return s.length() > Quarantines.MAX_REASON
                    ? s.substring(0, Quarantines.MAX_REASON - 3) + "..."
                    : s;
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return clip(nl < 0 ? s : s.substring(0, nl));
    }

    private static String clip(String s) {
        String t = s.length() > 120 ? s.substring(0, 120) + "..." : s;
        return t.replaceAll("\\p{Cntrl}", "?");
    }
}
