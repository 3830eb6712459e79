package dev.warden.registry;

import dev.warden.accounts.Principal;
import dev.warden.common.Problem;
import dev.warden.storage.MetadataStore.ReadTx;
import dev.warden.storage.PackageMfa;
import dev.warden.storage.Packages.PackageRecord;
import dev.warden.storage.Versions.VersionRecord;

import java.time.Instant;
import java.util.Optional;

/**
 * Whether the package's state lets this principal publish this version: the trusted publisher's
 * rule, the scope and a new name's resemblance to a popular one, maintainership and the package's
 * 2FA rule, and a version never used before. Asked before the tarball is read and again inside the
 * commit.
 */
final class PublishPermission {

    private final RegistrySettings settings;
    private final LookalikeNames names;

    PublishPermission(RegistrySettings settings, LookalikeNames names) {
        this.settings = settings;
        this.names = names;
    }

    /** Refuses a publish the package's state does not allow; returns the package's row. */
    Optional<PackageRecord> check(
            ReadTx tx,
            PackageName name,
            String version,
            Principal principal,
            Instant now,
            boolean stageAllowed) {
        Optional<PackageRecord> existing = tx.packages().find(name.full());
        if (principal.publisher() != null) {
            // a trusted publisher publishes in place of the maintainers
            Authority.checkTrustedPublisher(
                    tx,
                    name.full(),
                    principal.publisher(),
                    existing.filter(PackageRecord::live).isPresent(),
                    stageAllowed);
        } else if (existing.isEmpty() || !existing.get().live()) {
            if (existing.isPresent()
                    && existing.get().unpublished().plus(settings.republishBlock()).isAfter(now)) {
                throw Problem.forbidden(
                        name
                                + " was unpublished less than "
                                + settings.republishBlock().toHours()
                                + " hours ago and cannot be published again yet");
            }
            Authority.checkScope(tx, name, principal);
            names.check(tx, name, principal, now); // typosquatting: only a name being created
        } else {
            if (!Authority.mayRead(tx, name.full(), principal)) {
                Authority.checkScope(
                        tx, name,
                        principal); // as for a name that does not exist: the scope's rule answers
                // first
            }
            Authority.requireMaintainer(tx, name.full(), principal);
            if (tx.packageMfa()
                    .find(name.full())
                    .filter(PackageMfa.Policy::requireTrustedPublisher)
                    .isPresent()) {
                throw Problem.forbidden(
                        name
                                + " may be published only by its trusted publisher (see npm trust"
                                + " list "
                                + name
                                + "): publishes with a token are refused, even with two-factor"
                                + " authentication");
            }
        }
        Optional<VersionRecord> previous = tx.versions().find(name.full(), version);
        if (previous.isPresent()) {
            throw Problem.conflict(
                    previous.get().live()
                            ? "cannot publish over the previously published version "
                                    + version
                                    + " of "
                                    + name
                            : "version "
                                    + version
                                    + " of "
                                    + name
                                    + " was unpublished and can never be published again");
        }
        return existing;
    }
}
