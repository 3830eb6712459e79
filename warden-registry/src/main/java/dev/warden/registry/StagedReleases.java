package dev.warden.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.accounts.Principal;
import dev.warden.governance.GovernancePolicy;
import dev.warden.governance.PackageGovernance;

import java.io.UncheckedIOException;

/**
 * A checked release handed to governance as a stage, and the publish's answer made of the stage
 * governance opened.
 */
final class StagedReleases {

    private StagedReleases() {}

    /**
     * Holds a checked release as a stage, with the release it goes live as once approved (see
     * {@link PackageGovernance#stage}); its publish document is kept without the tarball's bytes.
     */
    static Registry.Published stage(
            PackageGovernance governance,
            ObjectMapper json,
            Release p,
            ObjectNode body,
            Principal principal,
            GovernancePolicy policy,
            int required,
            boolean selfApproval,
            int coolOffHours,
            boolean explicit,
            String holdReason) {
        String pkg = p.name().full();
        ObjectNode document = body.deepCopy();
        JsonNode attachment = document.path("_attachments").path(pkg + "-" + p.version() + ".tgz");
        if (attachment instanceof ObjectNode a) {
            a.remove("data");
        }
        PackageGovernance.Opened stage =
                governance.stage(
                        new PackageGovernance.Candidate(
                                pkg,
                                p.version(),
                                p.tags().isEmpty() ? "latest" : p.tags().keySet().iterator().next(),
                                document,
                                p.blobKey(),
                                p.shasum(),
                                p.integrity(),
                                write(json, p.toJson(json)),
                                "restricted".equals(p.access())),
                        principal,
                        policy,
                        required,
                        selfApproval,
                        coolOffHours,
                        explicit,
                        holdReason);
        return new Registry.Published(
                pkg,
                p.version(),
                p.integrity(),
                p.differences(),
                stage.logIndexes(),
                stage.id(),
                stage.notice());
    }

    private static String write(ObjectMapper json, JsonNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
