package dev.warden.governance;

import dev.warden.accounts.Principal;
import dev.warden.storage.MetadataStore.ReadTx;

import java.util.List;

/** Who is shown and may act on stages, change requests and policies, by the registry's rules. */
final class Maintainers {

    private final PackageFacts facts;

    Maintainers(PackageFacts facts) {
        this.facts = facts;
    }

    /**
     * The packages whose stages and requests {@code principal} is shown: those they maintain by
     * name, or just {@code pkg} when named and they may act on it in any way; always within the
     * credential's limits.
     */
    List<String> shownTo(ReadTx tx, Principal principal, String pkg) {
        List<String> candidates =
                pkg == null ? tx.maintainers().packagesOf(principal.user()) : List.of(pkg);
        return candidates.stream()
                .filter(
                        p ->
                                facts.mayView(principal, p)
                                        && facts.mayMaintain(tx, p, principal.user()))
                .toList();
    }

    void require(ReadTx tx, String pkg, Principal principal) {
        facts.requireMaintainer(
                tx, pkg, principal, "cannot approve, reject or change a package's governance");
    }
}
