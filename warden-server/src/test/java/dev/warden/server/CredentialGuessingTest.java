package dev.warden.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.server.testing.Authenticator;
import dev.warden.server.testing.Http;
import dev.warden.server.testing.MovableClock;
import dev.warden.server.testing.Outbox;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * Guessing passwords and one-time passwords: the guesser's address backs off, an account guessed at
 * from many addresses paces the addresses it does not know, the owner is never locked out and is
 * told; sign-ups have their own rate. The server trusts 127.0.0.1 as a reverse proxy, so each test
 * names the client's address in {@code X-Forwarded-For}.
 */
class CredentialGuessingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    MovableClock clock;
    TestServer server;
    Http http;

    @BeforeEach
    void start() throws Exception {
        clock = new MovableClock();
        // the owner signs in from many addresses here: the step-up of new addresses is
        // NewAddressSignInTest's
        server =
                TestServer.start(
                        Map.of(
                                "server.trusted_proxies",
                                "[\"127.0.0.1\"]",
                                "awareness.step_up_new_addresses",
                                "false"),
                        clock);
        http = server.http();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    /**
     * npm login (legacy auth type): the CouchDB user document with the password, and the OTP if
     * given.
     */
    private static Http.Result login(Http from, String user, String password, String otp)
            throws Exception {
        Map<String, String> headers = new HashMap<>();
        headers.put("Content-Type", "application/json");
        if (otp != null) {
            headers.put("npm-otp", otp);
        }
        byte[] body =
                JSON.writeValueAsBytes(
                        Map.of(
                                "_id",
                                "org.couchdb.user:" + user,
                                "name",
                                user,
                                "password",
                                password,
                                "email",
                                user + "@example.com",
                                "type",
                                "user",
                                "roles",
                                List.of()));
        return from.send("PUT", "/-/user/org.couchdb.user:" + user, null, body, headers);
    }

    /**
     * The same attempt again once the backoff it was answered with has passed, so that every guess
     * is a real one.
     */
    private Http.Result patiently(Attempt attempt) throws Exception {
        Http.Result r = attempt.run();
        while (r.status() == 429) {
            clock.advance(Duration.ofSeconds(Long.parseLong(r.header("Retry-After"))));
            r = attempt.run();
        }
        return r;
    }

    private interface Attempt {
        Http.Result run() throws Exception;
    }

    private int tokens(String user) {
        return server.server().accounts().tokens(user).size();
    }

    /** The addresses the security history recorded for events of {@code kind}. */
    private static List<String> addressesOf(Http http, String token, String kind) throws Exception {
        JsonNode events =
                http.get("/-/warden/v1/security-events?limit=500", token, Map.of())
                        .json()
                        .path("events");
        return StreamSupport.stream(events.spliterator(), false)
                .filter(e -> e.path("kind").asText().equals(kind))
                .map(e -> e.path("address").asText())
                .collect(Collectors.toList());
    }

    @Test
    void tenWrongPasswordsFromOneAddressDoNotLockTheOwnerOut() throws Exception {
        server.token("alice");
        int before = tokens("alice");
        Http attacker = http.from("203.0.113.10");
        for (int i = 0; i < 10; i++) {
            String guess = "wrong-password-" + i;
            Http.Result r = patiently(() -> login(attacker, "alice", guess, null));
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.error()).isEqualTo("incorrect user name or password");
        }
        // the attacker's address waits, even with the right password...
        Http.Result waiting = login(attacker, "alice", TestServer.password("alice"), null);
        assertThat(waiting.status()).isEqualTo(429);
        assertThat(waiting.error())
                .isEqualTo(
                        "too many wrong passwords for alice from this address; try again in 32"
                                + " seconds");
        assertThat(waiting.header("Retry-After")).isEqualTo("32");
        assertThat(tokens("alice")).isEqualTo(before);
        // ...while the owner, from an address that has not been guessing, signs in at once
        Http.Result owner =
                login(http.from("198.51.100.20"), "alice", TestServer.password("alice"), null);
        assertThat(owner.status()).as(owner.body()).isEqualTo(201);
        assertThat(tokens("alice")).isEqualTo(before + 1);
        String basic =
                java.util.Base64.getEncoder()
                        .encodeToString(
                                ("alice:" + TestServer.password("alice"))
                                        .getBytes(StandardCharsets.UTF_8));
        assertThat(
                        http.from("198.51.100.21")
                                .get("/-/whoami", null, Map.of("Authorization", "Basic " + basic))
                                .status())
                .isEqualTo(200);
    }

    @Test
    void theBackoffOfAGuessingPairDoublesUpToItsCap() throws Exception {
        server.token("bert");
        Http attacker = http.from("203.0.113.11");
        for (int i = 0; i < 5; i++) {
            assertThat(login(attacker, "bert", "free-guess-" + i, null).status()).isEqualTo(401);
        }
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Http.Result refused = login(attacker, "bert", "guess-" + i, null);
            assertThat(refused.status()).isEqualTo(429);
            long wait = Long.parseLong(refused.header("Retry-After"));
            waits.add(wait);
            // a refused attempt is not counted: waiting one second less is still refused with the
            // rest of the wait
            clock.advance(Duration.ofSeconds(wait - 1));
            if (wait > 1) {
                assertThat(login(attacker, "bert", "guess-" + i, null).header("Retry-After"))
                        .isEqualTo("1");
            }
            clock.advance(Duration.ofSeconds(1));
            assertThat(login(attacker, "bert", "guess-" + i, null).status()).isEqualTo(401);
        }
        assertThat(waits)
                .containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 64L, 128L, 256L, 512L, 900L, 900L);
        Http.Result capped = login(attacker, "bert", "one-more", null);
        assertThat(capped.error())
                .isEqualTo(
                        "too many wrong passwords for bert from this address; try again in 15"
                                + " minutes");
        assertThat(
                        login(http.from("198.51.100.30"), "bert", TestServer.password("bert"), null)
                                .status())
                .isEqualTo(201);
    }

    @Test
    void wrongOneTimePasswordsFromFiveAddressesDoNotStopTheOwnersCode() throws Exception {
        String token = server.token("bob");
        Authenticator app = server.enableTwoFactor("bob", token, "auth-only", clock);
        int before = tokens("bob");
        String wrong = wrongCode(app);
        int refused = 0;
        for (int a = 1; a <= 5; a++) {
            Http attacker = http.from("203.0.113." + a);
            for (int i = 0; i < 40; i++) {
                Http.Result r = login(attacker, "bob", TestServer.password("bob"), wrong);
                if (r.status() == 429) {
                    refused++;
                    assertThat(r.error())
                            .isEqualTo(
                                    "too many wrong one-time passwords for bob from this address;"
                                            + " try again in 1 second");
                } else {
                    assertThat(r.status()).isEqualTo(401);
                    assertThat(r.header("WWW-Authenticate")).isEqualTo("OTP");
                }
            }
        }
        assertThat(refused).isEqualTo(5 * 35);
        assertThat(tokens("bob")).isEqualTo(before);

        Http.Result owner =
                login(http.from("198.51.100.40"), "bob", TestServer.password("bob"), app.next());
        assertThat(owner.status()).as(owner.body()).isEqualTo(201);
        assertThat(tokens("bob")).isEqualTo(before + 1);
        // and the web sign-in, from another clean address
        Http.Result web =
                webSignIn(
                        http.from("198.51.100.41"), "bob", TestServer.password("bob"), app.next());
        assertThat(web.status()).as(web.body()).isEqualTo(303);
        assertThat(web.header("Set-Cookie")).startsWith("warden_session=");
    }

    /** A six-digit code the authenticator would not give around now. */
    private String wrongCode(Authenticator app) {
        long step = clock.instant().getEpochSecond() / 30;
        List<String> valid =
                List.of(
                        app.codeFor(step - 1),
                        app.codeFor(step),
                        app.codeFor(step + 1),
                        app.codeFor(step + 2));
        for (int c = 100000; ; c++) {
            if (!valid.contains(Integer.toString(c))) {
                return Integer.toString(c);
            }
        }
    }

    private static Http.Result webSignIn(Http from, String user, String password, String otp)
            throws Exception {
        Http.Result page = from.get("/-/web/signin");
        String cookie = page.header("Set-Cookie").split(";")[0];
        String csrf =
                Pattern.compile("name=\"csrf\" value=\"([0-9a-f]+)\"")
                        .matcher(page.body())
                        .results()
                        .findFirst()
                        .orElseThrow()
                        .group(1);
        String form =
                "csrf="
                        + csrf
                        + "&username="
                        + user
                        + "&password="
                        + URLEncoder.encode(password, StandardCharsets.UTF_8)
                        + (otp == null ? "" : "&otp=" + otp);
        return from.send(
                "POST",
                "/-/web/signin",
                null,
                form.getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/x-www-form-urlencoded", "Cookie", cookie));
    }

    @Test
    void fiftyFailuresFromOneAddressSlowItDownButBlockNoOneElse() throws Exception {
        server.token("carol");
        server.token("erin");
        Http shared = http.from("203.0.113.50");
        // carol has signed in from this address before (a neighbour behind the same NAT)
        assertThat(login(shared, "carol", TestServer.password("carol"), null).status())
                .isEqualTo(201);
        for (int i = 0; i < 50; i++) {
            String name = "sprayed" + i;
            String basic =
                    java.util.Base64.getEncoder()
                            .encodeToString(
                                    (name + ":Summer2024!").getBytes(StandardCharsets.UTF_8));
            Http.Result r =
                    patiently(
                            () ->
                                    shared.get(
                                            "/-/whoami",
                                            null,
                                            Map.of("Authorization", "Basic " + basic)));
            assertThat(r.status()).isEqualTo(401);
        }
        // the guessing address waits, whichever account it tries next
        Http.Result slowed = webSignIn(shared, "erin", "Winter2024!", null);
        assertThat(slowed.status()).isEqualTo(429);
        assertThat(slowed.body())
                .contains("too many wrong passwords from this address; try again in 15 minutes");
        assertThat(slowed.header("Retry-After")).isEqualTo("900");
        // nobody else does: erin from her own address, carol where she signed in before, and new
        // sign-ups from the same address
        assertThat(
                        login(http.from("198.51.100.60"), "erin", TestServer.password("erin"), null)
                                .status())
                .isEqualTo(201);
        assertThat(login(shared, "carol", TestServer.password("carol"), null).status())
                .isEqualTo(201);
        Http.Result signUp = login(shared, "newcomer", TestServer.password("newcomer"), null);
        assertThat(signUp.status()).as(signUp.body()).isEqualTo(201);
    }

    @Test
    void theOwnerIsMailedOnceADayWhileTheirAccountIsGuessedAt() throws Exception {
        String token = server.token("gina");
        for (int i = 0; i < 12; i++) {
            assertThat(
                            login(
                                            http.from("203.0.113." + (60 + i % 3)),
                                            "gina",
                                            "guess-" + i,
                                            null)
                                    .status())
                    .isEqualTo(401);
        }
        List<String> alerts = alerts("gina@example.com");
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0))
                .contains(
                        "Wrong passwords were tried for your Warden account gina 10 times",
                        "from 3 addresses",
                        "203.0.113.60",
                        "203.0.113.61",
                        "203.0.113.62",
                        "Your account is not locked");
        assertThat(addressesOf(http, token, "password.guessing")).hasSize(1);
        for (int i = 0; i < 12; i++) {
            assertThat(
                            login(http.from("203.0.113." + (70 + i % 3)), "gina", "more-" + i, null)
                                    .status())
                    .isEqualTo(401);
        }
        assertThat(alerts("gina@example.com")).hasSize(1);
        clock.advance(Duration.ofHours(25));
        for (int i = 0; i < 10; i++) {
            assertThat(
                            login(
                                            http.from("203.0.113." + (80 + i % 3)),
                                            "gina",
                                            "later-" + i,
                                            null)
                                    .status())
                    .isEqualTo(401);
        }
        assertThat(alerts("gina@example.com")).hasSize(2);
        assertThat(
                        login(http.from("198.51.100.70"), "gina", TestServer.password("gina"), null)
                                .status())
                .isEqualTo(201);
    }

    private List<String> alerts(String to) throws Exception {
        return Outbox.mailTo(server.data(), to).stream()
                .filter(
                        m ->
                                m.startsWith(
                                        "Warden security notice: someone is guessing your"
                                                + " password"))
                .toList();
    }

    @Test
    void signUpsFromOneAddressHaveTheirOwnRate() throws Exception {
        Http a = http.from("203.0.113.90");
        for (int i = 0; i < 20; i++) {
            assertThat(login(a, "joiner" + i, TestServer.password("joiner" + i), null).status())
                    .isEqualTo(201);
        }
        Http.Result refused = login(a, "joiner20", TestServer.password("joiner20"), null);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.error())
                .isEqualTo("too many accounts created from this address; try again in 60 minutes");
        assertThat(refused.header("Retry-After")).isEqualTo("3600");
        assertThat(http.get("/-/user/org.couchdb.user:joiner20").status()).isEqualTo(404);
        // another address has its own allowance, and this one's comes back as the hour passes
        assertThat(
                        login(
                                        http.from("198.51.100.90"),
                                        "joiner20",
                                        TestServer.password("joiner20"),
                                        null)
                                .status())
                .isEqualTo(201);
        clock.advance(Duration.ofHours(1));
        assertThat(login(a, "joiner21", TestServer.password("joiner21"), null).status())
                .isEqualTo(201);
    }

    @Test
    void xForwardedForFromATrustedProxyNamesTheClient() throws Exception {
        try (TestServer proxied =
                TestServer.start(
                        Map.of("server.trusted_proxies", "[\"127.0.0.1\", \"10.0.0.0/8\"]"),
                        clock)) {
            String token = proxied.token("ivan");
            Http h = proxied.http();
            // no X-Forwarded-For: the proxy itself is the client
            assertThat(login(h, "ivan", "wrong-password", null).status()).isEqualTo(401);
            // the client wrote 198.51.100.1 itself; the proxies appended what they saw:
            // 203.0.113.7, then an inner proxy
            assertThat(
                            login(
                                            h.from("198.51.100.1, 203.0.113.7, 10.1.2.3"),
                                            "ivan",
                                            "wrong-password",
                                            null)
                                    .status())
                    .isEqualTo(401);
            // what is not an address is not believed, nor anything left of it: the inner proxy that
            // passed it on is the client
            assertThat(
                            login(
                                            h.from("not-an-address, 10.1.2.4"),
                                            "ivan",
                                            "wrong-password",
                                            null)
                                    .status())
                    .isEqualTo(401);
            List<String> seen = addressesOf(h, token, "login.failed");
            assertThat(seen).containsExactlyInAnyOrder("127.0.0.1", "203.0.113.7", "10.1.2.4");
        }
    }

    @Test
    void xForwardedForIsIgnoredWithoutTrustedProxies() throws Exception {
        try (TestServer direct = TestServer.start(Map.of(), clock)) {
            String token = direct.token("hal");
            Http h = direct.http();
            // rotating made-up addresses buys the guesser nothing: every guess comes from 127.0.0.1
            for (int i = 0; i < 5; i++) {
                assertThat(
                                login(h.from("203.0.113." + (100 + i)), "hal", "guess-" + i, null)
                                        .status())
                        .isEqualTo(401);
            }
            Http.Result refused = login(h.from("203.0.113.200"), "hal", "guess-5", null);
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.error())
                    .isEqualTo(
                            "too many wrong passwords for hal from this address; try again in 1"
                                    + " second");
            assertThat(addressesOf(h, token, "login.failed")).hasSize(5).containsOnly("127.0.0.1");
        }
    }

    /**
     * The {@code i}th of the 65,536 /64s of one IPv6 /48, as a guesser who holds the /48 would use
     * them.
     */
    private static String fresh(int i) {
        return "2001:db8:4:" + Integer.toHexString(i) + "::1";
    }

    private interface Guess {
        Http.Result from(Http address) throws Exception;
    }

    /**
     * A guesser who tries from a new address every {@code every} for {@code span}, starting with
     * the {@code first}th address: every refusal names the attack on {@code user} and the wait, at
     * most a minute. Returns how many guesses were checked (not refused).
     */
    private int guessFromFreshAddresses(
            String user, String secret, int first, Duration span, Duration every, Guess guess)
            throws Exception {
        int checked = 0;
        for (long t = 0; t < span.toSeconds(); t += every.toSeconds()) {
            clock.advance(every);
            Http.Result r = guess.from(http.from(fresh(first++)));
            if (r.status() == 429) {
                assertUnderAttack(r, user, secret);
            } else {
                assertThat(r.status()).as(r.body()).isEqualTo(401);
                checked++;
            }
        }
        return checked;
    }

    /**
     * A 429 of an account under attack: the message says so and names the wait, which Retry-After
     * gives too, at most a minute.
     */
    private static void assertUnderAttack(Http.Result r, String user, String secret)
            throws Exception {
        assertThat(r.status()).as(r.body()).isEqualTo(429);
        long wait = Long.parseLong(r.header("Retry-After"));
        assertThat(wait).isBetween(1L, 60L);
        assertThat(r.error())
                .isEqualTo(
                        "the account "
                                + user
                                + " is under attack (too many wrong "
                                + secret
                                + "s), so attempts on it from addresses it has not signed in from"
                                + " recently are paced; try again in "
                                + wait
                                + (wait == 1 ? " second" : " seconds"));
    }

    /**
     * The same sign-in, after waiting as told while the account is paced; returns the answer and
     * how long it waited in all.
     */
    private Map.Entry<Http.Result, Long> afterTheWait(Attempt attempt) throws Exception {
        long waited = 0;
        Http.Result r = attempt.run();
        for (int i = 0; r.status() == 429 && i < 3; i++) {
            long wait = Long.parseLong(r.header("Retry-After"));
            waited += wait;
            clock.advance(Duration.ofSeconds(wait));
            r = attempt.run();
        }
        return Map.entry(r, waited);
    }

    private int securityEvents(String token, String kind) throws Exception {
        return addressesOf(http, token, kind).size();
    }

    @Test
    void oneTimeCodesGuessedFromManyAddressesArePacedAccountWideButTheOwnerGetsIn()
            throws Exception {
        // phished: the guesser has dana's password, and a /48 of addresses to try her six-digit
        // codes from
        String token = server.token("dana");
        Authenticator app = server.enableTwoFactor("dana", token, "auth-only", clock);
        String password = TestServer.password("dana");
        Http home = http.from("198.51.100.77");
        assertThat(login(home, "dana", password, app.next()).status()).isEqualTo(201);
        int before = tokens("dana");
        Guess guess = from -> login(from, "dana", password, wrongCode(app));

        // a new address for every guess never meets the backoff of an address: the first 30 are
        // checked...
        for (int i = 0; i < 30; i++) {
            Http.Result r = guess.from(http.from(fresh(i)));
            assertThat(r.status()).as(r.body()).isEqualTo(401);
            assertThat(r.header("WWW-Authenticate")).isEqualTo("OTP");
        }
        // ...then the account is under attack, and guesses from addresses it does not know are
        // paced, one at a time
        Http.Result paced = guess.from(http.from(fresh(30)));
        assertUnderAttack(paced, "dana", "one-time password");
        assertThat(paced.header("Retry-After")).isEqualTo("1");

        // a guess every five seconds, each from another address, for ten minutes: the wait doubles
        // to a minute and stays there
        int checked =
                guessFromFreshAddresses(
                        "dana",
                        "one-time password",
                        31,
                        Duration.ofMinutes(10),
                        Duration.ofSeconds(5),
                        guess);
        assertThat(checked).as("guesses checked in ten minutes").isBetween(10, 6 + 10);
        assertThat(securityEvents(token, "2fa.otp-failed"))
                .as("only the checked guesses were tried")
                .isEqualTo(30 + checked);

        // guesses sent in parallel from twenty addresses when the wait is over: one of them is
        // checked
        clock.advance(Duration.ofSeconds(60));
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Future<Http.Result>> burst = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Http from = http.from(fresh(1000 + i));
                burst.add(pool.submit(() -> guess.from(from)));
            }
            int passed = 0;
            for (Future<Http.Result> f : burst) {
                Http.Result r = f.get();
                if (r.status() == 429) {
                    assertUnderAttack(r, "dana", "one-time password");
                } else {
                    assertThat(r.status()).isEqualTo(401);
                    passed++;
                }
            }
            assertThat(passed).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(tokens("dana")).isEqualTo(before);

        // the owner, from where she signed in before, is never paced: a typo is just wrong, and the
        // right code works at once
        Http.Result typo = login(home, "dana", password, wrongCode(app));
        assertThat(typo.status()).as(typo.body()).isEqualTo(401);
        Http.Result atHome = login(home, "dana", password, app.next());
        assertThat(atHome.status()).as(atHome.body()).isEqualTo(201);
        Http.Result web = webSignIn(home, "dana", password, app.next());
        assertThat(web.status()).as(web.body()).isEqualTo(303);

        // from a brand-new address with no failures, right after a guess was checked, her right
        // code is taken at once
        clock.advance(Duration.ofSeconds(60));
        assertThat(guess.from(http.from(fresh(2000))).status()).isEqualTo(401);
        Http cafe = http.from("198.51.100.99");
        Http.Result away = login(cafe, "dana", password, app.next());
        assertThat(away.status()).as(away.body()).isEqualTo(201);
        assertThat(tokens("dana"))
                .as("home, its web session, and the new address")
                .isEqualTo(before + 3);
        // a guesser gets that one unpaced attempt per network it holds (an IPv4 address, an IPv6
        // /48), then waits its turn
        Http elsewhere = http.from("203.0.113.5");
        assertThat(guess.from(elsewhere).status()).isEqualTo(401);
        assertUnderAttack(guess.from(elsewhere), "dana", "one-time password");
        assertUnderAttack(guess.from(http.from("2001:db8:4:ffff::1")), "dana", "one-time password");
        // and from there she is known now
        assertThat(login(cafe, "dana", password, app.next()).status()).isEqualTo(201);
    }

    @Test
    void passwordsGuessedFromManyAddressesArePacedAccountWideButTheOwnerGetsIn() throws Exception {
        String token = server.token("pat");
        String password = TestServer.password("pat");
        Http home = http.from("198.51.100.88");
        assertThat(login(home, "pat", password, null).status()).isEqualTo(201);
        int before = tokens("pat");
        Guess guess = from -> login(from, "pat", "Summer2024!", null);

        for (int i = 0; i < 30; i++) {
            Http.Result r = guess.from(http.from(fresh(i)));
            assertThat(r.status()).as(r.body()).isEqualTo(401);
            assertThat(r.error()).isEqualTo("incorrect user name or password");
        }
        Http.Result paced = guess.from(http.from(fresh(30)));
        assertUnderAttack(paced, "pat", "password");
        assertThat(paced.header("Retry-After")).isEqualTo("1");
        // through basic authentication as well as npm login
        String basic =
                java.util.Base64.getEncoder()
                        .encodeToString("pat:Winter2024!".getBytes(StandardCharsets.UTF_8));
        Http.Result whoami =
                http.from(fresh(31))
                        .get("/-/whoami", null, Map.of("Authorization", "Basic " + basic));
        assertUnderAttack(whoami, "pat", "password");

        // a guess every two seconds for ten minutes, each from another address
        int checked =
                guessFromFreshAddresses(
                        "pat",
                        "password",
                        32,
                        Duration.ofMinutes(10),
                        Duration.ofSeconds(2),
                        guess);
        assertThat(checked).as("guesses checked in ten minutes").isBetween(10, 6 + 10);
        assertThat(securityEvents(token, "login.failed"))
                .as("only the checked guesses were tried")
                .isEqualTo(30 + checked);
        assertThat(tokens("pat")).isEqualTo(before);

        // the owner at home is not paced, nor her first attempt from a new address with no failures
        assertThat(login(home, "pat", password, null).status()).isEqualTo(201);
        clock.advance(Duration.ofSeconds(60));
        assertThat(guess.from(http.from(fresh(5000))).status()).isEqualTo(401);
        Http cafe = http.from("198.51.100.98");
        Http.Result away = login(cafe, "pat", password, null);
        assertThat(away.status()).as(away.body()).isEqualTo(201);
        assertThat(tokens("pat")).isEqualTo(before + 2);
        // had she mistyped there, her next try would wait its turn, a minute at most
        Http train = http.from("198.51.100.96");
        assertThat(login(train, "pat", "typo-" + password, null).status()).isEqualTo(401);
        Map.Entry<Http.Result, Long> later =
                afterTheWait(() -> login(train, "pat", password, null));
        assertThat(later.getKey().status()).as(later.getKey().body()).isEqualTo(201);
        assertThat(later.getValue()).as("seconds waited").isBetween(0L, 60L);

        // when the guessing stops, a new address is not paced at all
        clock.advance(Duration.ofMinutes(5));
        assertThat(login(http.from("198.51.100.97"), "pat", password, null).status())
                .isEqualTo(201);
    }

    @Test
    void aLoopbackPeerWithProxyHeadersIsWarnedAboutWhenNoProxyIsTrusted() throws Exception {
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        Logger httpLog = (Logger) LoggerFactory.getLogger("warden.http");
        httpLog.addAppender(logged);
        try (TestServer direct = TestServer.start(Map.of(), clock)) {
            Http h = direct.http();
            assertThat(h.get("/-/ping").status()).isEqualTo(200);
            // the configured server trusts 127.0.0.1: its forwarded requests are fine
            assertThat(http.from("203.0.113.4").get("/-/ping").status()).isEqualTo(200);
            assertThat(warnings(logged)).isEmpty();
            // behind an unlisted proxy on the same host: warned about, a few times, and nothing
            // else changes
            assertThat(h.get("/-/ping", null, Map.of("X-Real-IP", "203.0.113.5")).status())
                    .isEqualTo(200);
            for (int i = 0; i < 5; i++) {
                assertThat(h.from("203.0.113." + (10 + i)).get("/-/ping").status()).isEqualTo(200);
            }
            List<String> warnings = warnings(logged);
            assertThat(warnings).hasSize(3);
            assertThat(warnings.get(0))
                    .startsWith(
                            "a request from 127.0.0.1 carries X-Real-IP but server.trusted_proxies"
                                    + " is empty");
            assertThat(warnings.get(1))
                    .contains(
                            "carries X-Forwarded-For",
                            "every client behind the proxy counts as 127.0.0.1",
                            "list the proxy in server.trusted_proxies");
        } finally {
            httpLog.detachAppender(logged);
        }
    }

    private static List<String> warnings(ListAppender<ILoggingEvent> logged) {
        synchronized (logged) {
            return logged.list.stream()
                    .filter(e -> e.getLevel() == Level.WARN)
                    .map(ILoggingEvent::getFormattedMessage)
                    .toList();
        }
    }
}
