package dev.warden.storage.sql;

import static dev.warden.storage.sql.SqlColumns.instant;
import static dev.warden.storage.sql.SqlColumns.millis;

import dev.warden.storage.Governance;

import org.jdbi.v3.core.Handle;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@link Governance} over the transaction's handle. */
final class SqlGovernance implements Governance {

    private final Handle h;

    SqlGovernance(Handle h) {
        this.h = h;
    }

    private PolicyRecord policy(ResultSet rs) throws SQLException {
        return new PolicyRecord(
                rs.getString("package"),
                rs.getInt("version"),
                rs.getString("policy"),
                instant(rs, "created"),
                rs.getString("created_by"));
    }

    private StageRecord stage(ResultSet rs) throws SQLException {
        return new StageRecord(
                rs.getString("id"),
                rs.getString("package"),
                rs.getString("version"),
                rs.getString("tag"),
                rs.getString("document"),
                rs.getString("blob_key"),
                rs.getString("shasum"),
                rs.getString("integrity"),
                rs.getString("actor"),
                rs.getString("actor_type"),
                rs.getString("publisher"),
                rs.getInt("required"),
                rs.getInt("self_approval") != 0,
                instant(rs, "cool_off_until"),
                instant(rs, "created"),
                instant(rs, "expires"),
                rs.getString("state"),
                instant(rs, "decided"),
                rs.getString("decided_by"),
                rs.getString("hold_reason"),
                rs.getString("release"));
    }

    @Override
    public Optional<PolicyRecord> policy(String pkg) {
        return h.createQuery(
                        "SELECT * FROM governance_policies WHERE package = ? ORDER BY version DESC"
                                + " LIMIT 1")
                .bind(0, pkg)
                .map((rs, ctx) -> policy(rs))
                .findOne();
    }

    @Override
    public List<PolicyRecord> policies(String pkg) {
        return h.createQuery("SELECT * FROM governance_policies WHERE package = ? ORDER BY version")
                .bind(0, pkg)
                .map((rs, ctx) -> policy(rs))
                .list();
    }

    @Override
    public void addPolicy(PolicyRecord p) {
        h.createUpdate(
                        "INSERT INTO governance_policies (package, version, policy, created,"
                                + " created_by) VALUES (?, ?, ?, ?, ?)")
                .bind(0, p.pkg())
                .bind(1, p.version())
                .bind(2, p.policy())
                .bind(3, millis(p.created()))
                .bind(4, p.createdBy())
                .execute();
    }

    @Override
    public void insertStage(StageRecord s) {
        h.createUpdate(
                        """
                        INSERT INTO stages (id, package, version, tag, document, blob_key, shasum, integrity, actor, actor_type,
                            publisher, required, self_approval, cool_off_until, created, expires, state, hold_reason, release)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)\
                        """)
                .bind(0, s.id())
                .bind(1, s.pkg())
                .bind(2, s.version())
                .bind(3, s.tag())
                .bind(4, s.document())
                .bind(5, s.blobKey())
                .bind(6, s.shasum())
                .bind(7, s.integrity())
                .bind(8, s.actor())
                .bind(9, s.actorType())
                .bind(10, s.publisher())
                .bind(11, s.required())
                .bind(12, s.selfApproval() ? 1 : 0)
                .bind(13, millis(s.coolOffUntil()))
                .bind(14, millis(s.created()))
                .bind(15, millis(s.expires()))
                .bind(16, s.state())
                .bind(17, s.holdReason())
                .bind(18, s.release())
                .execute();
    }

    @Override
    public Optional<StageRecord> stage(String id) {
        return h.createQuery("SELECT * FROM stages WHERE id = ?")
                .bind(0, id)
                .map((rs, ctx) -> stage(rs))
                .findOne();
    }

    private String where(List<String> packages) {
        return packages == null
                ? "state = ?"
                : packages.isEmpty()
                        ? "0 = 1 AND state = ?"
                        : "package IN ("
                                + String.join(
                                        ", ", java.util.Collections.nCopies(packages.size(), "?"))
                                + ") AND state = ?";
    }

