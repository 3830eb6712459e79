package dev.warden.awareness;

import dev.warden.accounts.Principal;
import dev.warden.common.Problem;
import dev.warden.storage.MetadataStore;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Postures of accounts and packages, computed from their state when asked (never stored): the facts
 * are read here (accounts from the storage contracts, packages through the registry's {@link
 * MaintainedPackages}) and turned into steps by the pure rules ({@link AccountRules}, {@link
 * TokenRules}, {@link PackageRules}).
 */
public final class Postures {

    /** The packages one account's posture looks at; a larger portfolio is summarised partly. */
    static final int MAX_PACKAGES = 200;

    private final MetadataStore store;
    private final MaintainedPackages packages;
    private final Clock clock;
    private final Links links;
    private final AccountReader accounts;

    public Postures(
            MetadataStore store, MaintainedPackages packages, Clock clock, String publicUrl) {
        this.store = store;
        this.packages = packages;
        this.clock = clock;
        this.links = new Links(publicUrl.replaceAll("/+$", ""));
        this.accounts = new AccountReader(store);
    }

    /** One package in an account's posture. */
    public record PackageSummary(String name, int score, int important, int recommended) {}

    /**
     * An account's posture: its own steps and those of the packages it maintains.
     *
     * @param packages each maintained package's own posture, summarised
     */
    public record AccountPosture(
            String user,
            SecondFactorKind secondFactor,
            Posture posture,
            List<PackageSummary> packages) {}

    /**
     * A package's posture.
     *
     * @param maintainers each maintainer's strongest second factor
     */
    public record PackagePosture(
            String name, Map<String, SecondFactorKind> maintainers, Posture posture) {}

    public AccountPosture ofAccount(String user) {
        Instant now = clock.instant();
        List<PackageFacts> mine = maintained(user);
        AccountFacts facts = accounts.read(user, now, critical(mine));
        List<Step> steps = new ArrayList<>(AccountRules.steps(facts, now, links));
        List<PackageSummary> summaries = new ArrayList<>();
        for (PackageFacts p : mine) {
            Posture own = Posture.of(PackageRules.steps(p, factors(p.maintainers()), links));
            steps.addAll(own.steps());
            summaries.add(
                    new PackageSummary(
                            p.name(),
                            own.score(),
                            count(own, Step.Importance.IMPORTANT),
                            count(own, Step.Importance.RECOMMENDED)));
        }
        return new AccountPosture(user, facts.secondFactor(), Posture.of(steps), summaries);
    }

    /**
     * A package's posture, for those who may change it: 404 for a package the caller cannot read
     * (as every read of it), 403 for a reader who does not maintain it.
     */
    public PackagePosture ofPackage(String pkg, Principal who) {
        switch (packages.access(pkg, who)) {
            case HIDDEN -> throw Problem.notFound("package " + Problem.clip(pkg) + " not found");
            case READER ->
                    throw Problem.forbidden(
                            "only the maintainers of "
                                    + Problem.clip(pkg)
                                    + " (and its organization's owners and admins) see its"
                                    + " posture");
            case MAINTAINER -> {}
        }
        PackageFacts p =
                packages.facts(pkg)
                        .orElseThrow(
                                () ->
                                        Problem.notFound(
                                                "package " + Problem.clip(pkg) + " not found"));
        Map<String, SecondFactorKind> factors = factors(p.maintainers());
        return new PackagePosture(
                p.name(), factors, Posture.of(PackageRules.steps(p, factors, links)));
    }

    /**
     * The single most important open step for {@code user} after a command: the account's own steps
     * and, when {@code pkg} is given, that package's (else every package it maintains).
     */
    public Optional<Step> nudge(String user, String pkg) {
        Instant now = clock.instant();
        List<PackageFacts> about =
                pkg == null ? maintained(user) : packages.facts(pkg).stream().toList();
        AccountFacts facts = accounts.read(user, now, critical(about));
        List<Step> steps = new ArrayList<>(AccountRules.steps(facts, now, links));
        for (PackageFacts p : about) {
            if (p.maintainers().contains(user)) {
                steps.addAll(PackageRules.steps(p, factors(p.maintainers()), links));
            }
        }
        return Posture.of(steps).first();
    }

    private List<PackageFacts> maintained(String user) {
        List<PackageFacts> out = new ArrayList<>();
        for (String name : packages.packagesOf(user)) {
            if (out.size() == MAX_PACKAGES) {
                break;
            }
            packages.facts(name).ifPresent(out::add);
        }
        return out;
    }

    private static boolean critical(List<PackageFacts> ps) {
        return ps.stream().anyMatch(p -> p.highImpact() || p.governed());
    }

    private Map<String, SecondFactorKind> factors(List<String> users) {
        return store.read(
                tx -> {
                    Map<String, SecondFactorKind> out = new LinkedHashMap<>();
                    for (String u : users) {
                        boolean passkey = !tx.passkeys().of(u).isEmpty();
                        boolean totp = tx.twoFactor().find(u).filter(r -> !r.pending()).isPresent();
                        out.put(
                                u,
                                passkey
                                        ? SecondFactorKind.PASSKEY
                                        : totp ? SecondFactorKind.TOTP : SecondFactorKind.NONE);
                    }
                    return out;
                });
    }

    private static int count(Posture p, Step.Importance i) {
        return (int) p.steps().stream().filter(s -> s.importance() == i).count();
    }
}
