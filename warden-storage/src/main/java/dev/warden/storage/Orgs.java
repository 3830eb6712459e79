package dev.warden.storage;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Organizations (which own the scope of their name), their members and roles, teams, and team package grants. */
public interface Orgs {

    boolean exists(String org);

    void create(String org, Instant at);

    /** Members and their roles ({@code owner}, {@code admin}, {@code developer}), by name. */
    Map<String, String> members(String org);

    Optional<String> role(String org, String user);

    void putMember(String org, String user, String role);

    void removeMember(String org, String user);

    List<String> teams(String org);

    boolean teamExists(String org, String team);

    void createTeam(String org, String team, String description);

    void deleteTeam(String org, String team);

    List<String> teamMembers(String org, String team);

    void addTeamMember(String org, String team, String user);

    void removeTeamMember(String org, String team, String user);

    /** Packages granted to a team, with {@code read-only} or {@code read-write}. */
    Map<String, String> teamPackages(String org, String team);

    void grant(String org, String team, String pkg, String permission);

    void revoke(String org, String team, String pkg);

    /** The strongest permission {@code user} holds on {@code pkg} through teams: {@code read-write}, {@code read-only}, or empty. */
    Optional<String> teamPermission(String pkg, String user);
}
