package dev.warden.storage.sql;

import static dev.warden.storage.sql.SqlColumns.millis;

import dev.warden.storage.Orgs;

import org.jdbi.v3.core.Handle;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link Orgs} over the transaction's handle. */
final class SqlOrgs implements Orgs {

    private final Handle h;

    SqlOrgs(Handle h) {
        this.h = h;
    }

    @Override
    public boolean exists(String org) {
        return h.createQuery("SELECT COUNT(*) FROM orgs WHERE name = ?")
                        .bind(0, org)
                        .mapTo(Long.class)
                        .one()
                > 0;
    }

    @Override
    public void create(String org, Instant at) {
        h.createUpdate("INSERT INTO orgs (name, created) VALUES (?, ?)")
                .bind(0, org)
                .bind(1, millis(at))
                .execute();
    }

    @Override
    public Map<String, String> members(String org) {
        Map<String, String> out = new LinkedHashMap<>();
        h.createQuery("SELECT user_name, role FROM org_members WHERE org = ? ORDER BY user_name")
                .bind(0, org)
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    @Override
    public Optional<String> role(String org, String user) {
        return h.createQuery("SELECT role FROM org_members WHERE org = ? AND user_name = ?")
                .bind(0, org)
                .bind(1, user)
                .mapTo(String.class)
                .findOne();
    }

    @Override
    public void putMember(String org, String user, String role, Instant at) {
        h.createUpdate(
                        """
                        INSERT INTO org_members (org, user_name, role, since) VALUES (?, ?, ?, ?)
                        ON CONFLICT (org, user_name) DO UPDATE SET role = excluded.role,
                            since = CASE WHEN org_members.role = 'developer' AND excluded.role <> 'developer'
                                         THEN excluded.since ELSE org_members.since END\
                        """)
                .bind(0, org)
                .bind(1, user)
                .bind(2, role)
                .bind(3, millis(at))
                .execute();
    }

    @Override
    public void removeMember(String org, String user) {
        h.createUpdate("DELETE FROM org_members WHERE org = ? AND user_name = ?")
                .bind(0, org)
                .bind(1, user)
                .execute();
        h.createUpdate("DELETE FROM team_members WHERE org = ? AND user_name = ?")
                .bind(0, org)
                .bind(1, user)
                .execute();
    }

    @Override
    public List<String> teams(String org) {
        return h.createQuery("SELECT name FROM teams WHERE org = ? ORDER BY name")
                .bind(0, org)
                .mapTo(String.class)
                .list();
    }

    @Override
    public boolean teamExists(String org, String team) {
        return h.createQuery("SELECT COUNT(*) FROM teams WHERE org = ? AND name = ?")
                        .bind(0, org)
                        .bind(1, team)
                        .mapTo(Long.class)
                        .one()
                > 0;
    }

    @Override
    public void createTeam(String org, String team, String description) {
        h.createUpdate("INSERT INTO teams (org, name, description) VALUES (?, ?, ?)")
                .bind(0, org)
                .bind(1, team)
                .bind(2, description)
                .execute();
    }

    @Override
    public void deleteTeam(String org, String team) {
        for (String table :
                List.of(
                        "teams WHERE org = ? AND name = ?",
                        "team_members WHERE org = ? AND team = ?",
                        "team_packages WHERE org = ? AND team = ?")) {
            h.createUpdate("DELETE FROM " + table).bind(0, org).bind(1, team).execute();
        }
    }

    @Override
    public List<String> teamMembers(String org, String team) {
        return h.createQuery(
                        "SELECT user_name FROM team_members WHERE org = ? AND team = ? ORDER BY"
                                + " user_name")
                .bind(0, org)
                .bind(1, team)
                .mapTo(String.class)
                .list();
    }

    @Override
    public void addTeamMember(String org, String team, String user, Instant at) {
        h.createUpdate(
                        "INSERT INTO team_members (org, team, user_name, since) VALUES (?, ?, ?, ?)"
                                + " ON CONFLICT DO NOTHING")
                .bind(0, org)
                .bind(1, team)
                .bind(2, user)
                .bind(3, millis(at))
                .execute();
    }

    @Override
    public void removeTeamMember(String org, String team, String user) {
        h.createUpdate("DELETE FROM team_members WHERE org = ? AND team = ? AND user_name = ?")
                .bind(0, org)
                .bind(1, team)
                .bind(2, user)
                .execute();
    }

    @Override
    public Map<String, String> teamPackages(String org, String team) {
        Map<String, String> out = new LinkedHashMap<>();
        h.createQuery(
                        "SELECT package, permission FROM team_packages WHERE org = ? AND team = ?"
                                + " ORDER BY package")
                .bind(0, org)
                .bind(1, team)
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    @Override
    public void grant(String org, String team, String pkg, String permission, Instant at) {
        h.createUpdate(
                        """
                        INSERT INTO team_packages (org, team, package, permission, since) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT (org, team, package) DO UPDATE SET permission = excluded.permission,
                            since = CASE WHEN team_packages.permission <> 'read-write' AND excluded.permission = 'read-write'
                                         THEN excluded.since ELSE team_packages.since END\
                        """)
                .bind(0, org)
                .bind(1, team)
                .bind(2, pkg)
                .bind(3, permission)
                .bind(4, millis(at))
                .execute();
    }

    @Override
    public void revoke(String org, String team, String pkg) {
        h.createUpdate("DELETE FROM team_packages WHERE org = ? AND team = ? AND package = ?")
                .bind(0, org)
                .bind(1, team)
                .bind(2, pkg)
                .execute();
    }

    @Override
    public Optional<String> teamPermission(String pkg, String user) {
        List<String> perms =
                h.createQuery(
                                """
                                SELECT p.permission FROM team_packages p
                                JOIN team_members m ON m.org = p.org AND m.team = p.team
                                WHERE p.package = ? AND m.user_name = ?\
                                """)
                        .bind(0, pkg)
                        .bind(1, user)
                        .mapTo(String.class)
                        .list();
        if (perms.contains("read-write")) {
            return Optional.of("read-write");
        }
        return perms.isEmpty() ? Optional.empty() : Optional.of("read-only");
    }

    @Override
    public Optional<Instant> managerSince(String org, String pkg, String user) {
        return h.createQuery(
                        """
                        SELECT MIN(since) FROM (
                            SELECT since FROM org_members WHERE org = ? AND user_name = ? AND role IN ('owner', 'admin')
                            UNION ALL
                            SELECT CASE WHEN p.since > m.since THEN p.since ELSE m.since END FROM team_packages p
                            JOIN team_members m ON m.org = p.org AND m.team = p.team
                            WHERE p.package = ? AND m.user_name = ? AND p.permission = 'read-write') AS ways\
                        """)
                .bind(0, org)
                .bind(1, user)
                .bind(2, pkg)
                .bind(3, user)
                .mapTo(Long.class)
                .findOne()
                .map(Instant::ofEpochMilli);
    }
}
