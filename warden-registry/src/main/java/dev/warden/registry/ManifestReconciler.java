package dev.warden.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Manifest confusion: the registry is sent a manifest and a tarball, and nothing forces the two to
 * agree. Clients install from the tarball's package.json but resolve dependencies and run scripts
 * from the manifest the registry serves. This class serves the tarball's values for the fields that
 * matter and records where the upload disagreed.
 *
 * <p>The tarball's package.json is first normalized the way npm normalizes it before publishing
 * (bin strings become maps, install and start scripts implied by binding.gyp and server.js, {@code
 * node_modules/.bin/} prefixes dropped), so an honest publish shows no difference.
 */
final class ManifestReconciler {

    /** The fields whose served values come from the tarball. */
    static final List<String> FIELDS =
            List.of("dependencies", "optionalDependencies", "peerDependencies", "scripts", "bin");

    /** The served manifest and, if any, the differences found (a JSON object), else null. */
    record Result(ObjectNode manifest, ObjectNode differences) {}

    private final ObjectMapper json;

    ManifestReconciler(ObjectMapper json) {
        this.json = json;
    }

    Result reconcile(ObjectNode uploaded, TarballInspector.Facts facts, PackageName name) {
        ObjectNode tarball = normalize(facts.packageJson().deepCopy(), facts, name);
        ObjectNode served = uploaded.deepCopy();
        ObjectNode differences = json.createObjectNode();
        for (String field : FIELDS) {
            JsonNode fromUpload = emptyToNull(uploaded.get(field));
            JsonNode fromTarball = emptyToNull(tarball.get(field));
            if (field.equals("bin") && fromUpload != null) {
                fromUpload = normalizeBin(fromUpload, name);
            }
            if (!sameValue(fromUpload, fromTarball)) {
                ObjectNode d = differences.putObject(field);
                d.set("manifest", fromUpload == null ? json.nullNode() : fromUpload);
                d.set("tarball", fromTarball == null ? json.nullNode() : fromTarball);
            }
            if (fromTarball == null) {
                served.remove(field);
            } else {
                served.set(field, fromTarball);
            }
        }
        return new Result(served, differences.isEmpty() ? null : differences);
    }

    private static boolean sameValue(JsonNode a, JsonNode b) {
        return a == null ? b == null : a.equals(b);
    }

    private static JsonNode emptyToNull(JsonNode node) {
        if (node == null || node.isNull() || (node.isContainerNode() && node.isEmpty())) {
            return null;
        }
        return node;
    }

    private ObjectNode normalize(ObjectNode pkg, TarballInspector.Facts facts, PackageName name) {
        JsonNode bin = pkg.get("bin");
        if (bin != null) {
            JsonNode normalized = normalizeBin(bin, name);
            if (normalized == null) {
                pkg.remove("bin");
            } else {
                pkg.set("bin", normalized);
            }
        }
        JsonNode scriptsNode = pkg.get("scripts");
        ObjectNode scripts = scriptsNode instanceof ObjectNode o ? o : json.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = scripts.properties().iterator();
                it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                it.remove();
            } else {
                e.setValue(
                        json.getNodeFactory()
                                .textNode(
                                        e.getValue()
                                                .asText()
                                                .replaceFirst("^(\\./)?node_modules/\\.bin/", "")));
            }
        }
        boolean gypfile = !pkg.path("gypfile").isBoolean() || pkg.path("gypfile").asBoolean();
        if (facts.hasBindingGyp()
                && gypfile
                && !scripts.has("install")
                && !scripts.has("preinstall")) {
            scripts.put("install", "node-gyp rebuild");
        }
        if (facts.hasServerJs() && !scripts.has("start")) {
            scripts.put("start", "node server.js");
        }
        if (scripts.isEmpty()) {
            pkg.remove("scripts");
        } else {
            pkg.set("scripts", scripts);
        }
        return pkg;
    }

    /**
     * npm's bin normalization: a string names the package's own command; paths are made relative
     * and clean.
     */
    private JsonNode normalizeBin(JsonNode bin, PackageName name) {
        ObjectNode out = json.createObjectNode();
        if (bin.isTextual()) {
            String path = cleanPath(bin.asText());
            if (!path.isEmpty()) {
                out.put(name.bare(), path);
            }
        } else if (bin.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = bin.properties().iterator();
                    it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String key = e.getKey().replaceAll(".*[/\\\\]", "");
                String path = e.getValue().isTextual() ? cleanPath(e.getValue().asText()) : "";
                if (!key.isEmpty() && !key.equals(".") && !key.equals("..") && !path.isEmpty()) {
                    out.put(key, path);
                }
            }
        }
        return out.isEmpty() ? null : out;
    }

    private static String cleanPath(String path) {
        Deque<String> parts = new ArrayDeque<>();
        for (String segment : path.replace('\\', '/').split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(segment);
            }
        }
        return String.join("/", parts);
    }
}
