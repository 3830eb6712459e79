package dev.warden.server;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.accounts.Accounts;
import dev.warden.accounts.Mailer;
import dev.warden.awareness.Guides;
import dev.warden.awareness.MessageCodes;
import dev.warden.awareness.MessageVerification;
import dev.warden.awareness.NewAddressChanges;
import dev.warden.awareness.NewAddressSignIns;
import dev.warden.awareness.OsvRecords;
import dev.warden.awareness.PasskeyRule;
import dev.warden.awareness.Postures;
import dev.warden.awareness.ReportSettings;
import dev.warden.awareness.Reports;
import dev.warden.awareness.VerifiedMailer;
import dev.warden.registry.AwarenessLink;
import dev.warden.registry.Registry;
import dev.warden.server.http.Router;
import dev.warden.storage.MetadataStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Maintainer security awareness ({@code [awareness]}) as the server wires it: every mail verified,
 * sign-ins from new addresses stepped up, co-maintainers told of changes from new addresses, the
 * posture (its API, the pages that show it and the nudges on npm's answers), the phishing pages,
 * malware reports, training, the passkey rule and the advisories' routes.
 *
 * <p>The server asks for the parts in the order it needs them: the mailer before the accounts
 * exist, the listener before the registry, the routes once the registry exists.
 */
final class AwarenessWiring {

    private static final Logger LOG = LoggerFactory.getLogger(AwarenessWiring.class);

    private final Config.Awareness config;
    private final MetadataStore store;
    private final Clock clock;
    private final String publicUrl;
    private Postures postures;

    AwarenessWiring(Config.Awareness config, MetadataStore store, Clock clock, String publicUrl) {
        this.config = config;
        this.store = store;
        this.clock = clock;
        this.publicUrl = publicUrl;
    }

    /** {@code transport}, with a verification code and the footer naming the official page. */
    Mailer verified(Mailer transport) {
        return new VerifiedMailer(
                transport, store, new MessageCodes(), publicUrl + "/-/web/official", clock);
    }

    /** A sign-in from a new address steps up and is mailed to the account, when configured. */
    void stepUpSignIns(Accounts accounts, Mailer mailer) {
        if (config.stepUpNewAddresses()) {
            accounts.signInCheck(
                    new NewAddressSignIns(store, mailer, accounts.securityLog(), clock));
        }
    }

    /**
     * The registry's listener: a change from a new address is told to the co-maintainers, and every
     * publish, unpublish and owner change goes into the acting account's security history.
     */
    Registry.Listener changes(Accounts accounts, Mailer mailer) {
        NewAddressChanges newAddressChanges =
                new NewAddressChanges(
                        store,
                        mailer,
                        accounts.securityLog(),
                        clock,
                        Duration.ofHours(config.newAddressHours()));
        return change -> {
            if (change.user() != null
                    && change.pkg() != null
                    && NewAddressChanges.concerns(change.kind())) {
                try {
                    newAddressChanges.changed(change.user(), change.pkg(), change.kind());
                } catch (RuntimeException e) {
                    // the change is made; telling is best effort
                    LOG.warn("could not tell the co-maintainers of {}", change.pkg(), e);
                }
            }
            if (change.inHistory()) {
                return;
            }
            Map<String, Object> detail = new LinkedHashMap<>(change.detail());
            detail.put("package", change.pkg());
            accounts.securityLog().record(change.user(), change.kind(), null, detail);
        };
    }

    /**
     * The posture's API and the pages of awareness: packages (with their posture), phishing
     * defence, malware reports, training.
     */
    void pageRoutes(
            Router router,
            Registry registry,
            Accounts accounts,
            WebPages web,
            Mailer mailer,
            ObjectMapper json) {
        this.postures = new Postures(store, registry.awarenessFacts(), clock, publicUrl);
        new PostureApi(postures).routes(router);
        web.posture(user -> PostureApi.view(postures.ofAccount(user)));
        new PackagePages(
                        registry,
                        accounts,
                        web,
                        postures,
                        store,
                        publicUrl,
                        new WebDecisions(registry, accounts, passkeyRule(registry, mailer)))
                .routes(router);
        new PhishingPages(
                        web,
                        new MessageVerification(
                                store, clock, config.verifyLookupsPerHour(), Duration.ofHours(1)),
                        config.officialHosts(),
                        publicUrl)
                .routes(router);
        Reports reports = malwareReports(registry, accounts, mailer);
        new ReportPages(reports, registry, web).routes(router);
        new ReportApi(reports, web).routes(router);
        TrainingApi training = new TrainingApi(registry.training(), accounts, json, publicUrl);
        training.routes(router);
        new TrainingPages(Guides.bundled(), registry.training(), training, web).routes(router);
    }

    /** Malware reports, triaged as {@code [awareness]} says. */
    private Reports malwareReports(Registry registry, Accounts accounts, Mailer mailer) {
        return new Reports(
                store,
                registry.reportedPackages(),
                new ReportSettings(
                        Set.copyOf(config.trustedReporters()),
                        config.quarantineAfterReports(),
                        config.reportsPerDay(),
                        config.reportsPerAddressPerHour()),
                mailer,
                accounts.securityLog(),
                clock,
                publicUrl);
    }

    /** Which publishes and approvals need a passkey ({@code require_passkeys}), with its grace. */
    PasskeyRule passkeyRule(Registry registry, Mailer mailer) {
        return new PasskeyRule(
                store,
                mailer,
                clock,
                PasskeyRule.Scope.of(config.requirePasskeys()),
                Duration.ofDays(config.passkeyGraceDays()),
                new AwarenessLink(registry),
                publicUrl + "/-/web/account");
    }

    /** Private advisories and the audit endpoints, over the OSV records. */
    void advisoryRoutes(Router router, Registry registry) {
        OsvRecords osv = new OsvRecords(store);
        new AdvisoryApi(registry.advisories(), osv).routes(router);
        new AuditApi(osv, publicUrl).routes(router);
    }

    /**
     * After every route: the posture's nudges ride on the answers of logins, publishes and token
     * creations.
     */
    void nudges(Router router, Accounts accounts, ObjectMapper json) {
        new Nudges(postures, accounts, json).wrap(router);
    }
}
