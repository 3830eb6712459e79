package dev.warden.awareness;

import dev.warden.common.Problem;
import dev.warden.storage.MalwareReports.Report;

import java.util.List;
import java.util.Optional;

/**
 * The rules of triage, pure: who may decide reports, and when reports quarantine a version.
 *
 * <p>Only trusted reporters' reports count towards a quarantine, each account once, since the
 * operator names them in the configuration: an ordinary account (or a thousand of them) cannot take
 * a version off the registry. Administrators and trusted reporters decide reports, never about a
 * package they maintain (its publisher would clear its own malware) nor reports they made
 * themselves (one person would then make a MAL record alone).
 */
final class Triage {

    private Triage() {}

    /** Whether the open reports of one version make it quarantined. */
    static boolean quarantines(List<Report> open, ReportSettings settings) {
        return trustedReporters(open, settings) >= settings.quarantineAfterReports();
    }

    /** How many distinct trusted reporters made these reports. */
    static long trustedReporters(List<Report> reports, ReportSettings settings) {
        return reports.stream().map(Report::reporter).filter(settings::trusted).distinct().count();
    }

    /** Whether {@code user} triages at all: an administrator or a trusted reporter. */
    static boolean triager(String user, boolean admin, ReportSettings settings) {
        return admin || settings.trusted(user);
    }

    /**
     * Why {@code user} may not decide the open reports of a version, if they may not.
     *
     * @param maintains whether the user maintains the reported package
     * @param open the version's open reports, one of which is being decided
     */
    static Optional<Problem> refusal(
            String user,
            boolean admin,
            boolean maintains,
            List<Report> open,
            ReportSettings settings) {
        if (!triager(user, admin, settings)) {
            return Optional.of(
                    Problem.forbidden(
                            "only administrators and trusted reporters triage malware reports"));
        }
        if (maintains) {
            return Optional.of(
                    Problem.forbidden(
                            "you maintain "
                                    + open.get(0).pkg()
                                    + ": reports about your own package are decided by another"
                                    + " triager"));
        }
        if (open.stream().anyMatch(r -> r.reporter().equals(user))) {
            return Optional.of(
                    Problem.forbidden(
                            "you reported this version yourself: another triager decides"));
        }
        return Optional.empty();
    }
}
