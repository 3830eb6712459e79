package dev.warden.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

/**
 * What npm's own normalization changes between package.json and the published manifest is not
 * confusion.
 */
class ManifestReconcilerTest {

    static final ObjectMapper JSON = new ObjectMapper();
    final ManifestReconciler reconciler = new ManifestReconciler(JSON);
    final PackageName name = PackageName.parse("@acme/tool");

    private static ObjectNode obj(String json) throws Exception {
        return (ObjectNode) JSON.readTree(json);
    }

    private static TarballInspector.Facts facts(ObjectNode pkg, boolean gyp, boolean server) {
        return new TarballInspector.Facts(pkg, 3, 100, gyp, server, false);
    }

    @Test
    void npmNormalizationsAreNotDifferences() throws Exception {
        ObjectNode tarball =
                obj(
                        """
                        {"name":"@acme/tool","version":"1.0.0","bin":"./bin/cli.js",
                         "scripts":{"build":"node_modules/.bin/tsc","test":"jest"}}\
                        """);
        ObjectNode uploaded =
                obj(
                        """
                        {"name":"@acme/tool","version":"1.0.0","bin":{"tool":"bin/cli.js"},
                         "scripts":{"build":"tsc","test":"jest","install":"node-gyp rebuild","start":"node server.js"}}\
                        """);
        ManifestReconciler.Result r =
                reconciler.reconcile(uploaded, facts(tarball, true, true), name);
        assertThat(r.differences()).isNull();
        assertThat(r.manifest().path("bin").path("tool").asText()).isEqualTo("bin/cli.js");
    }

    @Test
    void hiddenDependencyAndScriptAreRecordedAndServedFromTheTarball() throws Exception {
        ObjectNode tarball =
                obj(
                        """
                        {"name":"@acme/tool","version":"1.0.0","dependencies":{"evil":"1.0.0"},"scripts":{"postinstall":"node x.js"}}\
                        """);
        ObjectNode uploaded =
                obj(
                        """
                        {"name":"@acme/tool","version":"1.0.0","dependencies":{"lodash":"^4"},"description":"kept"}\
                        """);
        ManifestReconciler.Result r =
                reconciler.reconcile(uploaded, facts(tarball, false, false), name);
        JsonNode d = r.differences();
        assertThat(d.path("dependencies").path("manifest").path("lodash").asText()).isEqualTo("^4");
        assertThat(d.path("dependencies").path("tarball").path("evil").asText()).isEqualTo("1.0.0");
        assertThat(d.path("scripts").path("manifest").isNull()).isTrue();
        assertThat(r.manifest().path("dependencies").has("lodash")).isFalse();
        assertThat(r.manifest().path("scripts").path("postinstall").asText())
                .isEqualTo("node x.js");
        assertThat(r.manifest().path("description").asText()).isEqualTo("kept");
    }

    @Test
    void fieldsAbsentFromTheTarballAreNotServed() throws Exception {
        ObjectNode tarball = obj("{\"name\":\"@acme/tool\",\"version\":\"1.0.0\"}");
        ObjectNode uploaded =
                obj(
                        "{\"name\":\"@acme/tool\",\"version\":\"1.0.0\",\"bin\":{\"rm\":\"x.js\"},\"peerDependencies\":{\"a\":\"1\"}}");
        ManifestReconciler.Result r =
                reconciler.reconcile(uploaded, facts(tarball, false, false), name);
        assertThat(r.manifest().has("bin")).isFalse();
        assertThat(r.manifest().has("peerDependencies")).isFalse();
        assertThat(r.differences().has("bin")).isTrue();
    }
}
