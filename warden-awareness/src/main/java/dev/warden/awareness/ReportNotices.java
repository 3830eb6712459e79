package dev.warden.awareness;

import dev.warden.accounts.Mailer;
import dev.warden.accounts.SecurityLog;
import dev.warden.storage.MalwareReports;
import dev.warden.storage.MalwareReports.Report;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.Users.UserRecord;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who hears of each step of a report: the package's maintainers (a mail and an entry in their
 * security history) and the reporters (a mail). Mails are plain text; what a reporter wrote is
 * quoted as it is, never as markup. Maintainers are not told who reported, so that a malicious
 * publisher cannot retaliate or tell which of its accounts were noticed.
 */
final class ReportNotices {

    private final MetadataStore store;
    private final Mailer mailer;
    private final SecurityLog history;
    private final String publicUrl;

    ReportNotices(MetadataStore store, Mailer mailer, SecurityLog history, String publicUrl) {
        this.store = store;
        this.mailer = mailer;
        this.history = history;
        this.publicUrl = publicUrl;
    }

    static String target(String pkg, String version) {
        return MalwareReports.WHOLE_PACKAGE.equals(version) ? pkg : pkg + "@" + version;
    }

    void received(Report r, List<String> maintainers) {
        String what = target(r.pkg(), r.version());
        mail(
                r.reporter(),
                "Warden: your malware report of " + what + " was received",
                "Your report "
                        + r.id()
                        + " of "
                        + what
                        + " was received. Administrators and trusted reporters will triage it;"
                        + " you will hear when it is decided.\n");
        maintainers(
                maintainers,
                "package.reported",
                r,
                "Warden: " + what + " was reported as malware",
                what
                        + ", a package you maintain, was reported as malware (report "
                        + r.id()
                        + "). Administrators and trusted reporters will triage it. The reporter"
                        + " wrote:\n\n"
                        + quote(r.reason())
                        + "\n\nIf your account or a token was used by someone else, revoke your"
                        + " tokens and change your password now: "
                        + publicUrl
                        + "/-/web/account\n");
    }

    void quarantined(
            String pkg,
            String version,
            List<String> held,
            List<String> maintainers,
            Collection<String> reporters) {
        String what = target(pkg, version);
        String text =
                what
                        + " was reported as malware by trusted reporters and is quarantined,"
                        + " pending review: nobody can install "
                        + String.join(", ", held)
                        + " until triage decides.\n";
        maintainers(
                maintainers,
                "package.quarantined",
                Map.of("package", pkg, "versions", held),
                "Warden: " + what + " is quarantined after malware reports",
                text);
        reporters.forEach(u -> mail(u, "Warden: " + what + " is quarantined", text));
    }

    void decided(
            String pkg,
            String version,
            String state,
            String note,
            String osvId,
            List<String> versions,
            List<String> maintainers,
            Collection<String> reporters) {
        String what = target(pkg, version);
        String outcome =
                "confirmed".equals(state)
                        ? "confirmed as malware: "
                                + String.join(", ", versions)
                                + " stay quarantined and are published as "
                                + osvId
                                + " ("
                                + publicUrl
                                + "/-/osv/"
                                + osvId
                                + ")"
                        : "dismissed"
                                + (versions.isEmpty()
                                        ? ""
                                        : ": "
                                                + String.join(", ", versions)
                                                + " can be installed again");
        String text =
                "The malware reports of "
                        + what
                        + " were "
                        + outcome
                        + ".\n\nNote:\n\n"
                        + quote(note)
                        + "\n";
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("package", pkg);
        detail.put("state", state);
        detail.put("versions", versions);
        if (osvId != null) {
            detail.put("osv", osvId);
        }
        maintainers(
                maintainers,
                "confirmed".equals(state)
                        ? "package.malware-confirmed"
                        : "package.report-dismissed",
                detail,
                "Warden: the malware reports of " + what + " were " + state,
                text);
        reporters.forEach(u -> mail(u, "Warden: your report of " + what + " was " + state, text));
    }

    private void maintainers(
            List<String> maintainers, String kind, Report r, String subject, String text) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("package", r.pkg());
        if (!r.version().isEmpty()) {
            detail.put("version", r.version());
        }
        detail.put("report", r.id());
        maintainers(maintainers, kind, detail, subject, text);
    }

    private void maintainers(
            List<String> maintainers,
            String kind,
            Map<String, ?> detail,
            String subject,
            String text) {
        for (String m : maintainers) {
            history.record(m, kind, null, detail);
            mail(m, subject, text);
        }
    }

    private void mail(String user, String subject, String text) {
        store.read(tx -> tx.users().find(user))
                .map(UserRecord::email)
                .ifPresent(to -> mailer.send(user, to, subject, text));
    }

    /** Each line indented: the reporter's words, set apart from the registry's. */
    private static String quote(String text) {
        return "    " + text.replace("\r", "").replace("\n", "\n    ");
    }
}
