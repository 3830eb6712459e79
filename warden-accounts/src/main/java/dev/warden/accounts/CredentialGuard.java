package dev.warden.accounts;

import dev.warden.common.Problem;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.Transients;
import dev.warden.storage.Transients.Transient;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 * /64, which one client usually holds whole.
 *
 * <p>The streaks, sign-ins and watches are {@code Transients} records, each kept as long as it
 * matters (a streak a day after its last failure, a sign-in 30 days): every node counts against the
 * same streaks and a restart forgets none. Each check runs in one serialized write, so a refusal
 * changes nothing (its transaction rolls back) and parallel guesses on different nodes are counted
 * one after the other.
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

    /** Failures in a row, and when the last was. */
    private record Streak(int failures, Instant last) {
        String value() {
            return failures + " " + last;
        }

        static Streak of(Transient r) {
            String[] f = r.value().split(" ", 2);
            return new Streak(Integer.parseInt(f[0]), Instant.parse(f[1]));
        }
    }

    /** An account's failures in the current alert window, and when its owner was last told. */
    private record Watch(Instant start, int failures, Set<String> addresses, Instant alerted) {
        String value() {
            return start
                    + " "
                    + failures
                    + " "
                    + (alerted == null ? "-" : alerted.toString())
                    + " "
                    + String.join(",", addresses);
        }

        /** Kept while its window is open or while it remembers a notice of the last day. */
        Instant expires() {
            Instant windowEnds = start.plus(ALERT_WINDOW);
            if (alerted == null) {
                return windowEnds;
            }
            Instant quietEnds = alerted.plus(ALERT_PERIOD);
            return quietEnds.isAfter(windowEnds) ? quietEnds : windowEnds;
        }

        static Watch of(Transient r) {
            String[] f = r.value().split(" ", 4);
            Set<String> addresses = new LinkedHashSet<>();
            for (String a : f[3].split(",")) {
                if (!a.isEmpty()) {
                    addresses.add(a);
                }
            }
            return new Watch(
                    Instant.parse(f[0]),
                    Integer.parseInt(f[1]),
                    addresses,
                    f[2].equals("-") ? null : Instant.parse(f[2]));
        }
    }

    private final MetadataStore store;
    private final String secret;
    private final String alertKind;
    private final SecurityLog log;
    private final Clock clock;

    /** The records' kinds: {@code guard.<name>.pair} and so on. */
    private final String kinds;

    /**
     * @param name the guard's name among the records ("password", "otp")
     * @param secret what is guessed, for messages ("password")
     * @param alertKind the security event that tells the owner their account is being guessed at
     */
    CredentialGuard(
            MetadataStore store,
            String name,
            String secret,
            String alertKind,
            SecurityLog log,
            Clock clock) {
        this.store = store;
        this.kinds = "guard." + name + ".";
        this.secret = secret;
        this.alertKind = alertKind;
        this.log = log;
        this.clock = clock;
    }

    /** Per (account, address) and per address: the failures in a row. */
    private String pairs() {
        return kinds + "pair";
    }

    private String addresses() {
        return kinds + "address";
    }

    /** Per account: failures from addresses it has not signed in from recently. */
    private String accounts() {
        return kinds + "account";
    }

    /** Per (account, address): when it last signed in. */
    private String signedIn() {
        return kinds + "signed-in";
    }

    /** Per (account, network): when it was first tried from there, within {@link #FORGET}. */
    private String tried() {
        return kinds + "tried";
    }

    private String watches() {
        return kinds + "watch";
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
            store.writeDerived(
                    tx -> {
                        Transients t = tx.transients();
                        t.delete(pairs(), pair, now);
                        t.put(new Transient(signedIn(), pair, now.toString(), now.plus(KNOWN)));
                        if (address != null) {
                            uncount(t, addresses(), address, now);
                        }
                        if (stranger) {
                            uncount(t, accounts(), user, now);
                        }
                        return null;
                    });
        }

        /** The secret was wrong (it stays counted); the owner hears of it when failures pile up. */
        void failed() {
            Instant now = clock.instant();
            Optional<Watch> alert =
                    store.writeDerived(
                            tx -> {
                                Transients t = tx.transients();
                                t.purgeExpired(now);
                                Watch old = t.get(watches(), user, now).map(Watch::of).orElse(null);
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
                                boolean tell =
                                        failures >= ALERT_FAILURES
                                                && (current.alerted() == null
                                                        || !now.isBefore(
                                                                current.alerted()
                                                                        .plus(ALERT_PERIOD)));
                                Watch w =
                                        new Watch(
                                                current.start(),
                                                failures,
                                                from,
                                                tell ? now : current.alerted());
                                t.put(new Transient(watches(), user, w.value(), w.expires()));
                                return tell ? Optional.of(w) : Optional.<Watch>empty();
                            });
            alert.ifPresent(w -> alertOwner(user, w));
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
        String pair = user + " " + (address == null ? "" : address);
        boolean known =
                store.writeDerived(
                        tx -> {
                            Transients t = tx.transients();
                            boolean isKnown =
                                    t.get(signedIn(), pair, now)
                                            .map(
                                                    r ->
                                                            now.isBefore(
                                                                    Instant.parse(r.value())
                                                                            .plus(KNOWN)))
                                            .orElse(false);
                            // a refusal below throws, and the write rolls back what was counted
                            count(
                                    t,
                                    pairs(),
                                    pair,
                                    failures -> wait(failures, PAIR_FREE, MAX_WAIT),
                                    now,
                                    "too many wrong "
                                            + secret
                                            + "s for "
                                            + user
                                            + " from this address");
                            if (address != null) {
                                count(
                                        t,
                                        addresses(),
                                        address,
                                        failures ->
                                                isKnown
                                                        ? Duration.ZERO
                                                        : wait(failures, ADDRESS_FREE, MAX_WAIT),
                                        now,
                                        "too many wrong " + secret + "s from this address");
                            }
                            if (!isKnown) {
                                // the first attempt from a network the account was never tried
                                // from is not paced
                                String network =
                                        user + " " + (from == null ? "" : networkKey(from));
                                boolean first =
                                        t.get(tried(), network, now)
                                                .map(
                                                        r ->
                                                                now.isAfter(
                                                                        Instant.parse(r.value())
                                                                                .plus(FORGET)))
                                                .orElse(true);
                                if (first) {
                                    t.put(
                                            new Transient(
                                                    tried(),
                                                    network,
                                                    now.toString(),
                                                    now.plus(FORGET)));
                                }
                                count(
                                        t,
                                        accounts(),
                                        user,
                                        failures ->
                                                first
                                                        ? Duration.ZERO
                                                        : wait(
                                                                failures,
                                                                ACCOUNT_FREE,
                                                                ACCOUNT_MAX_WAIT),
                                        now,
                                        "the account "
                                                + user
                                                + " is under attack (too many wrong "
                                                + secret
                                                + "s), so attempts on it from addresses it has"
                                                + " not signed in from recently are paced");
                            }
                            return isKnown;
                        });
        return new Attempt(user, address, pair, !known);
    }

    /** Refuses while {@code key} must wait after its failures, else counts one more. */
    private static void count(
            Transients t,
            String kind,
            String key,
            IntFunction<Duration> wait,
            Instant now,
            String refusal) {
        Streak s =
                t.get(kind, key, now)
                        .map(Streak::of)
                        .filter(old -> !now.isAfter(old.last().plus(FORGET)))
                        .orElse(new Streak(0, now));
        Instant until = s.last().plus(wait.apply(s.failures()));
        if (now.isBefore(until)) {
            throw Problem.tooManyRequests(refusal, Duration.between(now, until));
        }
        Streak next = new Streak(s.failures() + 1, now);
        t.put(new Transient(kind, key, next.value(), now.plus(FORGET)));
    }

    /** Takes back the failure an attempt counted when it began. */
    private static void uncount(Transients t, String kind, String key, Instant now) {
        t.get(kind, key, now)
                .map(Streak::of)
                .ifPresent(
                        s -> {
                            if (s.failures() <= 1) {
                                t.delete(kind, key, now);
                            } else {
                                t.put(
                                        new Transient(
                                                kind,
                                                key,
                                                new Streak(s.failures() - 1, s.last()).value(),
                                                s.last().plus(FORGET)));
                            }
                        });
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
}
