package dev.warden.accounts;

import dev.warden.common.Problem;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

/**
 * Brute-force protection for one kind of secret (passwords, one-time passwords) that an attacker
 * cannot turn against the account's owner.
 *
 * <p>Design: wrong guesses are counted per (account, address) pair, per address, and per account. A
 * pair that keeps failing waits, after {@link #PAIR_FREE} free failures, 2^n seconds from its last
 * failure, at most {@link #MAX_WAIT}; an address that fails across accounts waits likewise after
 * {@link #ADDRESS_FREE}. An address is not held back for failures on other accounts where this
 * account signed in from it recently (many people behind one NAT).
 *
 * <p>Those two bounds alone would let a guesser who holds many addresses (an IPv6 /48 is 65,536
 * /64s, each with its free failures) guess without limit, at hundreds of thousands of codes an
 * hour. So the account's failures from addresses that have not signed in to it within {@link
 * #KNOWN} count too: after {@link #ACCOUNT_FREE} of them with no pause of a day, the account is
 * under attack and attempts on it from such addresses are paced account-wide, whichever address
 * they come from: one at a time, 1, 2, 4... seconds after the last, at most {@link
 * #ACCOUNT_MAX_WAIT}. That leaves a guesser about one try a minute (a six-digit code, of which a
 * time window accepts three, then takes months on average), while the cap stays small enough to
 * cost the owner only a short wait from a new address: the 429 says how long. (A guesser who takes
 * each turn the moment it comes can make a new address try more than once; it cannot be told from
 * the owner there.) An address the account signed in from within {@link #KNOWN} is never paced by
 * the account, nor adds to its count: the owner at home signs in at once during an attack. Nor is
 * the first attempt on the account from a network that has not tried it yet (an IPv4 address, an
 * IPv6 /48): the right secret from an address with no failures is always accepted, and a guesser
 * gets one such attempt per network it holds, not per /64. Nobody is locked out.
 *
 * <p>The owner hears of it: at {@link #ALERT_FAILURES} failures within an hour they are mailed,
 * through the security history, at most once a day.
 *
 * <p>An attempt counts as a failure from the moment it starts until it succeeds, so parallel
 * guesses cannot all pass the check before any failure is recorded. An IPv6 client counts as its
 * /64, which one client usually holds whole. In memory: a restart forgets.
 */
final class CredentialGuard {

    static final int PAIR_FREE = 5;
    static final int ADDRESS_FREE = 20;
    static final Duration MAX_WAIT = Duration.ofMinutes(15);

    /**
     * Failures an account takes from addresses it has not signed in from before they are paced
     * account-wide.
     */
    static final int ACCOUNT_FREE = 30;

    /**
     * The longest an account under attack makes an attempt from an address it does not know wait.
     */
    static final Duration ACCOUNT_MAX_WAIT = Duration.ofSeconds(60);

    static final int ALERT_FAILURES = 10;
    private static final Duration ALERT_WINDOW = Duration.ofHours(1);
    private static final Duration ALERT_PERIOD = Duration.ofDays(1);

    /** A streak with no failure for this long is forgotten. */
    private static final Duration FORGET = Duration.ofDays(1);

    /** How long a successful sign-in exempts its pair from the address's backoff. */
    private static final Duration KNOWN = Duration.ofDays(30);

    private static final int MAX_ENTRIES = 100_000;

    private record Streak(int failures, Instant last) {}

    /** An account's failures in the current alert window, and when its owner was last told. */
    private record Watch(Instant start, int failures, Set<String> addresses, Instant alerted) {}

    private final String secret;
    private final String alertKind;
    private final SecurityLog log;
    private final Clock clock;
    private final ConcurrentHashMap<String, Streak> pairs = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Streak> addresses = new ConcurrentHashMap<>();

    /** Per account: failures from addresses it has not signed in from recently. */
    private final ConcurrentHashMap<String, Streak> accounts = new ConcurrentHashMap<>();

    private final ConcurrentHashMap<String, Instant> signedIn = new ConcurrentHashMap<>();

    /** Per (account, network): when it was first tried from there, within {@link #FORGET}. */
    private final ConcurrentHashMap<String, Instant> tried = new ConcurrentHashMap<>();

    private final ConcurrentHashMap<String, Watch> watches = new ConcurrentHashMap<>();

