package dev.warden.accounts;

import dev.warden.common.Problem;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Brute-force protection for one kind of secret (passwords, one-time passwords) that an attacker
 * cannot turn against the account's owner.
 *
 * <p>Design: wrong guesses are counted per (account, address) pair and per address, and never
 * refused per account. A pair that keeps failing waits, after {@link #PAIR_FREE} free failures,
 * 2^n seconds from its last failure, at most {@link #MAX_WAIT}; an address that fails across
 * accounts waits likewise after {@link #ADDRESS_FREE}. Nobody is locked out: the guesser is slowed
 * down, and the owner's correct secret from an address that has not been failing is accepted
 * however many failures other addresses ran up. An address is not held back for failures on
 * other accounts where this account signed in from it recently (many people behind one NAT).
 * Failures per account only raise an alert: at {@link #ALERT_FAILURES} within an hour the owner
 * is mailed, through the security history, at most once a day.
 *
 * <p>An attempt counts as a failure from the moment it starts until it succeeds, so parallel
 * guesses cannot all pass the check before any failure is recorded. An IPv6 client counts as its
 * /64, which one client usually holds whole. In memory: a restart forgets.
 */
final class CredentialGuard {

    static final int PAIR_FREE = 5;
    static final int ADDRESS_FREE = 20;
    static final Duration MAX_WAIT = Duration.ofMinutes(15);
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
    private final ConcurrentHashMap<String, Instant> signedIn = new ConcurrentHashMap<>();
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

        private Attempt(String user, String address, String pair) {
            this.user = user;
            this.address = address;
            this.pair = pair;
        }

        /** The secret was right: the pair's streak ends and the pair is known from now on. */
        void succeeded() {
            Instant now = clock.instant();
            pairs.remove(pair);
            signedIn.put(pair, now);
            if (address != null) {
                uncount(addresses, address);
            }
        }

        /** The secret was wrong (it stays counted); the owner hears of it when failures pile up. */
        void failed() {
            Instant now = clock.instant();
            boolean[] alert = {false};
            Watch w = watches.compute(user, (k, old) -> {
                Watch current = old == null || now.isAfter(old.start().plus(ALERT_WINDOW))
                        ? new Watch(now, 0, Set.of(), old == null ? null : old.alerted())
                        : old;
                Set<String> from = current.addresses();
                if (address != null && from.size() < 20 && !from.contains(address)) {
                    from = new LinkedHashSet<>(from);
                    from.add(address);
                }
                int failures = current.failures() + 1;
                if (failures >= ALERT_FAILURES && (current.alerted() == null || !now.isBefore(current.alerted().plus(ALERT_PERIOD)))) {
                    alert[0] = true;
                    return new Watch(current.start(), failures, from, now);
                }
                return new Watch(current.start(), failures, from, current.alerted());
            });
            if (alert[0]) {
                alertOwner(user, w);
            }
        }
    }

    /**
     * Starts checking a secret of {@code user} sent from {@code from}: refuses with 429 (and when
     * to try again) while the pair, or the address, must wait; otherwise counts a failure until
     * the attempt succeeds.
     */
    Attempt begin(String user, InetAddress from) {
        Instant now = clock.instant();
        String address = from == null ? null : addressKey(from);
        String pair = user + "\u0000" + (address == null ? "" : address);
        count(pairs, pair, PAIR_FREE, now, "too many wrong " + secret + "s for " + user + " from this address");
        if (address != null) {
            Instant known = signedIn.get(pair);
            boolean exempt = known != null && now.isBefore(known.plus(KNOWN));
            try {
                count(addresses, address, exempt ? Integer.MAX_VALUE : ADDRESS_FREE, now, "too many wrong " + secret + "s from this address");
            } catch (Problem p) {
                uncount(pairs, pair);
                throw p;
            }
        }
        if (pairs.size() + addresses.size() + signedIn.size() + watches.size() > MAX_ENTRIES) {
            evict(now);
        }
        return new Attempt(user, address, pair);
    }

    /** Refuses while {@code key} must wait after its failures, else counts one more. */
    private static void count(Map<String, Streak> streaks, String key, int free, Instant now, String refusal) {
        streaks.compute(key, (k, old) -> {
            Streak s = old == null || now.isAfter(old.last().plus(FORGET)) ? new Streak(0, now) : old;
            Instant until = s.last().plus(wait(s.failures(), free));
            if (now.isBefore(until)) {
                throw Problem.tooManyRequests(refusal, Duration.between(now, until));
            }
            return new Streak(s.failures() + 1, now);
        });
    }

    /** Takes back the failure an attempt counted when it began. */
    private static void uncount(Map<String, Streak> streaks, String key) {
        streaks.computeIfPresent(key, (k, s) -> s.failures() <= 1 ? null : new Streak(s.failures() - 1, s.last()));
    }

    /** After {@code failures}, how long from the last one: nothing while free, then 1, 2, 4... seconds, capped. */
    static Duration wait(int failures, int free) {
        if (failures < free) {
            return Duration.ZERO;
        }
        int doublings = failures - free;
        return doublings >= 20 ? MAX_WAIT : min(Duration.ofSeconds(1L << doublings), MAX_WAIT);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** What an address counts as: itself for IPv4, its /64 for IPv6. */
    static String addressKey(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] prefix = Arrays.copyOf(address.getAddress(), 16);
            Arrays.fill(prefix, 8, 16, (byte) 0);
            try {
                return InetAddress.getByAddress(prefix).getHostAddress() + "/64";
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        return address.getHostAddress();
    }

    private void alertOwner(String user, Watch w) {
        String from = w.addresses().isEmpty() ? "" : " from " + (w.addresses().size() == 1 ? "" : w.addresses().size() + " addresses: ")
                + String.join(", ", w.addresses());
        log.alert(user, alertKind, Map.of("failures", w.failures(), "addresses", w.addresses()),
                "Warden security notice: someone is guessing your " + secret,
                "Wrong " + secret + "s were tried for your Warden account " + user + " " + w.failures() + " times since " + w.start()
                        + from + ".\n\nYour account is not locked: you can still sign in, and the addresses that keep failing are"
                        + " slowed down. If these were not your attempts, make sure your password is long and used nowhere else,"
                        + " and turn on two-factor authentication (npm profile enable-2fa).\n\nYou will get at most one such notice a day.\n");
    }

    private void evict(Instant now) {
        pairs.values().removeIf(s -> now.isAfter(s.last().plus(FORGET)));
        addresses.values().removeIf(s -> now.isAfter(s.last().plus(FORGET)));
        signedIn.values().removeIf(at -> now.isAfter(at.plus(KNOWN)));
        watches.values().removeIf(w -> now.isAfter(w.start().plus(ALERT_WINDOW))
                && (w.alerted() == null || now.isAfter(w.alerted().plus(ALERT_PERIOD))));
        // still too many: forget the streaks that hold nobody back yet
        if (pairs.size() + addresses.size() > MAX_ENTRIES) {
            pairs.values().removeIf(s -> s.failures() < PAIR_FREE);
            addresses.values().removeIf(s -> s.failures() < ADDRESS_FREE);
        }
    }
}
