package dev.warden.awareness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

class AuditQueryTest {

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aBulkRequestIsPackagesAndTheirVersions() {
        AuditQuery q =
                AuditQuery.bulk(b("{\"a\":[\"1.0.0\",\"2.0.0\"],\"@s/b\":[],\"a\":[\"3.0.0\"]}"));
        assertThat(q.versions())
                .isEqualTo(Map.of("a", Set.of("1.0.0", "2.0.0", "3.0.0"), "@s/b", Set.of()));
        assertThat(q.dependencies()).isEqualTo(3);
    }

    @Test
    void aQuickAuditTreeGivesItsPackagesAndThePathsOfWhatIsWanted() {
        byte[] tree =
                b(
                        "{\"name\":\"app\",\"version\":\"1.0.0\",\"install\":[],\"requires\":{\"a\":\"^1\"},"
                            + "\"dependencies\":{\"a\":{\"version\":\"1.0.0\",\"requires\":{\"b\":\"1\"},"
                            + "\"dependencies\":{\"b\":{\"version\":\"1.1.0\",\"dev\":true}}},"
                            + "\"b\":{\"dev\":true,\"version\":\"1.1.0\",\"integrity\":\"sha512-x\"}}}");
        AuditQuery q = AuditQuery.tree(tree);
        assertThat(q.versions()).isEqualTo(Map.of("a", Set.of("1.0.0"), "b", Set.of("1.1.0")));
        assertThat(q.dependencies()).isEqualTo(3);
        assertThat(q.devDependencies()).isEqualTo(2);
        assertThat(AuditQuery.paths(tree, (n, v) -> n.equals("b")))
                .isEqualTo(Map.of("b@1.1.0", List.of("a>b", "b")));
    }

    @Test
    void malformedBodiesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> AuditQuery.bulk(b("{\"a\":\"1.0.0\"}")))
                .hasMessage("each package must map to a list of versions");
        assertThatThrownBy(() -> AuditQuery.bulk(b("{\"a\":[1]}")))
                .hasMessage("each package must map to a list of version strings");
        assertThatThrownBy(() -> AuditQuery.tree(b("{\"dependencies\":{\"a\":{\"version\":[]}}}")))
                .hasMessage("the version of 'a' must be a string");
        String deep = "{\"dependencies\":{\"a\":".repeat(258) + "{}" + "}}".repeat(258);
        assertThatThrownBy(() -> AuditQuery.tree(b(deep)))
                .hasMessage("the dependency tree is deeper than 256 levels");
        String fine =
                "{\"dependencies\":{\"a\":".repeat(200)
                        + "{\"version\":\"1.0.0\"}"
                        + "}}".repeat(200);
        assertThat(AuditQuery.tree(b(fine)).dependencies()).isEqualTo(1);
    }
}
