package dev.warden.storage;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Organizations (which own the scope of their name), their members and roles, teams, and team
 * package grants.
 */
public interface Orgs {

    boolean exists(String org);

    void create(String org, Instant at);

    /** Members and their roles ({@code owner}, {@code admin}, {@code developer}), by name. */
    Map<String, String> members(String org);

    Optional<String> role(String org, String user);

    /**
     * Adds a member or changes their role; {@code at} starts their time as a manager when the role
     * becomes owner or admin.
     */
    void putMember(String org, String user, String role, Instant at);

    void removeMember(String org, String user);

    List<String> teams(String org);

    boolean teamExists(String org, String team);

    void createTeam(String org, String team, String description);

    void deleteTeam(String org, String team);

    List<String> teamMembers(String org, String team);

    void addTeamMember(String org, String team, String user, Instant at);

    void removeTeamMember(String org, String team, String user);

    /** Packages granted to a team, with {@code read-only} or {@code read-write}. */
    Map<String, String> teamPackages(String org, String team);

    /**
     * Grants or changes a permission; {@code at} starts the grant's time as read-write when it
     * becomes read-write.
     */
    void grant(String org, String team, String pkg, String permission, Instant at);

    void revoke(String org, String team, String pkg);

    /**
     * The strongest permission {@code user} holds on {@code pkg} through teams: {@code read-write},
     * {@code read-only}, or empty.
     */
    Optional<String> teamPermission(String pkg, String user);

    /**
     * Since when {@code user} may change {@code pkg} through the organization: as an owner or admin
     * of {@code org} (the package's scope, or null), or through a team granted the package
     * read-write (from the later of joining the team and the grant); the earliest of these.
     */
    Optional<Instant> managerSince(String org, String pkg, String user);
}