    @Override
    public List<StageRecord> stages(List<String> packages, String state, int offset, int limit) {
        var q =
                h.createQuery(
                        "SELECT * FROM stages WHERE "
                                + where(packages)
                                + " ORDER BY created DESC, id LIMIT ? OFFSET ?");
        int i = 0;
        for (String p : packages == null ? List.<String>of() : packages) {
            q.bind(i++, p);
        }
        return q.bind(i, state)
                .bind(i + 1, limit)
                .bind(i + 2, offset)
                .map((rs, ctx) -> stage(rs))
                .list();
    }

    @Override
    public int countStages(List<String> packages, String state) {
        var q = h.createQuery("SELECT COUNT(*) FROM stages WHERE " + where(packages));
        int i = 0;
        for (String p : packages == null ? List.<String>of() : packages) {
            q.bind(i++, p);
        }
        return q.bind(i, state).mapTo(Integer.class).one();
    }

    @Override
    public List<StageRecord> stagesExpiredBy(String state, Instant now) {
        return h.createQuery("SELECT * FROM stages WHERE state = ? AND expires <= ?")
                .bind(0, state)
                .bind(1, millis(now))
                .map((rs, ctx) -> stage(rs))
                .list();
    }

    @Override
    public List<StageRecord> stagesCooledOffBy(String state, Instant now) {
        return h.createQuery(
                        "SELECT * FROM stages WHERE state = ? AND (cool_off_until IS NULL OR"
                                + " cool_off_until <= ?)")
                .bind(0, state)
                .bind(1, millis(now))
                .map((rs, ctx) -> stage(rs))
                .list();
    }

    @Override
    public void decide(String id, String state, Instant at, String by) {
        h.createUpdate("UPDATE stages SET state = ?, decided = ?, decided_by = ? WHERE id = ?")
                .bind(0, state)
                .bind(1, millis(at))
                .bind(2, by)
                .bind(3, id)
                .execute();
    }

    @Override
    public boolean approve(String stageId, String user, Instant at) {
        return h.createUpdate(
                                "INSERT INTO stage_approvals (stage_id, user_name, at) VALUES (?,"
                                        + " ?, ?) ON CONFLICT DO NOTHING")
                        .bind(0, stageId)
                        .bind(1, user)
                        .bind(2, millis(at))
                        .execute()
                > 0;
    }

    @Override
    public void setSuccessors(String pkg, List<String> users, String namedBy, Instant at) {
        h.createUpdate("DELETE FROM successors WHERE package = ?").bind(0, pkg).execute();
        for (String u : users) {
            h.createUpdate(
                            "INSERT INTO successors (package, user_name, named_by, at) VALUES (?,"
                                    + " ?, ?, ?)")
                    .bind(0, pkg)
                    .bind(1, u)
                    .bind(2, namedBy)
                    .bind(3, millis(at))
                    .execute();
        }
    }

    @Override
    public List<String> successors(String pkg) {
        return h.createQuery(
                        "SELECT user_name FROM successors WHERE package = ? ORDER BY at, user_name")
                .bind(0, pkg)
                .mapTo(String.class)
                .list();
    }

    @Override
    public List<String> packagesWithSuccessors() {
        return h.createQuery("SELECT DISTINCT package FROM successors ORDER BY package")
                .mapTo(String.class)
                .list();
    }

    private Notice notice(ResultSet rs) throws SQLException {
        return new Notice(
                rs.getString("id"),
                rs.getString("package"),
                rs.getString("kind"),
                rs.getString("candidate"),
                instant(rs, "posted"),
                instant(rs, "window_ends"),
                rs.getString("state"),
                instant(rs, "decided"),
                rs.getString("decided_by"));
    }

    @Override
    public void insertNotice(Notice n) {
        h.createUpdate(
                        """
                        INSERT INTO succession_notices (id, package, kind, candidate, posted, window_ends, state)
                        VALUES (?, ?, ?, ?, ?, ?, ?)\
                        """)
                .bind(0, n.id())
                .bind(1, n.pkg())
                .bind(2, n.kind())
                .bind(3, n.candidate())
                .bind(4, millis(n.posted()))
                .bind(5, millis(n.windowEnds()))
                .bind(6, n.state())
                .execute();
    }

