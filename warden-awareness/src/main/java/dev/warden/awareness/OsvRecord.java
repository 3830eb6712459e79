package dev.warden.awareness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.semver4j.Semver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One published OSV record (https://ossf.github.io/osv-schema/, schema 1.6): a package's security
 * advisory ({@code x_WARDEN-2026-1}, a local database's id as the schema allows) or confirmed
 * malware ({@code MAL-2026-1}). npm's severity level travels as {@code database_specific.severity},
 * as in GitHub's records, since OSV's own severity field holds CVSS vectors only.
 *
 * @param id the record's id
 * @param published when it was first published
 * @param modified when it last changed
 * @param withdrawn when it was withdrawn, or null
 * @param summary one line of plain text
 * @param details Markdown, never rendered as HTML by Warden
 * @param severity npm's level
 * @param affected the npm packages and versions it affects
 * @param aliases other ids of the same issue (CVE, GHSA)
 * @param references links, each with its OSV type
 */
public record OsvRecord(
        String id,
        Instant published,
        Instant modified,
        Instant withdrawn,
        String summary,
        String details,
        AdvisorySeverity severity,
        List<Affected> affected,
        List<String> aliases,
        List<Reference> references) {

    /** The OSV schema version the records follow. */
    public static final String SCHEMA_VERSION = "1.6.0";

    /** The ids Warden gives: a prefix the OSV schema accepts, the year and a number. */
    static final Pattern ID = Pattern.compile("(MAL|x_WARDEN)-\\d{4}-\\d{1,9}");

    static final int MAX_SUMMARY = 200;
    static final int MAX_DETAILS = 64 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The versions of one npm package a record affects: intervals, and single versions listed.
     *
     * @param name the package's name
     * @param ranges intervals of affected versions
     * @param versions affected versions listed one by one
     */
    public record Affected(String name, List<AffectedRange> ranges, List<String> versions) {
        public Affected {
            if (name == null || name.isBlank() || name.length() > 214) {
                throw new IllegalArgumentException("an affected package has a name");
            }
            ranges = List.copyOf(ranges);
            versions = List.copyOf(versions);
            if (ranges.isEmpty() && versions.isEmpty()) {
                throw new IllegalArgumentException("an affected package names its versions");
            }
        }

        /** Whether this version of the package is affected; false for a version not semver. */
        public boolean affects(String version) {
            if (versions.contains(version)) {
                return true;
            }
            Semver v = Semver.parse(version);
            return v != null && ranges.stream().anyMatch(r -> r.contains(v));
        }

        /** The affected versions in npm's range syntax (what npm's audit reads). */
        public String npmRange() {
            List<String> parts = new ArrayList<>();
            if (!ranges.isEmpty()) {
                parts.add(NpmRanges.render(ranges));
            }
            parts.addAll(versions);
            return String.join(" || ", parts);
        }
    }

    /**
     * A link about the record.
     *
     * @param type OSV's reference type (ADVISORY, ARTICLE, REPORT, FIX, PACKAGE, WEB...)
     * @param url where it is
     */
    public record Reference(String type, String url) {}

    public OsvRecord {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not an OSV id Warden gives: " + id);
        }
        if (summary == null || summary.isBlank() || summary.length() > MAX_SUMMARY) {
            throw new IllegalArgumentException("a summary is one line of 1 to 200 characters");
        }
        if (details != null && details.length() > MAX_DETAILS) {
            throw new IllegalArgumentException("details are at most 64 KiB");
        }
        if (affected == null || affected.isEmpty()) {
            throw new IllegalArgumentException("a record affects at least one package");
        }
        published = published.truncatedTo(ChronoUnit.SECONDS);
        modified = modified.truncatedTo(ChronoUnit.SECONDS);
        withdrawn = withdrawn == null ? null : withdrawn.truncatedTo(ChronoUnit.SECONDS);
        affected = List.copyOf(affected);
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        references = references == null ? List.of() : List.copyOf(references);
    }

    /** Whether this record affects that version of that package. */
    public boolean affects(String name, String version) {
        return affected.stream().anyMatch(a -> a.name().equals(name) && a.affects(version));
    }

    /** The record as OSV JSON. */
    public ObjectNode toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("schema_version", SCHEMA_VERSION);
        o.put("id", id);
        o.put("modified", modified.toString());
        o.put("published", published.toString());
        if (withdrawn != null) {
            o.put("withdrawn", withdrawn.toString());
        }
        ArrayNode al = o.putArray("aliases");
        aliases.forEach(al::add);
        o.put("summary", summary);
        if (details != null) {
            o.put("details", details);
        }
        ArrayNode af = o.putArray("affected");
        for (Affected a : affected) {
            ObjectNode entry = af.addObject();
            ObjectNode pkg = entry.putObject("package");
            pkg.put("ecosystem", "npm");
            pkg.put("name", a.name());
            pkg.put("purl", purl(a.name()));
            if (!a.ranges().isEmpty()) {
                // One range per interval: OSV forbids fixed and last_affected in one range's
                // events.
                ArrayNode ranges = entry.putArray("ranges");
                for (AffectedRange r : a.ranges()) {
                    ObjectNode range = ranges.addObject();
                    range.put("type", "SEMVER");
                    ArrayNode events = range.putArray("events");
                    events.addObject().put("introduced", r.introduced());
                    if (r.fixed() != null) {
                        events.addObject().put("fixed", r.fixed());
                    } else if (r.lastAffected() != null) {
                        events.addObject().put("last_affected", r.lastAffected());
                    }
                }
            }
            if (!a.versions().isEmpty()) {
                ArrayNode vs = entry.putArray("versions");
                a.versions().forEach(vs::add);
            }
            entry.putObject("database_specific").put("npm_range", a.npmRange());
        }
        if (!references.isEmpty()) {
            ArrayNode refs = o.putArray("references");
            for (Reference r : references) {
                refs.addObject().put("type", r.type()).put("url", r.url());
            }
        }
        o.putObject("database_specific").put("severity", severity.name());
        return o;
    }

    /** The record as the bytes served. */
    public byte[] toBytes() {
        try {
            return JSON.writeValueAsBytes(toJson());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a record Warden stored; the intervals come back from {@code database_specific}'s npm
     * range, the one place that holds them whole.
     */
    public static OsvRecord fromBytes(byte[] json) {
        JsonNode o;
        try {
            o = JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Affected> affected = new ArrayList<>();
        for (JsonNode a : o.path("affected")) {
            List<String> versions = new ArrayList<>();
            a.path("versions").forEach(v -> versions.add(v.asText()));
            String range = a.path("database_specific").path("npm_range").asText("");
            List<String> intervals = new ArrayList<>();
            for (String part : range.split("\\|\\|")) {
                if (!part.isBlank() && !versions.contains(part.strip())) {
                    intervals.add(part.strip());
                }
            }
            affected.add(
                    new Affected(
                            a.path("package").path("name").asText(),
                            intervals.isEmpty()
                                    ? List.of()
                                    : NpmRanges.parse(String.join(" || ", intervals)),
                            versions));
        }
        List<String> aliases = new ArrayList<>();
        o.path("aliases").forEach(a -> aliases.add(a.asText()));
        List<Reference> refs = new ArrayList<>();
        o.path("references")
                .forEach(
                        r ->
                                refs.add(
                                        new Reference(
                                                r.path("type").asText(), r.path("url").asText())));
        return new OsvRecord(
                o.path("id").asText(),
                Instant.parse(o.path("published").asText()),
                Instant.parse(o.path("modified").asText()),
                o.hasNonNull("withdrawn") ? Instant.parse(o.path("withdrawn").asText()) : null,
                o.path("summary").asText(),
                o.hasNonNull("details") ? o.path("details").asText() : null,
                AdvisorySeverity.parse(o.path("database_specific").path("severity").asText()),
                affected,
                aliases,
                refs);
    }

    /** The package URL (purl spec: the scope's {@code @} is percent-encoded). */
    static String purl(String name) {
        if (name.startsWith("@") && name.indexOf('/') > 0) {
            int slash = name.indexOf('/');
            return "pkg:npm/"
                    + URLEncoder.encode(name.substring(0, slash), StandardCharsets.UTF_8)
                    + "/"
                    + name.substring(slash + 1);
        }
        return "pkg:npm/" + name;
    }
}
