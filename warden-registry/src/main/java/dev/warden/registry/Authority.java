package dev.warden.registry;

import dev.warden.accounts.Principal;
import dev.warden.common.Problem;
import dev.warden.provenance.TrustedPublishing;
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
 *   <li>for changes that are a person's to make, it is a person's, not a trusted publisher's CI
 *       token;
 *   <li>the person maintains the package: a maintainer, a member of a team granted it read-write,
 *       or an owner or admin of the organization whose scope it is in.
 * </ol>
 *
 * <p>For approvals, it also says since when someone could act on the package ({@link
 * #maintainerSince}): an approval counts only from someone who already could when the stage or
 * request was opened.
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
            throw Problem.forbidden(
                    "this token may not act on "
                            + Problem.clip(pkg)
                            + ": it is limited to other packages or scopes");
        }
    }

    /**
     * A person's credential that covers {@code pkg}; {@code what} says what a CI token was refused.
     */
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
                throw Problem.notFound("package " + Problem.clip(pkg) + " not found");
            }
            throw Problem.forbidden("you are not a maintainer of " + Problem.clip(pkg));
        }
    }

    /** A logged-in credential that may write. */
    static void requireWriter(Principal principal) {
        if (principal == null) {
            throw Problem.unauthorized("you must be logged in to do this: run npm login");
        }
        if (!principal.canWrite()) {
            throw Problem.forbidden("this token is read-only");
        }
    }

    /**
     * A writer whose credential also covers {@code name} (granular tokens name their packages and
     * scopes).
     */
    static void requireWriter(Principal principal, String name) {
        requireCovers(principal, name);
    }

    /** A maintainer of {@code name}, for a change to the package's settings. */
    static void requireMaintainer(ReadTx tx, String name, Principal principal) {
        requireMaintainer(
                tx, name, principal, "can only publish; it cannot change the package's settings");
    }

    static void requireMaintainerFlag(boolean maintainer, String name) {
        if (!maintainer) {
            throw Problem.forbidden("you are not a maintainer of " + Problem.clip(name));
        }
    }

    /**
     * Trust and publishing rules are changed by people with a second factor, never by a CI job's
     * token.
     */
    static void requirePerson(Principal principal) {
        if (principal.publisher() != null) {
            throw Problem.forbidden(
                    "a trusted publisher's token can only publish; it cannot change the package's"
                            + " settings");
        }
    }

    /**
     * Who may publish a new package in a scope: its holder (the first publisher in it, recorded for
     * good), or a maintainer of a live package in it. A scope nobody holds yet may be taken by the
     * user of that name, or by anyone when no user has that name.
     */
    static void checkScope(ReadTx tx, PackageName name, Principal principal) {
        if (name.scope() == null) {
            return;
        }
        if (tx.orgs().exists(name.scope())) {
            if (tx.orgs().role(name.scope(), principal.user()).isEmpty()) {
                throw Problem.forbidden(
                        "you may not publish to the scope @"
                                + name.scope()
                                + ": you are not a member of that organization");
            }
            return;
        }
        Optional<String> holder = tx.scopes().owner(name.scope());
        if (holder.isPresent()) {
            if (holder.get().equals(principal.user())) {
                return;
            }
            boolean member =
                    tx.packages().names("@" + name.scope()).stream()
                            .anyMatch(p -> tx.maintainers().of(p).contains(principal.user()));
            if (!member) {
                throw Problem.forbidden(
                        "you may not publish to the scope @"
                                + name.scope()
                                + ": it belongs to another account");
            }
            return;
        }
        if (!name.scope().equals(principal.user()) && tx.users().find(name.scope()).isPresent()) {
            throw Problem.forbidden(
                    "you may not publish to the scope @"
                            + name.scope()
                            + ": it is the scope of user "
                            + name.scope());
        }
    }

    /** Why a trusted publisher's token may not publish {@code pkg} now, if it may not. */
    static void checkTrustedPublisher(
            ReadTx tx,
            String pkg,
            Principal.Publisher publisher,
            boolean live,
            boolean stageAllowed) {
        if (!publisher.pkg().equals(pkg)) {
            throw Problem.forbidden(
                    "this token was issued to a trusted publisher of "
                            + Problem.clip(publisher.pkg())
                            + " and cannot publish "
                            + Problem.clip(pkg));
        }
        if (!live) {
            throw Problem.forbidden(
                    Problem.clip(pkg)
                            + " does not exist: a trusted publisher publishes new versions of an"
                            + " existing package");
        }
        if (tx.trustedPublishers().find(pkg, publisher.trustId()).isEmpty()) {
            throw Problem.forbidden(
                    "the trusted publisher this token was issued for has been removed from "
                            + Problem.clip(pkg));
        }
        if (!publisher.permissions().contains(TrustedPublishing.PUBLISH)
                && !(stageAllowed && publisher.permissions().contains(TrustedPublishing.STAGE))) {
            throw Problem.forbidden(
                    "the trusted publisher of "
                            + Problem.clip(pkg)
                            + " may only stage releases for approval (npm stage publish), "
                            + "not publish them directly (npm trust ... --allow-publish)");
        }
    }

    /**
     * Whether {@code reader} (null: anyone) may read {@code pkg}: anyone a public one; a restricted
     * one, those who may act on it and the members of its org or of a team granted it, with a
     * credential whose limits cover it.
     */
    static boolean mayRead(ReadTx tx, String pkg, Principal reader) {
        boolean restricted =
                tx.packages().find(pkg).map(p -> p.access().equals("restricted")).orElse(false);
        if (!restricted) {
            return true;
        }
        if (reader == null || !reader.limits().covers(pkg)) {
            return false;
        }
        if (tx.maintainers().of(pkg).contains(reader.user())
                || tx.orgs().teamPermission(pkg, reader.user()).isPresent()) {
            return true;
        }
        String scope = scopeOf(pkg);
        return scope != null && tx.orgs().role(scope, reader.user()).isPresent();
    }

    /**
     * Whether the credential could read {@code pkg}'s governance material (its limits cover the
     * package); read-only is enough.
     */
    static boolean mayView(Principal principal, String pkg) {
        return principal != null && principal.publisher() == null && principal.limits().covers(pkg);
    }

    /**
     * Who may change a package: its maintainers, members of a team granted it read-write, and the
     * owners and admins of the organization whose scope it is in.
     */
    static boolean mayMaintain(ReadTx tx, String pkg, String user) {
        return maintainerSince(tx, pkg, user).isPresent();
    }

    /**
     * Since when {@code user} may change {@code pkg} by any of those ways (the earliest), if they
     * may.
     */
    static Optional<Instant> maintainerSince(ReadTx tx, String pkg, String user) {
        return Stream.of(
                        tx.maintainers().addedAt(pkg, user),
                        tx.orgs().managerSince(scopeOf(pkg), pkg, user))
                .flatMap(Optional::stream)
                .min(Instant::compareTo);
    }

    /** The organization a scoped name belongs to ({@code @acme/x} is acme's), or null. */
    static String scopeOf(String name) {
        int slash = name.indexOf('/');
        return name.startsWith("@") && slash > 1 ? name.substring(1, slash) : null;
    }
}
