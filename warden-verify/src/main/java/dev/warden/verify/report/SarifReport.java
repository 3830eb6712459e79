package dev.warden.verify.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The report for code-scanning tools, in SARIF 2.1.0: one rule per {@link Check} (rule index = its
 * ordinal), one result per FAIL finding (level {@code error}) and per WAIVED finding (level {@code
 * note}, with an external, accepted suppression whose justification is the exception's reason).
 * PASS and INFO findings are not results. Every result points at the lockfile (relative to the base
 * directory when inside it) and names the package as a logical location of kind {@code package};
 * its partial fingerprint is stable per check and {@code name@version}, so a tool can follow an
 * alert from run to run. The run's notices become tool execution notifications.
 */
public final class SarifReport {

    public static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
    public static final String TOOL = "warden verify";

    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SarifReport() {}

    /** With the lockfile made relative to the current directory, and no informationUri. */
    public static String render(Report report, String toolVersion) {
        return render(report, toolVersion, null, Path.of("").toAbsolutePath());
    }

    /**
     * @param informationUri where the tool is documented ({@code tool.driver.informationUri}), or
     *     {@code null} to leave it out
     * @param base the directory artifact URIs are relative to (a code scanner's checkout)
     */
    public static String render(Report report, String toolVersion, URI informationUri, Path base) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("$schema", SCHEMA);
        root.put("version", "2.1.0");
        ObjectNode run = root.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", TOOL);
        if (informationUri != null) {
            driver.put("informationUri", informationUri.toString());
        }
        driver.put("version", toolVersion);
        ArrayNode rules = driver.putArray("rules");
        for (Check check : Check.values()) {
            ObjectNode rule = rules.addObject();
            rule.put("id", check.id());
            rule.putObject("shortDescription").put("text", CheckHelp.summary(check));
            rule.putObject("help").put("text", CheckHelp.help(check));
            rule.putObject("defaultConfiguration").put("level", "error");
        }
        ObjectNode invocation = run.putArray("invocations").addObject();
        invocation.put("executionSuccessful", true);
        invocation.put("endTimeUtc", report.at().toString());
        ArrayNode notifications = invocation.putArray("toolExecutionNotifications");
        for (String notice : report.notices()) {
            notifications.addObject().put("level", "note").putObject("message").put("text", notice);
        }
        String uri = artifactUri(report.lockfile(), base);
        run.putArray("artifacts").addObject().putObject("location").put("uri", uri);
        ArrayNode results = run.putArray("results");
        for (PackageResult r : report.results()) {
            for (Finding f : r.findings()) {
                if (f.status() == Status.FAIL || f.status() == Status.WAIVED) {
                    result(results.addObject(), r, f, uri);
                }
            }
        }
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // a tree of strings and numbers always writes
        }
    }

    private static void result(ObjectNode result, PackageResult r, Finding f, String uri) {
        String spec = r.pkg().spec();
        result.put("ruleId", f.check().id());
        result.put("ruleIndex", f.check().ordinal());
        result.put("level", f.status() == Status.FAIL ? "error" : "note");
        result.putObject("message").put("text", spec + ": " + f.message());
        ObjectNode location = result.putArray("locations").addObject();
        location.putObject("physicalLocation")
                .putObject("artifactLocation")
                .put("uri", uri)
                .put("index", 0);
        location.putArray("logicalLocations")
                .addObject()
                .put("name", spec)
                .put("fullyQualifiedName", spec)
                .put("kind", "package");
        result.putObject("partialFingerprints")
                .put("wardenVerify/v1", fingerprint(f.check().id() + "\n" + spec));
        if (f.status() == Status.WAIVED) {
            ObjectNode suppression = result.putArray("suppressions").addObject();
            suppression.put("kind", "external");
            suppression.put("status", "accepted");
            suppression.put("justification", r.waiver() == null ? "policy exception" : r.waiver());
        }
    }

    /**
     * A relative URI reference when the lockfile is inside {@code base} (or given relative), else a
     * {@code file:} URI.
     */
    static String artifactUri(String lockfile, Path base) {
        Path path;
        try {
            path = Path.of(lockfile);
        } catch (InvalidPathException e) {
            return encode(lockfile);
        }
        if (path.isAbsolute()) {
            Path normalized = path.normalize();
            if (base == null || !normalized.startsWith(base.toAbsolutePath().normalize())) {
                return normalized.toUri().toString();
            }
            path = base.toAbsolutePath().normalize().relativize(normalized);
        }
        return encode(path.normalize().toString().replace('\\', '/'));
    }

    private static String encode(String path) {
        try {
            return new URI(null, null, path, null).toASCIIString();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a path: " + path, e);
        }
    }

    private static String fingerprint(String s) {
        try {
            byte[] d =
                    MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
