package dev.warden.registry;

import dev.warden.accounts.Principal;
import dev.warden.common.Problem;
import dev.warden.storage.MetadataStore.ReadTx;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Who may act on a package, decided here for every change and every governance action (publish,
 * tags, owners, access, trust, policy, stages, change requests, succession), so that no path
 * forgets a rule:
 *
 * <ol>
 *   <li>the credential may write, and its package and scope limits cover the package (a granular
 *       token made for one package cannot approve, stage or govern another);
 *   <li>for changes that are a person's to make, it is a person's, not a trusted publisher's CI token;
 *   <li>the person maintains the package: a maintainer, a member of a team granted it read-write,
 *       or an owner or admin of the organization whose scope it is in.
 * </ol>
 *
 * <p>For approvals, it also says since when someone could act on the package ({@link #maintainerSince}):
 * an approval counts only from someone who already could when the stage or request was opened.
 */
final class Authority {

    private Authority() {}

    /** The credential may write and covers {@code pkg}. */
    static void requireCovers(Principal principal, String pkg) {
        if (principal == null) {
            throw Problem.unauthorized("you must be logged in to do this: run npm login");
        }
        if (!principal.canWrite()) {
            throw Problem.forbidden("this token is read-only");
        }
        if (!principal.limits().covers(pkg)) {
            throw Problem.forbidden("this token may not act on " + Registry.clip(pkg) + ": it is limited to other packages or scopes");
        }
    }

    /** A person's credential that covers {@code pkg}; {@code what} says what a CI token was refused. */
    static void requirePerson(Principal principal, String pkg, String what) {
        requireCovers(principal, pkg);
        if (principal.publisher() != null) {
            throw Problem.forbidden("a trusted publisher's token " + what);
        }
    }

    /** Everything above: a person who maintains {@code pkg}, with a credential that covers it. */
    static void requireMaintainer(ReadTx tx, String pkg, Principal principal, String what) {
        requirePerson(principal, pkg, what);
        if (!mayMaintain(tx, pkg, principal.user())) {
            if (!mayRead(tx, pkg, principal)) {
                // a restricted package is not there for those who may not read it
                throw Problem.notFound("package " + Registry.clip(pkg) + " not found");
            }
            throw Problem.forbidden("you are not a maintainer of " + Registry.clip(pkg));
        }
    }

    /**
     * Whether {@code reader} (null: anyone) may read {@code pkg}: anyone a public one; a restricted
     * one, those who may act on it and the members of its org or of a team granted it, with a
     * credential whose limits cover it.
     */
    static boolean mayRead(ReadTx tx, String pkg, Principal reader) {
        boolean restricted = tx.packages().find(pkg).map(p -> p.access().equals("restricted")).orElse(false);
        if (!restricted) {
            return true;
        }
        if (reader == null || !reader.limits().covers(pkg)) {
            return false;
        }
        if (tx.maintainers().of(pkg).contains(reader.user()) || tx.orgs().teamPermission(pkg, reader.user()).isPresent()) {
            return true;
        }
        String scope = scopeOf(pkg);
        return scope != null && tx.orgs().role(scope, reader.user()).isPresent();
    }

    /** Whether the credential could read {@code pkg}'s governance material (its limits cover the package); read-only is enough. */
    static boolean mayView(Principal principal, String pkg) {
        return principal != null && principal.publisher() == null && principal.limits().covers(pkg);
    }

    /**
     * Who may change a package: its maintainers, members of a team granted it read-write, and
     * the owners and admins of the organization whose scope it is in.
     */
    static boolean mayMaintain(ReadTx tx, String pkg, String user) {
        return maintainerSince(tx, pkg, user).isPresent();
    }

    /** Since when {@code user} may change {@code pkg} by any of those ways (the earliest), if they may. */
    static Optional<Instant> maintainerSince(ReadTx tx, String pkg, String user) {
        return Stream.of(tx.maintainers().addedAt(pkg, user), tx.orgs().managerSince(scopeOf(pkg), pkg, user))
                .flatMap(Optional::stream)
                .min(Instant::compareTo);
    }

    /** The organization a scoped name belongs to ({@code @acme/x} is acme's), or null. */
    static String scopeOf(String name) {
        int slash = name.indexOf('/');
        return name.startsWith("@") && slash > 1 ? name.substring(1, slash) : null;
    }
}
