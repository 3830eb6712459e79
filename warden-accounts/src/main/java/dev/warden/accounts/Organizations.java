package dev.warden.accounts;

import dev.warden.common.Problem;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.MetadataStore.ReadTx;
import dev.warden.storage.MetadataStore.WriteTx;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Organizations, as npm's {@code org}, {@code team} and {@code access grant|revoke} commands use
 * them. An organization owns the scope of its name. Owners and admins manage members, teams and
 * grants (admins cannot make or remove owners; the last owner stays); only members see the roster.
 *
 * <p>Changes to who belongs to an organization or a team, and to what teams are granted, change who
 * may act on the org's packages: they run inside a transaction of the caller's ({@code WriteTx}
 * methods), so that the registry can hold one that would add an approver to a governed package and
 * log every one with the change itself.
 */
public final class Organizations {

    public static final Set<String> ROLES = Set.of("owner", "admin", "developer");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private final MetadataStore store;
    private final Clock clock;
    private final SecurityLog log;

    public Organizations(MetadataStore store, Clock clock, SecurityLog log) {
        this.store = store;
        this.clock = clock;
        this.log = log;
    }

    private static void checkName(String what, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw Problem.badRequest(
                    "invalid "
                            + what
                            + " name: use 1 to 64 lower-case letters, digits, '.', '_' or '-'");
        }
    }

    /**
     * Creates {@code org} with {@code owner} as its first owner, in {@code tx}; the scope @org
     * becomes the org's.
     */
    public void create(WriteTx tx, String org, String owner, Instant at) {
        checkName("organization", org);
        if (tx.orgs().exists(org)) {
            throw Problem.conflict("organization " + org + " already exists");
        }
        if (tx.users().find(org).isPresent()) {
            throw Problem.conflict("the name " + org + " is taken by a user");
        }
        if (tx.scopes().owner(org).filter(o -> !o.equals(owner)).isPresent()) {
            throw Problem.conflict("the scope @" + org + " is held by another account");
        }
        if (tx.users().find(owner).isEmpty()) {
            throw Problem.notFound("user " + owner + " not found");
        }
        tx.orgs().create(org, at);
        tx.orgs().putMember(org, owner, "owner", at);
        tx.scopes().claim(org, owner, at);
    }

    private static String requireMember(ReadTx tx, String org, String user) {
        if (!tx.orgs().exists(org)) {
            throw Problem.notFound("organization " + org + " not found");
        }
        return tx.orgs()
                .role(org, user)
                .orElseThrow(() -> Problem.notFound("organization " + org + " not found"));
    }

    private static String requireManager(ReadTx tx, String org, String user) {
        String role = requireMember(tx, org, user);
        if (role.equals("developer")) {
            throw Problem.forbidden("only owners and admins of " + org + " may do this");
        }
        return role;
    }

    /** Adds or changes a member, in {@code tx}; returns the org's size. */
    public int setMember(
            WriteTx tx, String org, String caller, String user, String role, Instant at) {
        if (!ROLES.contains(role)) {
            throw Problem.badRequest("role must be owner, admin or developer");
        }
        String callerRole = requireManager(tx, org, caller);
        if (tx.users().find(user).isEmpty()) {
            throw Problem.notFound("user " + user + " not found");
        }
        String current = tx.orgs().role(org, user).orElse(null);
        if (!callerRole.equals("owner") && (role.equals("owner") || "owner".equals(current))) {
            throw Problem.forbidden("only owners may make or change owners");
        }
        if ("owner".equals(current) && !role.equals("owner") && owners(tx, org) == 1) {
            throw Problem.badRequest("an organization must keep at least one owner");
        }
        tx.orgs().putMember(org, user, role, at);
        return tx.orgs().members(org).size();
    }

    /** Records an organization change in the actor's security history, once it committed. */
    public void recordChange(
            String actor, String kind, InetAddress from, Map<String, Object> detail) {
        log.record(actor, kind, from, detail);
    }

    private static long owners(ReadTx tx, String org) {
        return tx.orgs().members(org).values().stream().filter("owner"::equals).count();
    }

    /** Removes a member (and their team memberships), in {@code tx}; returns the org's size. */
    public int removeMember(WriteTx tx, String org, String caller, String user) {
        String callerRole =
                caller.equals(user)
                        ? requireMember(tx, org, user)
                        : requireManager(tx, org, caller);
        String current =
                tx.orgs()
                        .role(org, user)
                        .orElseThrow(() -> Problem.notFound(user + " is not a member of " + org));
        if (current.equals("owner") && !callerRole.equals("owner")) {
            throw Problem.forbidden("only owners may remove owners");
        }
        if (current.equals("owner") && owners(tx, org) == 1) {
            throw Problem.badRequest("an organization must keep at least one owner");
        }
        tx.orgs().removeMember(org, user);
        return tx.orgs().members(org).size();
    }

    public Map<String, String> members(String org, Principal caller) {
        return store.read(
                tx -> {
                    requireMember(tx, org, caller.user());
                    return tx.orgs().members(org);
                });
    }

    public void createTeam(WriteTx tx, String org, String caller, String team, String description) {
        checkName("team", team);
        requireManager(tx, org, caller);
        if (tx.orgs().teamExists(org, team)) {
            throw Problem.conflict("team " + org + ":" + team + " already exists");
        }
        tx.orgs().createTeam(org, team, description);
    }

    private static void requireTeam(ReadTx tx, String org, String team) {
        if (!tx.orgs().teamExists(org, team)) {
            throw Problem.notFound("team " + org + ":" + team + " not found");
        }
    }

    public void deleteTeam(WriteTx tx, String org, String caller, String team) {
        requireManager(tx, org, caller);
        requireTeam(tx, org, team);
        tx.orgs().deleteTeam(org, team);
    }

    public void addTeamMember(
            WriteTx tx, String org, String caller, String team, String user, Instant at) {
        requireManager(tx, org, caller);
        requireTeam(tx, org, team);
        if (tx.orgs().role(org, user).isEmpty()) {
            throw Problem.badRequest(
                    user + " is not a member of " + org + ": add them with npm org set first");
        }
        tx.orgs().addTeamMember(org, team, user, at);
    }

    public void removeTeamMember(WriteTx tx, String org, String caller, String team, String user) {
        requireManager(tx, org, caller);
        requireTeam(tx, org, team);
        if (!tx.orgs().teamMembers(org, team).contains(user)) {
            throw Problem.notFound(user + " is not in team " + org + ":" + team);
        }
        tx.orgs().removeTeamMember(org, team, user);
    }

    public List<String> teams(String org, Principal caller) {
        return store.read(
                tx -> {
                    requireMember(tx, org, caller.user());
                    return tx.orgs().teams(org);
                });
    }

    public List<String> teamMembers(String org, Principal caller, String team) {
        return store.read(
                tx -> {
                    requireMember(tx, org, caller.user());
                    requireTeam(tx, org, team);
                    return tx.orgs().teamMembers(org, team);
                });
    }

    public Map<String, String> teamPackages(String org, Principal caller, String team) {
        return store.read(
                tx -> {
                    requireMember(tx, org, caller.user());
                    requireTeam(tx, org, team);
                    return tx.orgs().teamPackages(org, team);
                });
    }

    /**
     * Grants a team {@code read-only} or {@code read-write} on a package of the org's scope, in
     * {@code tx}.
     */
    public void grant(
            WriteTx tx,
            String org,
            String caller,
            String team,
            String pkg,
            String permission,
            Instant at) {
        if (!permission.equals("read-only") && !permission.equals("read-write")) {
            throw Problem.badRequest("permissions must be read-only or read-write");
        }
        if (!pkg.startsWith("@" + org + "/")) {
            throw Problem.badRequest(
                    "a team of " + org + " can only be granted packages in the scope @" + org);
        }
        requireManager(tx, org, caller);
        requireTeam(tx, org, team);
        if (tx.packages().find(pkg).filter(p -> p.live()).isEmpty()) {
            throw Problem.notFound("package " + pkg + " not found");
        }
        tx.orgs().grant(org, team, pkg, permission, at);
    }

    public void revoke(WriteTx tx, String org, String caller, String team, String pkg) {
        requireManager(tx, org, caller);
        requireTeam(tx, org, team);
        tx.orgs().revoke(org, team, pkg);
    }
}
