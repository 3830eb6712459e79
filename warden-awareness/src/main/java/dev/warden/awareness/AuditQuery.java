package dev.warden.awareness;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

import dev.warden.common.Problem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * What an audit asks, read from its body with a streaming parser (bodies reach megabytes; no tree
 * is built). Two shapes: npm's and yarn berry's bulk request ({@code {"name": ["1.0.0", ...]}}),
 * and the dependency tree of npm 6's quick audit that pnpm still sends ({@code {"dependencies":
 * {"name": {"version": "1.0.0", "dev": false, "dependencies": {...}}}}}).
 *
 * @param versions the versions asked per package, in the order first seen
 * @param dependencies how many dependency entries the tree had (the bulk shape: versions asked)
 * @param devDependencies how many of them were development-only
 */
public record AuditQuery(Map<String, Set<String>> versions, int dependencies, int devDependencies) {

    /** Deeper trees than this are refused: no real install nests so deep. */
    static final int MAX_DEPTH = 256;

    /**
     * Jackson's default nesting limit (200) would stop a tree at 100 dependency levels; each level
     * is two JSON levels.
     */
    private static final JsonFactory JSON =
            JsonFactory.builder()
                    .streamReadConstraints(
                            StreamReadConstraints.builder()
                                    .maxNestingDepth(2 * MAX_DEPTH + 8)
                                    .build())
                    .build();

    /** How many paths a finding lists at most (pnpm prints a few and counts the rest). */
    static final int MAX_PATHS = 20;

    /** Reads a bulk request; 400 naming what is wrong with its shape. */
    public static AuditQuery bulk(byte[] body) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        int count = 0;
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw Problem.badRequest(
                        "body must be an object of package names to version lists");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (p.nextToken() != JsonToken.START_ARRAY) {
                    throw Problem.badRequest("each package must map to a list of versions");
                }
                Set<String> versions = out.computeIfAbsent(name, n -> new LinkedHashSet<>());
                while (p.nextToken() == JsonToken.VALUE_STRING) {
                    versions.add(p.getText());
                    count++;
                }
                if (p.currentToken() != JsonToken.END_ARRAY) {
                    throw Problem.badRequest("each package must map to a list of version strings");
                }
            }
            end(p);
        } catch (JsonProcessingException e) {
            throw notJson(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new AuditQuery(out, count, 0);
    }

    /** Reads a quick-audit tree's packages and versions; 400 naming what is wrong otherwise. */
    public static AuditQuery tree(byte[] body) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        int[] counts = new int[2];
        walk(
                body,
                (path, node) -> {
                    out.computeIfAbsent(node.name(), n -> new LinkedHashSet<>())
                            .add(node.version());
                    counts[0]++;
                    if (node.dev()) {
                        counts[1]++;
                    }
                });
        return new AuditQuery(out, counts[0], counts[1]);
    }

    /**
     * The paths ({@code a>b>c}, as npm 6 wrote them) at which each wanted package version occurs in
     * a quick-audit tree, at most {@link #MAX_PATHS} per version: a second pass over the body, made
     * only for what an advisory affects, so paths are never built for the whole tree.
     */
    public static Map<String, List<String>> paths(byte[] body, BiPredicate<String, String> wanted) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        walk(
                body,
                (path, node) -> {
                    if (wanted.test(node.name(), node.version())) {
                        List<String> list =
                                out.computeIfAbsent(
                                        node.name() + "@" + node.version(), k -> new ArrayList<>());
                        if (list.size() < MAX_PATHS) {
                            list.add(String.join(">", path));
                        }
                    }
                });
        return out;
    }

    /** One dependency of the tree. */
    record Node(String name, String version, boolean dev) {}

    private interface Visitor {
        void visit(List<String> path, Node node);
    }

    private static void walk(byte[] body, Visitor visitor) {
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw Problem.badRequest(
                        "body must be an npm audit tree: an object with \"dependencies\"");
            }
            node(p, new ArrayList<>(), visitor);
            end(p);
        } catch (JsonProcessingException e) {
            throw notJson(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one node's object (the parser is on its START_OBJECT); returns its version. */
    private static String node(JsonParser p, List<String> path, Visitor visitor)
            throws IOException {
        if (path.size() > MAX_DEPTH) {
            throw Problem.badRequest("the dependency tree is deeper than " + MAX_DEPTH + " levels");
        }
        String version = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("dependencies")) {
                if (value == JsonToken.VALUE_NULL) {
                    continue;
                }
                if (value != JsonToken.START_OBJECT) {
                    throw Problem.badRequest("\"dependencies\" must be an object of packages");
                }
                dependencies(p, path, visitor);
            } else if (field.equals("version") && value == JsonToken.VALUE_STRING) {
                version = p.getText();
            } else {
                p.skipChildren();
            }
        }
        return version;
    }

    private static void dependencies(JsonParser p, List<String> path, Visitor visitor)
            throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw Problem.badRequest(
                        "dependency '" + Problem.clip(name) + "' must be an object");
            }
            path.add(name);
            // dev comes before or after the children; read the node, then visit it
            Map<String, Object> seen = new LinkedHashMap<>();
            String version = nodeWithDev(p, path, visitor, seen);
            if (version != null) {
                visitor.visit(path, new Node(name, version, Boolean.TRUE.equals(seen.get("dev"))));
            }
            path.remove(path.size() - 1);
        }
    }

    private static String nodeWithDev(
            JsonParser p, List<String> path, Visitor visitor, Map<String, Object> seen)
            throws IOException {
        if (path.size() > MAX_DEPTH) {
            throw Problem.badRequest("the dependency tree is deeper than " + MAX_DEPTH + " levels");
        }
        String version = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "dependencies" -> {
                    if (value == JsonToken.START_OBJECT) {
                        dependencies(p, path, visitor);
                    } else if (value != JsonToken.VALUE_NULL) {
                        throw Problem.badRequest("\"dependencies\" must be an object of packages");
                    }
                }
                case "version" -> {
                    if (value != JsonToken.VALUE_STRING) {
                        throw Problem.badRequest(
                                "the version of '"
                                        + Problem.clip(path.get(path.size() - 1))
                                        + "' must be a string");
                    }
                    version = p.getText();
                }
                case "dev" -> seen.put("dev", value == JsonToken.VALUE_TRUE);
                default -> p.skipChildren();
            }
        }
        return version;
    }

    private static void end(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
            throw Problem.badRequest("body must be a single JSON object");
        }
    }

    private static Problem notJson(JsonProcessingException e) {
        return Problem.badRequest("request body is not valid JSON: " + e.getOriginalMessage());
    }
}
