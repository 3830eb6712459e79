package dev.warden.awareness;

import dev.warden.accounts.Mailer;
import dev.warden.accounts.Principal;
import dev.warden.accounts.SecurityLog;
import dev.warden.common.Problem;
import dev.warden.storage.MalwareReports.Hold;
import dev.warden.storage.MalwareReports.Report;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.MetadataStore.ReadTx;
import dev.warden.storage.MetadataStore.WriteTx;
import dev.warden.storage.Users.UserRecord;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Malware reports: anyone signed in reports a version (or a whole package); administrators and
 * trusted reporters triage. Each step is one transaction that also records its transparency log
 * statement, then the registry serves the changed quarantine and the maintainers and reporters are
 * told.
 *
 * <ol>
 *   <li>{@link #report}: checked input, the package readable by the reporter, the address's and the
 *       account's limits; a repeated report by the same account returns the first one. When the
 *       version's open reports come from enough distinct trusted reporters ({@link Triage}), the
 *       version (every version, for a whole-package report) is withheld at once.
 *   <li>{@link #decide}: a decision applies to every open report of the same version. Confirmed: a
 *       {@code MAL-} OSV record (critical) of the versions, which stay (or become) withheld.
 *       Dismissed: the holds those reports caused are lifted (never a confirmed one; the release
 *       review's quarantines are stages, which reports never touch).
 * </ol>
 *
 * <p>The public log names no reporter (a malicious publisher reads it too): received and
 * quarantined statements carry the report id and the count; decisions name the triager.
 */
public final class Reports {

    /** A report as filed: new, or the reporter's earlier one of the same version. */
    public record Filed(Report report, boolean duplicate, boolean quarantined) {}

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    private final MetadataStore store;
    private final ReportedPackages packages;
    private final ReportSettings settings;
    private final ReportThrottle throttle;
    private final ReportNotices notices;
    private final Clock clock;
    private final String publicUrl;

    public Reports(
            MetadataStore store,
            ReportedPackages packages,
            ReportSettings settings,
            Mailer mailer,
            SecurityLog history,
            Clock clock,
            String publicUrl) {
        this.store = store;
        this.packages = packages;
        this.settings = settings;
        this.throttle = new ReportThrottle(settings, clock);
        this.notices = new ReportNotices(store, mailer, history, publicUrl);
        this.clock = clock;
        this.publicUrl = publicUrl;
    }

    /** Files a report of {@code pkg@version} ({@code version} null or empty: the package). */
    public Filed report(
            Principal who, InetAddress from, String pkg, String version, String reason) {
        String user = person(who);
        String name = ReportInput.pkg(pkg);
        String v = ReportInput.version(version);
        String text = ReportInput.reason(reason);
        packages.requireReadable(name, who);
        throttle.fromAddress(from);
        ReportedPackages.Statements statements = packages.statements();
        Instant now = clock.instant();
        List<String> held = new ArrayList<>();
        Filed filed =
                store.write(
                        tx -> {
                            requireExists(tx, name, v);
                            var earlier = tx.malwareReports().byReporter(name, v, user);
                            if (earlier.isPresent()) {
                                return new Filed(earlier.get(), true, false);
                            }
                            throttle.fromAccount(tx, user);
                            Report r =
                                    new Report(
                                            newId(), name, v, user, text, now, "open", null, null,
                                            null, null);
                            tx.malwareReports().add(r);
                            List<Report> open = tx.malwareReports().open(name, v);
                            Map<String, Object> detail = new LinkedHashMap<>();
                            detail.put("report", r.id());
                            detail.put("openReports", open.size());
                            statements.record(
                                    tx, "report.received", name, orNull(v), "warden", now, detail);
                            if (Triage.quarantines(open, settings)) {
                                held.addAll(hold(tx, name, v, now, statements, open));
                            }
                            return new Filed(r, false, !held.isEmpty());
                        });
        if (filed.duplicate()) {
            return filed;
        }
        statements.log();
        List<String> maintainers = store.read(tx -> packages.maintainers(tx, name));
        notices.received(filed.report(), maintainers);
        if (!held.isEmpty()) {
            packages.withheldChanged(name, held);
            notices.quarantined(
                    name,
                    v,
                    held,
                    maintainers,
                    store.read(tx -> reporters(tx.malwareReports().open(name, v))));
        }
        return filed;
    }

    /**
     * Open (or decided) reports for triage, oldest first; not those about the triager's packages.
     */
    public List<Report> list(Principal who, String state, String pkg) {
        String user = person(who);
        String s = state == null || state.isEmpty() ? "open" : state.toLowerCase(Locale.ROOT);
        if (!Set.of("open", "confirmed", "dismissed").contains(s)) {
            throw Problem.badRequest(
                    "state must be open, confirmed or dismissed, not '"
                            + Problem.clip(state)
                            + "'");
        }
        String name = pkg == null || pkg.isEmpty() ? null : ReportInput.pkg(pkg);
        return store.read(
                tx -> {
                    if (!Triage.triager(user, admin(tx, user), settings)) {
                        throw Problem.forbidden(
                                "only administrators and trusted reporters triage malware"
                                        + " reports");
                    }
                    return tx.malwareReports().list(s, name, 500).stream()
                            .filter(r -> !packages.mayMaintain(tx, r.pkg(), user))
                            .toList();
                });
    }

    /**
     * One report, for its reporter and for triagers who do not maintain its package; 404 for anyone
     * else, as for an id that does not exist.
     */
    public Report get(Principal who, String id) {
        String user = person(who);
        return store.read(
                tx -> {
                    Report r = find(tx, id);
                    boolean reader =
                            r.reporter().equals(user)
                                    || (Triage.triager(user, admin(tx, user), settings)
                                            && !packages.mayMaintain(tx, r.pkg(), user));
                    if (!reader) {
                        throw noSuchReport();
                    }
                    return r;
                });
    }

    /**
     * Decides report {@code id} and every other open report of the same version: {@code confirmed}
     * or {@code dismissed}, with a note. A confirmation may name the versions affected (default:
     * the version reported, or every version for a whole-package report).
     */
    public Report decide(
            Principal who, String id, String decision, String note, List<String> versions) {
        String user = person(who);
        if (!who.canWrite()) {
            throw Problem.forbidden("this token is read-only: triage needs a read-write one");
        }
        String state = decision == null ? "" : decision.strip().toLowerCase(Locale.ROOT);
        if (!state.equals("confirmed") && !state.equals("dismissed")) {
            throw Problem.badRequest(
                    "decision must be confirmed or dismissed, not '"
                            + Problem.clip(String.valueOf(decision))
                            + "'");
        }
        String text = ReportInput.note(note);
        ReportedPackages.Statements statements = packages.statements();
        Instant now = clock.instant();
        record Outcome(Report report, List<Report> decided, List<String> versions, String osv) {}
        Outcome o =
                store.write(
                        tx -> {
                            Report r = find(tx, id);
                            boolean triager = Triage.triager(user, admin(tx, user), settings);
                            if (!triager && !r.reporter().equals(user)) {
                                throw noSuchReport();
                            }
                            if (!"open".equals(r.state())) {
                                throw Problem.conflict(
                                        "report " + r.id() + " is already " + r.state());
                            }
                            List<Report> open = tx.malwareReports().open(r.pkg(), r.version());
                            Triage.refusal(
                                            user,
                                            admin(tx, user),
                                            packages.mayMaintain(tx, r.pkg(), user),
                                            open,
                                            settings)
                                    .ifPresent(
                                            p -> {
                                                throw p;
                                            });
                            List<String> affected;
                            String osv = null;
                            if (state.equals("confirmed")) {
                                affected = affected(tx, r, versions);
                                osv =
                                        Malware.publish(
                                                tx,
                                                r.pkg(),
                                                r.version(),
                                                affected,
                                                text,
                                                open.size(),
                                                now);
                                for (String v : affected) {
                                    tx.malwareReports()
                                            .hold(
                                                    new Hold(
                                                            r.pkg(),
                                                            v,
                                                            r.version(),
                                                            Malware.message(
                                                                    r.pkg(), v, osv, publicUrl),
                                                            now,
                                                            true));
                                }
                            } else {
                                if (versions != null && !versions.isEmpty()) {
                                    throw Problem.badRequest(
                                            "versions are named only when confirming");
                                }
                                affected = tx.malwareReports().lift(r.pkg(), r.version());
                            }
                            for (Report each : open) {
                                tx.malwareReports().decide(each.id(), state, user, text, now, osv);
                            }
                            Map<String, Object> detail = new LinkedHashMap<>();
                            detail.put("reports", open.stream().map(Report::id).toList());
                            detail.put("versions", affected);
                            if (osv != null) {
                                detail.put("osv", osv);
                            }
                            statements.record(
                                    tx,
                                    "report." + state,
                                    r.pkg(),
                                    orNull(r.version()),
                                    user,
                                    now,
                                    detail);
                            return new Outcome(
                                    tx.malwareReports().find(id).orElseThrow(),
                                    open,
                                    affected,
                                    osv);
                        });
        statements.log();
        if (!o.versions().isEmpty()) {
            packages.withheldChanged(o.report().pkg(), o.versions());
        }
        notices.decided(
                o.report().pkg(),
                o.report().version(),
                state,
                text,
                o.osv(),
                o.versions(),
                store.read(tx -> packages.maintainers(tx, o.report().pkg())),
                reporters(o.decided()));
        return o.report();
    }

    // ---------------------------------------------------------------- helpers

    /** Withholds what the reports of {@code version} cover that is not withheld yet. */
    private List<String> hold(
            WriteTx tx,
            String pkg,
            String version,
            Instant now,
            ReportedPackages.Statements statements,
            List<Report> open) {
        List<String> targets = version.isEmpty() ? packages.versions(tx, pkg) : List.of(version);
        List<String> held = new ArrayList<>();
        for (String v : targets) {
            if (tx.malwareReports().hold(pkg, v).isEmpty()) {
                tx.malwareReports()
                        .hold(
                                new Hold(
                                        pkg,
                                        v,
                                        version,
                                        Malware.pending(
                                                pkg, v, Triage.trustedReporters(open, settings)),
                                        now,
                                        false));
                held.add(v);
            }
        }
        if (!held.isEmpty()) {
            statements.record(
                    tx,
                    "report.quarantined",
                    pkg,
                    orNull(version),
                    "warden",
                    now,
                    Map.of(
                            "reports",
                            open.stream().map(Report::id).toList(),
                            "trustedReporters",
                            Triage.trustedReporters(open, settings),
                            "versions",
                            held));
        }
        return held;
    }

    /** The versions a confirmation names, each one the package has; 400 naming one it has not. */
    private List<String> affected(ReadTx tx, Report r, List<String> named) {
        List<String> all = packages.versions(tx, r.pkg());
        if (named == null || named.isEmpty()) {
            return r.version().isEmpty() ? all : List.of(r.version());
        }
        if (named.size() > 1000) {
            throw Problem.badRequest("name at most 1000 versions");
        }
        Set<String> out = new LinkedHashSet<>();
        for (String v : named) {
            if (!all.contains(v)) {
                throw Problem.badRequest(
                        r.pkg() + " has no version '" + Problem.clip(String.valueOf(v)) + "'");
            }
            out.add(v);
        }
        return List.copyOf(out);
    }

    private void requireExists(ReadTx tx, String pkg, String version) {
        List<String> versions = packages.versions(tx, pkg);
        if (versions.isEmpty()) {
            throw Problem.notFound("there is no package named " + pkg);
        }
        if (!version.isEmpty() && !versions.contains(version)) {
            throw Problem.notFound(pkg + " has no version " + version);
        }
    }

    private static Report find(ReadTx tx, String id) {
        if (id == null || !ReportInput.ID.matcher(id).matches()) {
            throw noSuchReport();
        }
        return tx.malwareReports().find(id).orElseThrow(Reports::noSuchReport);
    }

    private static Problem noSuchReport() {
        return Problem.notFound("no report with this id");
    }

    private static boolean admin(ReadTx tx, String user) {
        return tx.users().find(user).map(UserRecord::admin).orElse(false);
    }

    private static List<String> reporters(List<Report> reports) {
        return reports.stream().map(Report::reporter).distinct().toList();
    }

    /** The person acting: a CI job's token reports nothing. */
    private static String person(Principal who) {
        if (who == null) {
            throw Problem.unauthorized("sign in to report malware");
        }
        if (who.publisher() != null) {
            throw Problem.forbidden("a CI job's publish token cannot report or triage malware");
        }
        return who.user();
    }

    private static String orNull(String version) {
        return version.isEmpty() ? null : version;
    }

    private static String newId() {
        byte[] b = new byte[17];
        RANDOM.nextBytes(b);
        StringBuilder s = new StringBuilder("rpt-");
        long bits = 0;
        int have = 0;
        int i = 0;
        while (s.length() < 4 + 26) {
            if (have < 5) {
                bits = (bits << 8) | (b[i++] & 0xff);
                have += 8;
            }
            s.append(BASE32[(int) (bits >>> (have - 5)) & 31]);
            have -= 5;
        }
        return s.toString();
    }
}
