package dev.warden.accounts;

import dev.warden.common.Problem;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.MetadataStore.ReadTx;
import java.net.InetAddress;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Organizations, as npm's {@code org}, {@code team} and {@code access grant|revoke} commands use
 * them. An organization owns the scope of its name. Owners and admins manage members, teams and
 * grants (admins cannot make or remove owners; the last owner stays); only members see the roster.
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
            throw Problem.badRequest("invalid " + what + " name: use 1 to 64 lower-case letters, digits, '.', '_' or '-'");
        }
    }

    /** Creates {@code org} with {@code owner} as its first owner; the scope @org becomes the org's. */
    public void create(String org, String owner) {
        checkName("organization", org);
        store.write(tx -> {
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
            tx.orgs().create(org, clock.instant());
            tx.orgs().putMember(org, owner, "owner");
            tx.scopes().claim(org, owner, clock.instant());
            return null;
        });
        log.record(owner, "org.created", null, Map.of("org", org));
    }

    private static String requireMember(ReadTx tx, String org, String user) {
        if (!tx.orgs().exists(org)) {
            throw Problem.notFound("organization " + org + " not found");
        }
        return tx.orgs().role(org, user).orElseThrow(() -> Problem.notFound("organization " + org + " not found"));
    }

    private static String requireManager(ReadTx tx, String org, String user) {
        String role = requireMember(tx, org, user);
        if (role.equals("developer")) {
            throw Problem.forbidden("only owners and admins of " + org + " may do this");
        }
        return role;
    }

    /** Adds or changes a member; returns the org's size. */
    public int setMember(String org, Principal caller, String user, String role, InetAddress from) {
        if (!ROLES.contains(role)) {
            throw Problem.badRequest("role must be owner, admin or developer");
        }
        int size = store.write(tx -> {
            String callerRole = requireManager(tx, org, caller.user());
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
            tx.orgs().putMember(org, user, role);
            return tx.orgs().members(org).size();
        });
        log.record(caller.user(), "org.member-set", from, Map.of("org", org, "user", user, "role", role));
        return size;
    }

    private static long owners(ReadTx tx, String org) {
        return tx.orgs().members(org).values().stream().filter("owner"::equals).count();
    }

    public int removeMember(String org, Principal caller, String user, InetAddress from) {
        int size = store.write(tx -> {
            String callerRole = caller.user().equals(user) ? requireMember(tx, org, user) : requireManager(tx, org, caller.user());
            String current = tx.orgs().role(org, user).orElseThrow(() -> Problem.notFound(user + " is not a member of " + org));
            if (current.equals("owner") && !callerRole.equals("owner")) {
                throw Problem.forbidden("only owners may remove owners");
            }
            if (current.equals("owner") && owners(tx, org) == 1) {
                throw Problem.badRequest("an organization must keep at least one owner");
            }
            tx.orgs().removeMember(org, user);
            return tx.orgs().members(org).size();
        });
        log.record(caller.user(), "org.member-removed", from, Map.of("org", org, "user", user));
        return size;
    }

    public Map<String, String> members(String org, Principal caller) {
        return store.read(tx -> {
            requireMember(tx, org, caller.user());
            return tx.orgs().members(org);
        });
    }

    public void createTeam(String org, Principal caller, String team, String description) {
        checkName("team", team);
        store.write(tx -> {
            requireManager(tx, org, caller.user());
            if (tx.orgs().teamExists(org, team)) {
                throw Problem.conflict("team " + org + ":" + team + " already exists");
            }
            tx.orgs().createTeam(org, team, description);
            return null;
        });
    }

    private static void requireTeam(ReadTx tx, String org, String team) {
        if (!tx.orgs().teamExists(org, team)) {
            throw Problem.notFound("team " + org + ":" + team + " not found");
        }
    }

    public void deleteTeam(String org, Principal caller, String team) {
        store.write(tx -> {
            requireManager(tx, org, caller.user());
            requireTeam(tx, org, team);
            tx.orgs().deleteTeam(org, team);
            return null;
        });
    }

    public void addTeamMember(String org, Principal caller, String team, String user) {
        store.write(tx -> {
            requireManager(tx, org, caller.user());
            requireTeam(tx, org, team);
            if (tx.orgs().role(org, user).isEmpty()) {
                throw Problem.badRequest(user + " is not a member of " + org + ": add them with npm org set first");
            }
            tx.orgs().addTeamMember(org, team, user);
            return null;
        });
    }

    public void removeTeamMember(String org, Principal caller, String team, String user) {
        store.write(tx -> {
            requireManager(tx, org, caller.user());
            requireTeam(tx, org, team);
            if (!tx.orgs().teamMembers(org, team).contains(user)) {
                throw Problem.notFound(user + " is not in team " + org + ":" + team);
            }
            tx.orgs().removeTeamMember(org, team, user);
            return null;
        });
    }

    public List<String> teams(String org, Principal caller) {
        return store.read(tx -> {
            requireMember(tx, org, caller.user());
            return tx.orgs().teams(org);
        });
    }

    public List<String> teamMembers(String org, Principal caller, String team) {
        return store.read(tx -> {
            requireMember(tx, org, caller.user());
            requireTeam(tx, org, team);
            return tx.orgs().teamMembers(org, team);
        });
    }

    public Map<String, String> teamPackages(String org, Principal caller, String team) {
        return store.read(tx -> {
            requireMember(tx, org, caller.user());
            requireTeam(tx, org, team);
            return tx.orgs().teamPackages(org, team);
        });
    }

    /** Grants a team {@code read-only} or {@code read-write} on a package of the org's scope. */
    public void grant(String org, Principal caller, String team, String pkg, String permission, InetAddress from) {
        if (!permission.equals("read-only") && !permission.equals("read-write")) {
            throw Problem.badRequest("permissions must be read-only or read-write");
        }
        if (!pkg.startsWith("@" + org + "/")) {
            throw Problem.badRequest("a team of " + org + " can only be granted packages in the scope @" + org);
        }
        store.write(tx -> {
            requireManager(tx, org, caller.user());
            requireTeam(tx, org, team);
            if (tx.packages().find(pkg).filter(p -> p.live()).isEmpty()) {
                throw Problem.notFound("package " + pkg + " not found");
            }
            tx.orgs().grant(org, team, pkg, permission);
            return null;
        });
        log.record(caller.user(), "org.grant", from, Map.of("org", org, "team", team, "package", pkg, "permission", permission));
    }

    public void revoke(String org, Principal caller, String team, String pkg, InetAddress from) {
        store.write(tx -> {
            requireManager(tx, org, caller.user());
            requireTeam(tx, org, team);
            tx.orgs().revoke(org, team, pkg);
            return null;
        });
        log.record(caller.user(), "org.revoke", from, Map.of("org", org, "team", team, "package", pkg));
    }
}