    /**
     * @param secret what is guessed, for messages ("password")
     * @param alertKind the security event that tells the owner their account is being guessed at
     */
    CredentialGuard(String secret, String alertKind, SecurityLog log, Clock clock) {
        this.secret = secret;
        this.alertKind = alertKind;
        this.log = log;
        this.clock = clock;
    }

    /** A check of a secret in progress: a failure unless it {@link #succeeded}. */
    final class Attempt {
        private final String user;
        private final String address;
        private final String pair;

        /** Whether it counts toward the account's failures from addresses it does not know. */
        private final boolean stranger;

        private Attempt(String user, String address, String pair, boolean stranger) {
            this.user = user;
            this.address = address;
            this.pair = pair;
            this.stranger = stranger;
        }

        /**
         * The secret was right: the pair's streak ends and the pair is known from now on. The
         * account's count only loses this attempt: a right secret does not end an attack.
         */
        void succeeded() {
            Instant now = clock.instant();
            pairs.remove(pair);
            signedIn.put(pair, now);
            if (address != null) {
                uncount(addresses, address);
            }
            if (stranger) {
                uncount(accounts, user);
            }
        }

        /** The secret was wrong (it stays counted); the owner hears of it when failures pile up. */
        void failed() {
            Instant now = clock.instant();
            boolean[] alert = {false};
            Watch w =
                    watches.compute(
                            user,
                            (k, old) -> {
                                Watch current =
                                        old == null || now.isAfter(old.start().plus(ALERT_WINDOW))
                                                ? new Watch(
                                                        now,
                                                        0,
                                                        Set.of(),
                                                        old == null ? null : old.alerted())
                                                : old;
                                Set<String> from = current.addresses();
                                if (address != null
                                        && from.size() < 20
                                        && !from.contains(address)) {
                                    from = new LinkedHashSet<>(from);
                                    from.add(address);
                                }
                                int failures = current.failures() + 1;
                                if (failures >= ALERT_FAILURES
                                        && (current.alerted() == null
                                                || !now.isBefore(
                                                        current.alerted().plus(ALERT_PERIOD)))) {
                                    alert[0] = true;
                                    return new Watch(current.start(), failures, from, now);
                                }
                                return new Watch(
                                        current.start(), failures, from, current.alerted());
                            });
            if (alert[0]) {
                alertOwner(user, w);
            }
        }
    }

    /**
     * Starts checking a secret of {@code user} sent from {@code from}: refuses with 429 (and when
     * to try again) while the pair, the address, or (for an address the account has not signed in
     * from recently) the account under attack must wait; otherwise counts a failure until the
     * attempt succeeds.
     */
    Attempt begin(String user, InetAddress from) {
        Instant now = clock.instant();
        String address = from == null ? null : addressKey(from);
        String pair = user + "\u0000" + (address == null ? "" : address);
        Instant signedInAt = signedIn.get(pair);
        boolean known = signedInAt != null && now.isBefore(signedInAt.plus(KNOWN));
        count(
                pairs,
                pair,
                failures -> wait(failures, PAIR_FREE, MAX_WAIT),
                now,
                "too many wrong " + secret + "s for " + user + " from this address");
        try {
            if (address != null) {
                count(
                        addresses,
                        address,
                        failures -> known ? Duration.ZERO : wait(failures, ADDRESS_FREE, MAX_WAIT),
                        now,
                        "too many wrong " + secret + "s from this address");
            }
            if (!known) {
                // the first attempt from a network the account was never tried from is not paced
                // (claimed at once, so
                // parallel attempts from it do not all pass as first)
                String network = user + "\u0000" + (from == null ? "" : networkKey(from));
                boolean[] first = {false};
                tried.compute(
                        network,
                        (k, at) -> {
                            first[0] = at == null || now.isAfter(at.plus(FORGET));
                            return first[0] ? now : at;
                        });
                try {
                    count(
                            accounts,
                            user,
                            failures ->
                                    first[0]
                                            ? Duration.ZERO
                                            : wait(failures, ACCOUNT_FREE, ACCOUNT_MAX_WAIT),
                            now,
                            "the account "
                                    + user
                                    + " is under attack (too many wrong "
                                    + secret
                                    + "s), so attempts on it from"
                                    + " addresses it has not signed in from recently are paced");
                } catch (Problem p) {
                    if (address != null) {
                        uncount(addresses, address);
                    }
                    throw p;
                }
            }
        } catch (Problem p) {
            uncount(pairs, pair);
            throw p;
        }
        if (pairs.size()
                        + addresses.size()
                        + accounts.size()
                        + signedIn.size()
                        + watches.size()
                        + tried.size()
                > MAX_ENTRIES) {
            evict(now);
        }
        return new Attempt(user, address, pair, !known);
    }

