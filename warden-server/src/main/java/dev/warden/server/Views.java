package dev.warden.server;

import java.util.List;

/**
 * What each web page shows, as its template ({@code src/main/jte}) takes it: plain values the
 * handlers gather, rendered and escaped by the template alone. A {@code csrf} is the page's CSRF
 * token; an {@code error} (or null) is why the form is shown again.
 */
final class Views {

    private Views() {}

    record Message(String title, String text, boolean error) {}

    record Signin(String csrf, String error, boolean passkeys) {}

    /**
     * @param signinLink where a visitor who already has an account signs in instead, or null
     */
    record Signup(String action, String csrf, String error, String signinLink) {}

    record Login(
            String pageId,
            String client,
            String created,
            String csrf,
            String error,
            boolean passkeys) {}

    record Otp(
            String pageId,
            String user,
            String operation,
            String created,
            String csrf,
            String error,
            boolean passkeys) {}

    /**
     * @param path the package's name as one path segment
     * @param provenance null when its dist-tags cannot be read (no section then)
     * @param pending what waits for approval, for a maintainer; else null
     * @param signedOut whether to ask the visitor to sign in
     * @param reviewThresholds the package's own release-review thresholds ("hold at medium"), or
     *     "none"
     */
    record Package(
            String name,
            String path,
            long weeklyDownloads,
            int dependents,
            boolean highImpact,
            String framework,
            int approvals,
            int coolOffHours,
            int policyVersion,
            Provenance provenance,
            List<String> maintainers,
            List<String> successors,
            List<Notice> notices,
            Pending pending,
            boolean signedOut,
            String csrf,
            String reviewThresholds,
            PostureView posture) {

        /** A page without the posture (those who may not change the package, tests). */
        Package(
                String name,
                String path,
                long weeklyDownloads,
                int dependents,
                boolean highImpact,
                String framework,
                int approvals,
                int coolOffHours,
                int policyVersion,
                Provenance provenance,
                List<String> maintainers,
                List<String> successors,
                List<Notice> notices,
                Pending pending,
                boolean signedOut,
                String csrf,
                String reviewThresholds) {
            this(
                    name,
                    path,
                    weeklyDownloads,
                    dependents,
                    highImpact,
                    framework,
                    approvals,
                    coolOffHours,
                    policyVersion,
                    provenance,
                    maintainers,
                    successors,
                    notices,
                    pending,
                    signedOut,
                    csrf,
                    reviewThresholds,
                    null);
        }

        /** A page that names no review thresholds of the package's own and no posture. */
        Package(
                String name,
                String path,
                long weeklyDownloads,
                int dependents,
                boolean highImpact,
                String framework,
                int approvals,
                int coolOffHours,
                int policyVersion,
                Provenance provenance,
                List<String> maintainers,
                List<String> successors,
                List<Notice> notices,
                Pending pending,
                boolean signedOut,
                String csrf) {
            this(
                    name,
                    path,
                    weeklyDownloads,
                    dependents,
                    highImpact,
                    framework,
                    approvals,
                    coolOffHours,
                    policyVersion,
                    provenance,
                    maintainers,
                    successors,
                    notices,
                    pending,
                    signedOut,
                    csrf,
                    "none",
                    null);
        }
    }

    /**
     * A security posture as the account and package pages show it.
     *
     * @param secondFactor the account's strongest second factor, or null on a package's page
     * @param maintainers "name: second factor" of a package's maintainers (empty for an account)
     * @param packages the account's packages, summarised (empty for a package)
     */
    record PostureView(
            int score,
            String secondFactor,
            List<PostureStep> steps,
            List<String> maintainers,
            List<PostureSummary> packages) {}

    /**
     * @param fix a command that fixes it, or null
     */
    record PostureStep(
            String id, String importance, String title, String reason, String url, String fix) {}

    record PostureSummary(String name, String path, int score, int important, int recommended) {}

    /**
     * @param latest the latest version, or null when nothing is released
     * @param origin where it was built, or null when it was published without provenance
     */
    record Provenance(String latest, Origin origin) {}

    record Origin(
            String repository,
            String commit,
            String ref,
            String workflow,
            String run,
            String signedAt) {}

    record Notice(String kind, String candidate, String state, String windowEnds) {}

    record Pending(List<Stage> stages, List<ChangeRequest> requests) {}

    record Stage(
            String id,
            String version,
            String actor,
            int approvals,
            int approvalsRequired,
            String reviewAction,
            List<Finding> findings,
            List<ReviewField> review) {}

    /**
     * What the release review found, with where: shown before the diff.
     *
     * @param evidence "file:line [bytes offset+length]" and the excerpt, one entry each
     */
    record Finding(
            String id, String severity, String action, String summary, List<Evidence> evidence) {}

    record Evidence(String where, String excerpt) {}

    record ReviewField(String name, String value) {}

    record ChangeRequest(
            String id,
            String change,
            String payload,
            String requestedBy,
            int approvals,
            int approvalsRequired) {}

    /** The malware report form of a package; {@code csrf} null when signed out. */
    record ReportForm(String name, String path, boolean signedOut, String csrf) {}

    /** A filed report as its reporter sees it: what they wrote is shown as text. */
    record ReportFiled(
            String name,
            String path,
            String id,
            String target,
            String state,
            boolean duplicate,
            boolean quarantined,
            String reason) {}
}
