package dev.warden.storage.sql;

import dev.warden.storage.AdvisoryDrafts;
import dev.warden.storage.Dependencies;
import dev.warden.storage.Downloads;
import dev.warden.storage.EmailVerifications;
import dev.warden.storage.ExerciseCompletions;
import dev.warden.storage.Governance;
import dev.warden.storage.Invites;
import dev.warden.storage.Maintainers;
import dev.warden.storage.MalwareReports;
import dev.warden.storage.MetadataStore.WriteTx;
import dev.warden.storage.Orgs;
import dev.warden.storage.OsvRows;
import dev.warden.storage.PackageMfa;
import dev.warden.storage.Packages;
import dev.warden.storage.Packuments;
import dev.warden.storage.Passkeys;
import dev.warden.storage.PhishingDefence;
import dev.warden.storage.Provenances;
import dev.warden.storage.RegistryEvents;
import dev.warden.storage.ReviewFacts;
import dev.warden.storage.Scopes;
import dev.warden.storage.Search;
import dev.warden.storage.SecurityEvents;
import dev.warden.storage.Stars;
import dev.warden.storage.Tags;
import dev.warden.storage.Tokens;
import dev.warden.storage.TrustedPublishers;
import dev.warden.storage.TwoFactor;
import dev.warden.storage.Users;
import dev.warden.storage.Versions;

import org.jdbi.v3.core.Handle;

/**
 * One transaction's views over the SQL tables, one class per view. Plain SQL that SQLite and
 * PostgreSQL both accept (where they differ, a view asks the {@link SqlDialect}). Each call hands
 * out a view over this transaction's handle. The drivers (embedded and postgres) open the
 * transactions; this module only speaks SQL.
 */
public final class SqlTx implements WriteTx {

    private final Handle h;
    private final SqlDialect dialect;

    public SqlTx(Handle handle, SqlDialect dialect) {
        this.h = handle;
        this.dialect = dialect;
    }

    /** The database this transaction runs on. */
    public SqlDialect dialect() {
        return dialect;
    }

    /** The transaction's handle, for a driver's own statements. */
    public Handle handle() {
        return h;
    }

    @Override
    public Packages packages() {
        return new SqlPackages(h, dialect);
    }

    @Override
    public Versions versions() {
        return new SqlVersions(h, dialect);
    }

    @Override
    public Tags tags() {
        return new SqlTags(h, dialect);
    }

    @Override
    public Maintainers maintainers() {
        return new SqlMaintainers(h);
    }

    @Override
    public Stars stars() {
        return new SqlStars(h);
    }

    @Override
    public Packuments packuments() {
        return new SqlPackuments(h, dialect);
    }

    @Override
    public Search search() {
        return new SqlSearch(h);
    }

    @Override
    public Dependencies dependencies() {
        return new SqlDependencies(h);
    }

    @Override
    public Downloads downloads() {
        return new SqlDownloads(h);
    }

    @Override
    public Users users() {
        return new SqlUsers(h);
    }

    @Override
    public Tokens tokens() {
        return new SqlTokens(h);
    }

    @Override
    public Scopes scopes() {
        return new SqlScopes(h);
    }

    @Override
    public TwoFactor twoFactor() {
        return new SqlTwoFactor(h);
    }

    @Override
    public SecurityEvents securityEvents() {
        return new SqlSecurityEvents(h, dialect);
    }

    @Override
    public ExerciseCompletions exerciseCompletions() {
        return new SqlExerciseCompletions(h);
    }

    @Override
    public PackageMfa packageMfa() {
        return new SqlPackageMfa(h);
    }

    @Override
    public EmailVerifications emailVerifications() {
        return new SqlEmailVerifications(h);
    }

    @Override
    public PhishingDefence phishingDefence() {
        return new SqlPhishingDefence(h);
    }

    @Override
    public Invites invites() {
        return new SqlInvites(h);
    }

    @Override
    public Orgs orgs() {
        return new SqlOrgs(h);
    }

    @Override
    public Passkeys passkeys() {
        return new SqlPasskeys(h);
    }

    @Override
    public RegistryEvents registryEvents() {
        return new SqlRegistryEvents(h);
    }

    @Override
    public TrustedPublishers trustedPublishers() {
        return new SqlTrustedPublishers(h);
    }

    @Override
    public Provenances provenances() {
        return new SqlProvenances(h);
    }

    @Override
    public Governance governance() {
        return new SqlGovernance(h);
    }

    @Override
    public ReviewFacts reviewFacts() {
        return new SqlReviewFacts(h);
    }

    @Override
    public OsvRows osvRows() {
        return new SqlOsvRows(h);
    }

    @Override
    public MalwareReports malwareReports() {
        return new SqlMalwareReports(h);
    }

    @Override
    public AdvisoryDrafts advisoryDrafts() {
        return new SqlAdvisoryDrafts(h);
    }

    @Override
    public dev.warden.storage.Upstreams upstreams() {
        return new SqlUpstreams(h, dialect);
    }

    @Override
    public dev.warden.storage.Transients transients() {
        return new SqlTransients(h);
    }
}