    /** Refuses while {@code key} must wait after its failures, else counts one more. */
    private static void count(
            Map<String, Streak> streaks,
            String key,
            IntFunction<Duration> wait,
            Instant now,
            String refusal) {
        streaks.compute(
                key,
                (k, old) -> {
                    Streak s =
                            old == null || now.isAfter(old.last().plus(FORGET))
                                    ? new Streak(0, now)
                                    : old;
                    Instant until = s.last().plus(wait.apply(s.failures()));
                    if (now.isBefore(until)) {
                        throw Problem.tooManyRequests(refusal, Duration.between(now, until));
                    }
                    return new Streak(s.failures() + 1, now);
                });
    }

    /** Takes back the failure an attempt counted when it began. */
    private static void uncount(Map<String, Streak> streaks, String key) {
        streaks.computeIfPresent(
                key, (k, s) -> s.failures() <= 1 ? null : new Streak(s.failures() - 1, s.last()));
    }

    /**
     * After {@code failures}, how long from the last one: nothing while free, then 1, 2, 4...
     * seconds, at most {@code cap}.
     */
    static Duration wait(int failures, int free, Duration cap) {
        if (failures < free) {
            return Duration.ZERO;
        }
        int doublings = failures - free;
        return doublings >= 20 ? cap : min(Duration.ofSeconds(1L << doublings), cap);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /**
     * The network an address belongs to for the account's pacing: itself for IPv4, its /48 for IPv6
     * (what one site is given).
     */
    static String networkKey(InetAddress address) {
        return AddressKeys.network(address);
    }

    /** What an address counts as: itself for IPv4, its /64 for IPv6. */
    static String addressKey(InetAddress address) {
        return AddressKeys.client(address);
    }

    private void alertOwner(String user, Watch w) {
        String from =
                w.addresses().isEmpty()
                        ? ""
                        : " from "
                                + (w.addresses().size() == 1
                                        ? ""
                                        : w.addresses().size() + " addresses: ")
                                + String.join(", ", w.addresses());
        log.alert(
                user,
                alertKind,
                Map.of("failures", w.failures(), "addresses", w.addresses()),
                "Warden security notice: someone is guessing your " + secret,
                "Wrong "
                        + secret
                        + "s were tried for your Warden account "
                        + user
                        + " "
                        + w.failures()
                        + " times since "
                        + w.start()
                        + from
                        + ".\n\n"
                        + "Your account is not locked: you can still sign in, and the addresses"
                        + " that keep failing are slowed down. While the guessing goes on, a second"
                        + " try after a wrong one from an address you have not signed in from in"
                        + " the last "
                        + KNOWN.toDays()
                        + " days may have to wait up to "
                        + ACCOUNT_MAX_WAIT.toSeconds()
                        + " seconds; a first try from a new address, or any from one you have"
                        + " signed in from, does not. If these were not your attempts, make sure"
                        + " your password is long and used nowhere else, and turn on two-factor"
                        + " authentication (npm profile enable-2fa).\n\n"
                        + "You will get at most one such notice a day.\n");
    }

    private void evict(Instant now) {
        pairs.values().removeIf(s -> now.isAfter(s.last().plus(FORGET)));
        addresses.values().removeIf(s -> now.isAfter(s.last().plus(FORGET)));
        accounts.values().removeIf(s -> now.isAfter(s.last().plus(FORGET)));
        signedIn.values().removeIf(at -> now.isAfter(at.plus(KNOWN)));
        tried.values().removeIf(at -> now.isAfter(at.plus(FORGET)));
        watches.values()
                .removeIf(
                        w ->
                                now.isAfter(w.start().plus(ALERT_WINDOW))
                                        && (w.alerted() == null
                                                || now.isAfter(w.alerted().plus(ALERT_PERIOD))));
        // still too many: forget the streaks that hold nobody back yet
        if (pairs.size() + addresses.size() + accounts.size() > MAX_ENTRIES) {
            pairs.values().removeIf(s -> s.failures() < PAIR_FREE);
            addresses.values().removeIf(s -> s.failures() < ADDRESS_FREE);
            accounts.values().removeIf(s -> s.failures() < ACCOUNT_FREE);
        }
    }
}