    @Override
    public Optional<Notice> notice(String id) {
        return h.createQuery("SELECT * FROM succession_notices WHERE id = ?")
                .bind(0, id)
                .map((rs, ctx) -> notice(rs))
                .findOne();
    }

    @Override
    public List<Notice> notices(String pkg, List<String> states) {
        String in = String.join(", ", java.util.Collections.nCopies(states.size(), "?"));
        var q =
                h.createQuery(
                        "SELECT * FROM succession_notices WHERE state IN ("
                                + in
                                + ")"
                                + (pkg == null ? "" : " AND package = ?")
                                + " ORDER BY posted, id");
        int i = 0;
        for (String st : states) {
            q.bind(i++, st);
        }
        if (pkg != null) {
            q.bind(i, pkg);
        }
        return q.map((rs, ctx) -> notice(rs)).list();
    }

    @Override
    public void decideNotice(String id, String state, Instant at, String by) {
        h.createUpdate(
                        "UPDATE succession_notices SET state = ?, decided = ?, decided_by = ? WHERE"
                                + " id = ?")
                .bind(0, state)
                .bind(1, millis(at))
                .bind(2, by)
                .bind(3, id)
                .execute();
    }

    private ChangeRequest request(ResultSet rs) throws SQLException {
        return new ChangeRequest(
                rs.getString("id"),
                rs.getString("package"),
                rs.getString("kind"),
                rs.getString("payload"),
                rs.getString("actor"),
                rs.getInt("required"),
                instant(rs, "created"),
                instant(rs, "expires"),
                rs.getString("state"),
                instant(rs, "decided"),
                rs.getString("decided_by"));
    }

    @Override
    public void insertRequest(ChangeRequest r) {
        h.createUpdate(
                        """
                        INSERT INTO change_requests (id, package, kind, payload, actor, required, created, expires, state)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)\
                        """)
                .bind(0, r.id())
                .bind(1, r.pkg())
                .bind(2, r.kind())
                .bind(3, r.payload())
                .bind(4, r.actor())
                .bind(5, r.required())
                .bind(6, millis(r.created()))
                .bind(7, millis(r.expires()))
                .bind(8, r.state())
                .execute();
    }

    @Override
    public Optional<ChangeRequest> request(String id) {
        return h.createQuery("SELECT * FROM change_requests WHERE id = ?")
                .bind(0, id)
                .map((rs, ctx) -> request(rs))
                .findOne();
    }

    @Override
    public List<ChangeRequest> requests(List<String> packages, String state) {
        var q =
                h.createQuery(
                        "SELECT * FROM change_requests WHERE "
                                + where(packages)
                                + " ORDER BY created, id");
        int i = 0;
        for (String p : packages == null ? List.<String>of() : packages) {
            q.bind(i++, p);
        }
        return q.bind(i, state).map((rs, ctx) -> request(rs)).list();
    }

    @Override
    public void decideRequest(String id, String state, Instant at, String by) {
        h.createUpdate(
                        "UPDATE change_requests SET state = ?, decided = ?, decided_by = ? WHERE id"
                                + " = ?")
                .bind(0, state)
                .bind(1, millis(at))
                .bind(2, by)
                .bind(3, id)
                .execute();
    }

    @Override
    public boolean approveRequest(String requestId, String user, Instant at) {
        return h.createUpdate(
                                "INSERT INTO change_approvals (request_id, user_name, at) VALUES"
                                        + " (?, ?, ?) ON CONFLICT DO NOTHING")
                        .bind(0, requestId)
                        .bind(1, user)
                        .bind(2, millis(at))
                        .execute()
                > 0;
    }

    @Override
    public List<String> requestApprovers(String requestId) {
        return h.createQuery(
                        "SELECT user_name FROM change_approvals WHERE request_id = ? ORDER BY at,"
                                + " user_name")
                .bind(0, requestId)
                .mapTo(String.class)
                .list();
    }

    @Override
    public List<String> approvers(String stageId) {
        return h.createQuery(
                        "SELECT user_name FROM stage_approvals WHERE stage_id = ? ORDER BY at,"
                                + " user_name")
                .bind(0, stageId)
                .mapTo(String.class)
                .list();
    }
}
