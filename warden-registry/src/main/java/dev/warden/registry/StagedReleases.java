package dev.warden.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.accounts.Principal;
import dev.warden.governance.GovernancePolicy;
import dev.warden.governance.PackageGovernance;
import dev.warden.review.Action;

import java.io.UncheckedIOException;
import java.util.Map;

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
            String holdReason,
            String publicUrl) {
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
                                "restricted".equals(p.access()),
                                p.review() == null ? Map.of() : p.review().statement()),
                        principal,
                        policy,
                        required,
                        selfApproval,
                        coolOffHours,
                        explicit,
                        holdReason);
        String notice = stage.notice();
        if (p.review() != null && p.review().action() == Action.QUARANTINE) {
            notice =
                    "warden: "
                            + quarantined(pkg, p.version(), p.review(), stage.id(), publicUrl)
                            + ". It is staged as "
                            + stage.id()
                            + " and installable by no one until approved";
        }
        return new Registry.Published(
                pkg,
                p.version(),
                p.integrity(),
                p.differences(),
                stage.logIndexes(),
                stage.id(),
                notice);
    }

    /**
     * What the publisher, and anyone who asks for a quarantined version, is told: the reasons and
     * the way out.
     */
    static String quarantined(
            String pkg, String version, ReviewVerdict review, String stageId, String publicUrl) {
        return pkg
                + "@"
                + version
                + " is quarantined by release review: "
                + review.reasons()
                + "; a maintainer can release it with npm stage approve "
                + stageId
                + " / appeal at "
                + publicUrl
                + "/-/web/package/"
                + pkg.replace("/", "%2f");
    }

    private static String write(ObjectMapper json, JsonNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
