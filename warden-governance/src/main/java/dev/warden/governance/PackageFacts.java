package dev.warden.governance;

import dev.warden.accounts.Principal;
import dev.warden.storage.MetadataStore.ReadTx;

import java.time.Instant;
import java.util.Optional;

/**
 * What governance reads of the registry's rules about a package: who may see it, who may act on it
 * and since when, and how much it is downloaded. Implemented by the registry, which owns those
 * rules; governance never asks the registry to change anything through this.
 */
public interface PackageFacts {

    /**
     * A 404, as for a package that does not exist, unless {@code pkg} is readable by {@code
     * reader}.
     */
    void requireReadable(String pkg, Principal reader);

    /** Whether {@code pkg} is live and {@code reader} (null: anyone) may read it. */
    boolean readable(String pkg, Principal reader);

    /** Downloads in the last seven days, counted and not yet flushed ones too. */
    long weeklyDownloads(ReadTx tx, String pkg);

    /** Whether the credential's limits let {@code principal} see {@code pkg} at all. */
    boolean mayView(Principal principal, String pkg);

    /**
     * Whether {@code user} may maintain {@code pkg} in any way (by name, org role, team, grant).
     */
    boolean mayMaintain(ReadTx tx, String pkg, String user);

    /** Since when {@code user} could act on {@code pkg}, if they can now. */
    Optional<Instant> maintainerSince(ReadTx tx, String pkg, String user);

    /**
     * Refuses (a {@code Problem}) unless {@code principal} maintains {@code pkg}; {@code what} says
     * what they cannot do.
     */
    void requireMaintainer(ReadTx tx, String pkg, Principal principal, String what);

    /** Refuses a credential whose package limits do not cover {@code pkg}. */
    void requireCovers(Principal principal, String pkg);

    /** Refuses a trusted publisher's CI job: only people take part in {@code what}. */
    void requirePerson(Principal principal, String pkg, String what);
}
