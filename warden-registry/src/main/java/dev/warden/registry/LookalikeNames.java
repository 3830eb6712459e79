package dev.warden.registry;

import dev.warden.accounts.Principal;
import dev.warden.common.Problem;
import dev.warden.review.NameResemblance;
import dev.warden.review.PopularNames;
import dev.warden.review.Resemblance;
import dev.warden.storage.MetadataStore.ReadTx;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * Typosquatting at name creation: a new package name that resembles a popular package's is refused
 * with the name it resembles and how, unless the publisher holds the popular package too (maintains
 * it here, or holds its scope).
 *
 * <p>Popular names are the configured list (by default the shipped list of the public registry's
 * best-known packages) and this registry's own: the packages with at least {@link
 * Settings#minDependents()} dependents or {@link Settings#minWeeklyDownloads()} downloads in the
 * last 7 days, read again at most every {@link #REFRESH} (a name that becomes popular is protected
 * minutes later; reading them on every new name would cost a scan of the dependency graph).
 */
public final class LookalikeNames {

    static final Duration REFRESH = Duration.ofMinutes(10);

    /** The most of this registry's own names taken by each measure. */
    static final int MOST = 2_000;

    /**
     * @param refuse whether resembling names are refused at all
     * @param listed the configured popular names (the shipped list, a file, extra names)
     * @param minDependents this registry's packages with this many dependents are popular (0: none)
     * @param minWeeklyDownloads and those with this many downloads in the last 7 days (0: none)
     */
    public record Settings(
            boolean refuse, List<String> listed, int minDependents, long minWeeklyDownloads) {
        public Settings {
            listed = List.copyOf(listed);
        }

        /**
         * The shipped list; 20 dependents or 10,000 weekly downloads make a package popular here.
         */
        public static Settings defaults() {
            return new Settings(true, PopularNames.shipped(), 20, 10_000);
        }
    }

    private record Local(Instant at, List<String> names, NameResemblance index) {}

    private final Settings settings;
    private final NameResemblance listed;
    private volatile Local local;

    LookalikeNames(Settings settings) {
        this.settings = settings;
        this.listed = NameResemblance.of(settings.listed());
    }

    /**
     * Refuses a new name that resembles a popular one the publisher does not hold.
     *
     * @throws Problem 403 naming the popular package and how the name resembles it
     */
    void check(ReadTx tx, PackageName name, Principal principal, Instant now) {
        if (!settings.refuse()) {
            return;
        }
        Optional<Resemblance> r = listed.resembles(name.full());
        if (r.isEmpty() && !listed.isPopular(name.full())) {
            r = local(tx, now).index().resembles(name.full());
        }
        if (r.isEmpty() || holds(tx, r.get().popular(), principal.user())) {
            return;
        }
        throw Problem.forbidden(
                "the name "
                        + r.get().describe()
                        + "; a new package may not take a name that resembles a popular package's"
                        + " (typosquatting). Choose another name, or publish it from an account"
                        + " that maintains "
                        + r.get().popular());
    }

    /** Every popular name: the configured list, then this registry's own. */
    List<String> popularNames(ReadTx tx, Instant now) {
        return PopularNames.union(settings.listed(), local(tx, now).names());
    }

    /**
     * Whether {@code user} holds {@code popular}: maintains it here, or holds its scope (the
     * scope's owner, a member of the organization, the user whose name it is).
     */
    private static boolean holds(ReadTx tx, String popular, String user) {
        if (tx.packages().find(popular).isPresent() && Authority.mayMaintain(tx, popular, user)) {
            return true;
        }
        String scope = Authority.scopeOf(popular);
        if (scope == null) {
            return false;
        }
        if (tx.orgs().exists(scope)) {
            return tx.orgs().role(scope, user).isPresent();
        }
        return tx.scopes().owner(scope).map(user::equals).orElse(scope.equals(user));
    }

    private Local local(ReadTx tx, Instant now) {
        Local l = local;
        if (l != null && now.isBefore(l.at().plus(REFRESH)) && !now.isBefore(l.at())) {
            return l;
        }
        List<String> names =
                PopularNames.union(
                        settings.minDependents() <= 0
                                ? List.of()
                                : tx.dependencies().dependedUpon(settings.minDependents(), MOST),
                        settings.minWeeklyDownloads() <= 0
                                ? List.of()
                                : tx.downloads()
                                        .downloadedAtLeast(
                                                LocalDate.ofInstant(now, ZoneOffset.UTC)
                                                        .minusDays(6),
                                                settings.minWeeklyDownloads(),
                                                MOST));
        l = new Local(now, List.copyOf(names), NameResemblance.of(names));
        local = l;
        return l;
    }
}
