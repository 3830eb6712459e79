package dev.warden.storage.embedded;

import dev.warden.storage.Dependencies;
import dev.warden.storage.Downloads;
import dev.warden.storage.Maintainers;
import dev.warden.storage.MetadataStore.WriteTx;
import dev.warden.storage.Packages;
import dev.warden.storage.Packages.PackageRecord;
import dev.warden.storage.Packuments;
import dev.warden.storage.Packuments.PackumentRecord;
import dev.warden.storage.EmailVerifications;
import dev.warden.storage.Invites;
import dev.warden.storage.Orgs;
import dev.warden.storage.PackageMfa;
import dev.warden.storage.Passkeys;
import dev.warden.storage.RegistryEvents;
import dev.warden.storage.Scopes;
import dev.warden.storage.SecurityEvents;
import dev.warden.storage.TwoFactor;
import dev.warden.storage.TwoFactor.TfaRecord;
import dev.warden.storage.Search;
import dev.warden.storage.Stars;
import dev.warden.storage.Tags;
import dev.warden.storage.Tokens;
import dev.warden.storage.Tokens.TokenRecord;
import dev.warden.storage.Provenances;
import dev.warden.storage.Provenances.ProvenanceRecord;
import dev.warden.storage.TrustedPublishers;
import dev.warden.storage.Governance;
import dev.warden.storage.Users;
import dev.warden.storage.Users.UserRecord;
import dev.warden.storage.Versions;
import dev.warden.storage.Versions.VersionRecord;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/** One transaction's views over the SQL tables. Plain SQL that SQLite and PostgreSQL both accept. */
final class SqlTx implements WriteTx {

    private final Handle h;

    SqlTx(Handle handle) {
        this.h = handle;
    }

    private static Long millis(Instant at) {
        return at == null ? null : at.toEpochMilli();
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    @Override
    public Packages packages() {
        return new Packages() {
            @Override
            public Optional<PackageRecord> find(String name) {
                return h.createQuery("SELECT * FROM packages WHERE name = ?")
                        .bind(0, name)
                        .map((rs, ctx) -> new PackageRecord(
                                rs.getString("name"),
                                instant(rs, "created"),
                                instant(rs, "modified"),
                                rs.getLong("rev"),
                                rs.getString("access"),
                                instant(rs, "unpublished")))
                        .findOne();
            }

            @Override
            public void insert(PackageRecord p) {
                h.createUpdate("INSERT INTO packages (name, created, modified, rev, access, unpublished) VALUES (?, ?, ?, ?, ?, ?)")
                        .bind(0, p.name())
                        .bind(1, millis(p.created()))
                        .bind(2, millis(p.modified()))
                        .bind(3, p.rev())
                        .bind(4, p.access())
                        .bind(5, millis(p.unpublished()))
                        .execute();
            }

            @Override
            public void update(PackageRecord p) {
                h.createUpdate("UPDATE packages SET modified = ?, rev = ?, access = ?, unpublished = ? WHERE name = ?")
                        .bind(0, millis(p.modified()))
                        .bind(1, p.rev())
                        .bind(2, p.access())
                        .bind(3, millis(p.unpublished()))
                        .bind(4, p.name())
                        .execute();
            }

            @Override
            public List<String> names(String scope) {
                Query q = scope == null
                        ? h.createQuery("SELECT name FROM packages WHERE unpublished IS NULL ORDER BY name")
                        : h.createQuery("SELECT name FROM packages WHERE unpublished IS NULL AND name LIKE ? ESCAPE '!' ORDER BY name")
                                .bind(0, escapeLike(scope) + "/%");
                return q.mapTo(String.class).list();
            }
        };
    }

    private static String escapeLike(String s) {
        return s.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    @Override
    public Versions versions() {
        return new Versions() {
            private VersionRecord map(ResultSet rs) throws SQLException {
                return new VersionRecord(
                        rs.getString("name"),
                        rs.getString("version"),
                        rs.getString("manifest"),
                        rs.getString("integrity"),
                        rs.getString("shasum"),
                        rs.getString("blob_key"),
                        rs.getLong("tarball_size"),
                        rs.getInt("file_count"),
                        rs.getLong("unpacked_size"),
                        instant(rs, "published"),
                        rs.getString("publisher"),
                        rs.getString("deprecated"),
                        rs.getString("differences"),
                        instant(rs, "unpublished"));
            }

            @Override
            public List<VersionRecord> all(String name) {
                return h.createQuery("SELECT * FROM versions WHERE name = ? ORDER BY seq")
                        .bind(0, name)
                        .map((rs, ctx) -> map(rs))
                        .list();
            }

            @Override
            public Optional<VersionRecord> find(String name, String version) {
                return h.createQuery("SELECT * FROM versions WHERE name = ? AND version = ?")
                        .bind(0, name)
                        .bind(1, version)
                        .map((rs, ctx) -> map(rs))
                        .findOne();
            }

            @Override
            public void insert(VersionRecord v) {
                long seq = h.createQuery("SELECT COALESCE(MAX(seq), 0) + 1 FROM versions WHERE name = ?")
                        .bind(0, v.name())
                        .mapTo(Long.class)
                        .one();
                h.createUpdate("""
                        INSERT INTO versions (name, version, seq, manifest, integrity, shasum, blob_key, tarball_size,
                            file_count, unpacked_size, published, publisher, deprecated, differences, unpublished)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                        .bind(0, v.name())
                        .bind(1, v.version())
                        .bind(2, seq)
                        .bind(3, v.manifest())
                        .bind(4, v.integrity())
                        .bind(5, v.shasum())
                        .bind(6, v.blobKey())
                        .bind(7, v.tarballSize())
                        .bind(8, v.fileCount())
                        .bind(9, v.unpackedSize())
                        .bind(10, millis(v.published()))
                        .bind(11, v.publisher())
                        .bind(12, v.deprecated())
                        .bind(13, v.differences())
                        .bind(14, millis(v.unpublished()))
                        .execute();
            }

            @Override
            public void setDeprecated(String name, String version, String message) {
                h.createUpdate("UPDATE versions SET deprecated = ? WHERE name = ? AND version = ?")
                        .bind(0, message)
                        .bind(1, name)
                        .bind(2, version)
                        .execute();
            }

            @Override
            public void setUnpublished(String name, String version, Instant at) {
                h.createUpdate("UPDATE versions SET unpublished = ? WHERE name = ? AND version = ?")
                        .bind(0, millis(at))
                        .bind(1, name)
                        .bind(2, version)
                        .execute();
            }

            @Override
            public boolean blobReferenced(String sha512Hex) {
                return h.createQuery("SELECT COUNT(*) FROM versions WHERE blob_key = ? AND unpublished IS NULL")
                                .bind(0, sha512Hex)
                                .mapTo(Long.class)
                                .one()
                        > 0;
            }
        };
    }

    @Override
    public Tags tags() {
        return new Tags() {
            @Override
            public Map<String, String> of(String name) {
                Map<String, String> tags = new LinkedHashMap<>();
                h.createQuery("SELECT tag, version FROM dist_tags WHERE name = ? ORDER BY tag")
                        .bind(0, name)
                        .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                        .forEach(e -> tags.put(e.getKey(), e.getValue()));
                return tags;
            }

            @Override
            public void put(String name, String tag, String version) {
                h.createUpdate("INSERT INTO dist_tags (name, tag, version) VALUES (?, ?, ?) "
                                + "ON CONFLICT (name, tag) DO UPDATE SET version = excluded.version")
                        .bind(0, name)
                        .bind(1, tag)
                        .bind(2, version)
                        .execute();
            }

            @Override
            public void remove(String name, String tag) {
                h.createUpdate("DELETE FROM dist_tags WHERE name = ? AND tag = ?").bind(0, name).bind(1, tag).execute();
            }

            @Override
            public void removeAll(String name) {
                h.createUpdate("DELETE FROM dist_tags WHERE name = ?").bind(0, name).execute();
            }
        };
    }

    @Override
    public Maintainers maintainers() {
        return new Maintainers() {
            @Override
            public List<String> of(String name) {
                return h.createQuery("SELECT user_name FROM maintainers WHERE name = ? ORDER BY seq")
                        .bind(0, name)
                        .mapTo(String.class)
                        .list();
            }

            @Override
            public List<String> packagesOf(String user) {
                return h.createQuery("""
                                SELECT m.name FROM maintainers m JOIN packages p ON p.name = m.name
                                WHERE m.user_name = ? AND p.unpublished IS NULL ORDER BY m.name""")
                        .bind(0, user)
                        .mapTo(String.class)
                        .list();
            }

            @Override
            public void add(String name, String user, Instant at) {
                h.createUpdate("""
                                INSERT INTO maintainers (name, user_name, seq, added)
                                SELECT ?, ?, COALESCE(MAX(seq), 0) + 1, ? FROM maintainers WHERE name = ?
                                ON CONFLICT (name, user_name) DO NOTHING""")
                        .bind(0, name)
                        .bind(1, user)
                        .bind(2, millis(at))
                        .bind(3, name)
                        .execute();
            }

            @Override
            public Optional<Instant> addedAt(String name, String user) {
                return h.createQuery("SELECT added FROM maintainers WHERE name = ? AND user_name = ?")
                        .bind(0, name)
                        .bind(1, user)
                        .mapTo(Long.class)
                        .findOne()
                        .map(Instant::ofEpochMilli);
            }

            @Override
            public void remove(String name, String user) {
                h.createUpdate("DELETE FROM maintainers WHERE name = ? AND user_name = ?")
                        .bind(0, name)
                        .bind(1, user)
                        .execute();
            }

            @Override
            public void removeAll(String name) {
                h.createUpdate("DELETE FROM maintainers WHERE name = ?").bind(0, name).execute();
            }
        };
    }

    @Override
    public Stars stars() {
        return new Stars() {
            @Override
            public List<String> of(String name) {
                return h.createQuery("SELECT user_name FROM stars WHERE name = ? ORDER BY user_name")
                        .bind(0, name)
                        .mapTo(String.class)
                        .list();
            }

            @Override
            public List<String> starredBy(String user) {
                return h.createQuery("SELECT name FROM stars WHERE user_name = ? ORDER BY name")
                        .bind(0, user)
                        .mapTo(String.class)
                        .list();
            }

            @Override
            public void add(String name, String user) {
                h.createUpdate("INSERT INTO stars (name, user_name) VALUES (?, ?) ON CONFLICT DO NOTHING")
                        .bind(0, name)
                        .bind(1, user)
                        .execute();
            }

            @Override
            public void remove(String name, String user) {
                h.createUpdate("DELETE FROM stars WHERE name = ? AND user_name = ?")
                        .bind(0, name)
                        .bind(1, user)
                        .execute();
            }
        };
    }

    @Override
    public Packuments packuments() {
        return new Packuments() {
            @Override
            public Optional<PackumentRecord> find(String name) {
                return h.createQuery("SELECT * FROM packuments WHERE name = ?")
                        .bind(0, name)
                        .map((rs, ctx) -> new PackumentRecord(
                                rs.getString("name"),
                                rs.getLong("rev"),
                                rs.getBytes("full_doc"),
                                rs.getBytes("full_gzip"),
                                rs.getString("full_etag"),
                                rs.getBytes("abbreviated"),
                                rs.getBytes("abbreviated_gzip"),
                                rs.getString("abbreviated_etag")))
                        .findOne();
            }

            @Override
            public void put(PackumentRecord p) {
                h.createUpdate("""
                                INSERT INTO packuments (name, full_doc, full_gzip, full_etag, abbreviated, abbreviated_gzip, abbreviated_etag, rev)
                                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                                ON CONFLICT (name) DO UPDATE SET full_doc = excluded.full_doc, full_gzip = excluded.full_gzip, rev = excluded.rev,
                                    full_etag = excluded.full_etag, abbreviated = excluded.abbreviated,
                                    abbreviated_gzip = excluded.abbreviated_gzip, abbreviated_etag = excluded.abbreviated_etag""")
                        .bind(0, p.name())
                        .bind(1, p.full())
                        .bind(2, p.fullGzip())
                        .bind(3, p.fullEtag())
                        .bind(4, p.abbreviated())
                        .bind(5, p.abbreviatedGzip())
                        .bind(6, p.abbreviatedEtag())
                        .bind(7, p.rev())
                        .execute();
            }

            @Override
            public void remove(String name) {
                h.createUpdate("DELETE FROM packuments WHERE name = ?").bind(0, name).execute();
            }
        };
    }

    @Override
    public Search search() {
        return new Search() {
            @Override
            public void put(String name, String text, String summaryJson) {
                h.createUpdate("INSERT INTO search_docs (name, text, summary) VALUES (?, ?, ?) "
                                + "ON CONFLICT (name) DO UPDATE SET text = excluded.text, summary = excluded.summary")
                        .bind(0, name)
                        .bind(1, text.toLowerCase(java.util.Locale.ROOT))
                        .bind(2, summaryJson)
                        .execute();
            }

            @Override
            public void remove(String name) {
                h.createUpdate("DELETE FROM search_docs WHERE name = ?").bind(0, name).execute();
            }

            @Override
            public List<Hit> find(List<String> terms, int limit) {
                StringBuilder sql = new StringBuilder("SELECT name, summary FROM search_docs WHERE 1 = 1");
                for (int i = 0; i < terms.size(); i++) {
                    sql.append(" AND text LIKE ? ESCAPE '!'");
                }
                sql.append(" ORDER BY name LIMIT ?");
                Query q = h.createQuery(sql.toString());
                int i = 0;
                for (String term : terms) {
                    q.bind(i++, "%" + escapeLike(term.toLowerCase(java.util.Locale.ROOT)) + "%");
                }
                q.bind(i, limit);
                return q.map((rs, ctx) -> new Hit(rs.getString(1), rs.getString(2))).list();
            }
        };
    }

    @Override
    public Dependencies dependencies() {
        return new Dependencies() {
            @Override
            public void put(String name, String version, Collection<String> dependsOn) {
                for (String target : dependsOn) {
                    h.createUpdate("INSERT INTO dependencies (name, version, depends_on) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
                            .bind(0, name)
                            .bind(1, version)
                            .bind(2, target)
                            .execute();
                }
            }

            @Override
            public void removeVersion(String name, String version) {
                h.createUpdate("DELETE FROM dependencies WHERE name = ? AND version = ?")
                        .bind(0, name)
                        .bind(1, version)
                        .execute();
            }

            @Override
            public int dependentCount(String name) {
                return h.createQuery("SELECT COUNT(DISTINCT name) FROM dependencies WHERE depends_on = ? AND name <> ?")
                        .bind(0, name)
                        .bind(1, name)
                        .mapTo(Integer.class)
                        .one();
            }
        };
    }

    @Override
    public Downloads downloads() {
        return new Downloads() {
            @Override
            public void add(LocalDate day, Map<String, Long> counts) {
                for (Map.Entry<String, Long> e : counts.entrySet()) {
                    h.createUpdate("INSERT INTO downloads (name, day, count) VALUES (?, ?, ?) "
                                    + "ON CONFLICT (name, day) DO UPDATE SET count = downloads.count + excluded.count")
                            .bind(0, e.getKey())
                            .bind(1, day.toString())
                            .bind(2, e.getValue())
                            .execute();
                }
            }

            @Override
            public long since(String name, LocalDate from) {
                return h.createQuery("SELECT COALESCE(SUM(count), 0) FROM downloads WHERE name = ? AND day >= ?")
                        .bind(0, name)
                        .bind(1, from.toString())
                        .mapTo(Long.class)
                        .one();
            }
        };
    }

    @Override
    public Users users() {
        return new Users() {
            private UserRecord map(ResultSet rs) throws SQLException {
                return new UserRecord(
                        rs.getString("name"),
                        rs.getString("email"),
                        rs.getString("password_hash"),
                        instant(rs, "created"),
                        rs.getInt("admin") != 0);
            }

            @Override
            public Optional<UserRecord> find(String name) {
                return h.createQuery("SELECT * FROM users WHERE name = ?")
                        .bind(0, name)
                        .map((rs, ctx) -> map(rs))
                        .findOne();
            }

            @Override
            public void insert(UserRecord u) {
                h.createUpdate("INSERT INTO users (name, email, password_hash, created, admin) VALUES (?, ?, ?, ?, ?)")
                        .bind(0, u.name())
                        .bind(1, u.email())
                        .bind(2, u.passwordHash())
                        .bind(3, millis(u.created()))
                        .bind(4, u.admin() ? 1 : 0)
                        .execute();
            }

            @Override
            public void update(UserRecord u) {
                h.createUpdate("UPDATE users SET email = ?, password_hash = ?, admin = ? WHERE name = ?")
                        .bind(0, u.email())
                        .bind(1, u.passwordHash())
                        .bind(2, u.admin() ? 1 : 0)
                        .bind(3, u.name())
                        .execute();
            }

            @Override
            public long count() {
                return h.createQuery("SELECT COUNT(*) FROM users").mapTo(Long.class).one();
            }
        };
    }

    @Override
    public Scopes scopes() {
        return new Scopes() {
            @Override
            public Optional<String> owner(String scope) {
                return h.createQuery("SELECT owner FROM scopes WHERE scope = ?").bind(0, scope).mapTo(String.class).findOne();
            }

            @Override
            public void claim(String scope, String owner, Instant at) {
                h.createUpdate("INSERT INTO scopes (scope, owner, created) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
                        .bind(0, scope)
                        .bind(1, owner)
                        .bind(2, millis(at))
                        .execute();
            }
        };
    }

    @Override
    public TwoFactor twoFactor() {
        return new TwoFactor() {
            @Override
            public Optional<TfaRecord> find(String user) {
                return h.createQuery("SELECT * FROM two_factor WHERE user_name = ?")
                        .bind(0, user)
                        .map((rs, ctx) -> new TfaRecord(
                                rs.getString("user_name"),
                                rs.getString("secret"),
                                rs.getString("mode"),
                                rs.getInt("pending") != 0,
                                rs.getLong("last_step"),
                                rs.getString("recovery").isEmpty() ? List.of() : Arrays.asList(rs.getString("recovery").split(",")),
                                instant(rs, "created")))
                        .findOne();
            }

            @Override
            public void put(TfaRecord r) {
                h.createUpdate("""
                                INSERT INTO two_factor (user_name, secret, mode, pending, last_step, recovery, created)
                                VALUES (?, ?, ?, ?, ?, ?, ?)
                                ON CONFLICT (user_name) DO UPDATE SET secret = excluded.secret, mode = excluded.mode,
                                    pending = excluded.pending, last_step = excluded.last_step, recovery = excluded.recovery""")
                        .bind(0, r.user())
                        .bind(1, r.secret())
                        .bind(2, r.mode())
                        .bind(3, r.pending() ? 1 : 0)
                        .bind(4, r.lastStep())
                        .bind(5, String.join(",", r.recoveryHashes()))
                        .bind(6, millis(r.created()))
                        .execute();
            }

            @Override
            public void delete(String user) {
                h.createUpdate("DELETE FROM two_factor WHERE user_name = ?").bind(0, user).execute();
            }
        };
    }

    @Override
    public SecurityEvents securityEvents() {
        return new SecurityEvents() {
            @Override
            public void append(String user, String kind, Instant at, String address, String detailJson) {
                h.createUpdate("INSERT INTO security_events (user_name, kind, at, address, detail) VALUES (?, ?, ?, ?, ?)")
                        .bind(0, user)
                        .bind(1, kind)
                        .bind(2, millis(at))
                        .bind(3, address)
                        .bind(4, detailJson)
                        .execute();
            }

            @Override
            public List<Event> list(String user, long beforeId, int limit) {
                return h.createQuery("SELECT * FROM security_events WHERE user_name = ? AND (? = 0 OR id < ?) ORDER BY id DESC LIMIT ?")
                        .bind(0, user)
                        .bind(1, beforeId)
                        .bind(2, beforeId)
                        .bind(3, limit)
                        .map((rs, ctx) -> new Event(rs.getLong("id"), rs.getString("user_name"), rs.getString("kind"),
                                instant(rs, "at"), rs.getString("address"), rs.getString("detail")))
                        .list();
            }

            @Override
            public Optional<Instant> latestOf(String user, List<String> kinds) {
                StringBuilder sql = new StringBuilder("SELECT MAX(at) FROM security_events WHERE user_name = ? AND kind IN (");
                for (int i = 0; i < kinds.size(); i++) {
                    sql.append(i == 0 ? "?" : ", ?");
                }
                sql.append(")");
                Query q = h.createQuery(sql.toString()).bind(0, user);
                for (int i = 0; i < kinds.size(); i++) {
                    q.bind(i + 1, kinds.get(i));
                }
                return q.map((rs, ctx) -> instant(rs, 1)).findOne().flatMap(Optional::ofNullable);
            }

            @Override
            public boolean seen(String user, String kind, String address) {
                return h.createQuery("SELECT COUNT(*) FROM security_events WHERE user_name = ? AND kind = ? AND address = ?")
                                .bind(0, user)
                                .bind(1, kind)
                                .bind(2, address)
                                .mapTo(Long.class)
                                .one()
                        > 0;
            }
        };
    }

    @Override
    public Governance governance() {
        return new Governance() {
            private PolicyRecord policy(ResultSet rs) throws SQLException {
                return new PolicyRecord(rs.getString("package"), rs.getInt("version"), rs.getString("policy"), instant(rs, "created"),
                        rs.getString("created_by"));
            }

            private StageRecord stage(ResultSet rs) throws SQLException {
                return new StageRecord(rs.getString("id"), rs.getString("package"), rs.getString("version"), rs.getString("tag"),
                        rs.getString("document"), rs.getString("blob_key"), rs.getString("shasum"), rs.getString("integrity"),
                        rs.getString("actor"), rs.getString("actor_type"), rs.getString("publisher"), rs.getInt("required"),
                        rs.getInt("self_approval") != 0, instant(rs, "cool_off_until"), instant(rs, "created"), instant(rs, "expires"),
                        rs.getString("state"), instant(rs, "decided"), rs.getString("decided_by"), rs.getString("hold_reason"),
                        rs.getString("release"));
            }

            @Override
            public Optional<PolicyRecord> policy(String pkg) {
                return h.createQuery("SELECT * FROM governance_policies WHERE package = ? ORDER BY version DESC LIMIT 1")
                        .bind(0, pkg).map((rs, ctx) -> policy(rs)).findOne();
            }

            @Override
            public List<PolicyRecord> policies(String pkg) {
                return h.createQuery("SELECT * FROM governance_policies WHERE package = ? ORDER BY version")
                        .bind(0, pkg).map((rs, ctx) -> policy(rs)).list();
            }

            @Override
            public void addPolicy(PolicyRecord p) {
                h.createUpdate("INSERT INTO governance_policies (package, version, policy, created, created_by) VALUES (?, ?, ?, ?, ?)")
                        .bind(0, p.pkg()).bind(1, p.version()).bind(2, p.policy()).bind(3, millis(p.created())).bind(4, p.createdBy())
                        .execute();
            }

            @Override
            public void insertStage(StageRecord s) {
                h.createUpdate("""
                                INSERT INTO stages (id, package, version, tag, document, blob_key, shasum, integrity, actor, actor_type,
                                    publisher, required, self_approval, cool_off_until, created, expires, state, hold_reason, release)
                                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                        .bind(0, s.id()).bind(1, s.pkg()).bind(2, s.version()).bind(3, s.tag()).bind(4, s.document())
                        .bind(5, s.blobKey()).bind(6, s.shasum()).bind(7, s.integrity()).bind(8, s.actor()).bind(9, s.actorType())
                        .bind(10, s.publisher()).bind(11, s.required()).bind(12, s.selfApproval() ? 1 : 0)
                        .bind(13, millis(s.coolOffUntil())).bind(14, millis(s.created())).bind(15, millis(s.expires())).bind(16, s.state())
                        .bind(17, s.holdReason()).bind(18, s.release()).execute();
            }

            @Override
            public Optional<StageRecord> stage(String id) {
                return h.createQuery("SELECT * FROM stages WHERE id = ?").bind(0, id).map((rs, ctx) -> stage(rs)).findOne();
            }

            private String where(List<String> packages) {
                return packages == null ? "state = ?" : packages.isEmpty() ? "0 = 1 AND state = ?"
                        : "package IN (" + String.join(", ", java.util.Collections.nCopies(packages.size(), "?")) + ") AND state = ?";
            }

            @Override
            public List<StageRecord> stages(List<String> packages, String state, int offset, int limit) {
                var q = h.createQuery("SELECT * FROM stages WHERE " + where(packages) + " ORDER BY created DESC, id LIMIT ? OFFSET ?");
                int i = 0;
                for (String p : packages == null ? List.<String>of() : packages) {
                    q.bind(i++, p);
                }
                return q.bind(i, state).bind(i + 1, limit).bind(i + 2, offset).map((rs, ctx) -> stage(rs)).list();
            }

            @Override
            public int countStages(List<String> packages, String state) {
                var q = h.createQuery("SELECT COUNT(*) FROM stages WHERE " + where(packages));
                int i = 0;
                for (String p : packages == null ? List.<String>of() : packages) {
                    q.bind(i++, p);
                }
                return q.bind(i, state).mapTo(Integer.class).one();
            }

            @Override
            public List<StageRecord> stagesExpiredBy(String state, Instant now) {
                return h.createQuery("SELECT * FROM stages WHERE state = ? AND expires <= ?")
                        .bind(0, state).bind(1, millis(now)).map((rs, ctx) -> stage(rs)).list();
            }

            @Override
            public List<StageRecord> stagesCooledOffBy(String state, Instant now) {
                return h.createQuery("SELECT * FROM stages WHERE state = ? AND (cool_off_until IS NULL OR cool_off_until <= ?)")
                        .bind(0, state).bind(1, millis(now)).map((rs, ctx) -> stage(rs)).list();
            }

            @Override
            public void decide(String id, String state, Instant at, String by) {
                h.createUpdate("UPDATE stages SET state = ?, decided = ?, decided_by = ? WHERE id = ?")
                        .bind(0, state).bind(1, millis(at)).bind(2, by).bind(3, id).execute();
            }

            @Override
            public boolean approve(String stageId, String user, Instant at) {
                return h.createUpdate("INSERT INTO stage_approvals (stage_id, user_name, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
                        .bind(0, stageId).bind(1, user).bind(2, millis(at)).execute() > 0;
            }

            @Override
            public void setSuccessors(String pkg, List<String> users, String namedBy, Instant at) {
                h.createUpdate("DELETE FROM successors WHERE package = ?").bind(0, pkg).execute();
                for (String u : users) {
                    h.createUpdate("INSERT INTO successors (package, user_name, named_by, at) VALUES (?, ?, ?, ?)")
                            .bind(0, pkg).bind(1, u).bind(2, namedBy).bind(3, millis(at)).execute();
                }
            }

            @Override
            public List<String> successors(String pkg) {
                return h.createQuery("SELECT user_name FROM successors WHERE package = ? ORDER BY at, user_name")
                        .bind(0, pkg).mapTo(String.class).list();
            }

            @Override
            public List<String> packagesWithSuccessors() {
                return h.createQuery("SELECT DISTINCT package FROM successors ORDER BY package").mapTo(String.class).list();
            }

            private Notice notice(ResultSet rs) throws SQLException {
                return new Notice(rs.getString("id"), rs.getString("package"), rs.getString("kind"), rs.getString("candidate"),
                        instant(rs, "posted"), instant(rs, "window_ends"), rs.getString("state"), instant(rs, "decided"),
                        rs.getString("decided_by"));
            }

            @Override
            public void insertNotice(Notice n) {
                h.createUpdate("""
                                INSERT INTO succession_notices (id, package, kind, candidate, posted, window_ends, state)
                                VALUES (?, ?, ?, ?, ?, ?, ?)""")
                        .bind(0, n.id()).bind(1, n.pkg()).bind(2, n.kind()).bind(3, n.candidate()).bind(4, millis(n.posted()))
                        .bind(5, millis(n.windowEnds())).bind(6, n.state())
                        .execute();
            }

            @Override
            public Optional<Notice> notice(String id) {
                return h.createQuery("SELECT * FROM succession_notices WHERE id = ?").bind(0, id).map((rs, ctx) -> notice(rs)).findOne();
            }

            @Override
            public List<Notice> notices(String pkg, List<String> states) {
                String in = String.join(", ", java.util.Collections.nCopies(states.size(), "?"));
                var q = h.createQuery("SELECT * FROM succession_notices WHERE state IN (" + in + ")"
                        + (pkg == null ? "" : " AND package = ?") + " ORDER BY posted, id");
                int i = 0;
                for (String st : states) {
                    q.bind(i++, st);
                }
                if (pkg != null) {
                    q.bind(i, pkg);
                }
                return q.map((rs, ctx) -> notice(rs)).list();
            }

            @Override
            public void decideNotice(String id, String state, Instant at, String by) {
                h.createUpdate("UPDATE succession_notices SET state = ?, decided = ?, decided_by = ? WHERE id = ?")
                        .bind(0, state).bind(1, millis(at)).bind(2, by).bind(3, id).execute();
            }

            private ChangeRequest request(ResultSet rs) throws SQLException {
                return new ChangeRequest(rs.getString("id"), rs.getString("package"), rs.getString("kind"), rs.getString("payload"),
                        rs.getString("actor"), rs.getInt("required"), instant(rs, "created"), instant(rs, "expires"), rs.getString("state"),
                        instant(rs, "decided"), rs.getString("decided_by"));
            }

            @Override
            public void insertRequest(ChangeRequest r) {
                h.createUpdate("""
                                INSERT INTO change_requests (id, package, kind, payload, actor, required, created, expires, state)
                                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                        .bind(0, r.id()).bind(1, r.pkg()).bind(2, r.kind()).bind(3, r.payload()).bind(4, r.actor()).bind(5, r.required())
                        .bind(6, millis(r.created())).bind(7, millis(r.expires())).bind(8, r.state())
                        .execute();
            }

            @Override
            public Optional<ChangeRequest> request(String id) {
                return h.createQuery("SELECT * FROM change_requests WHERE id = ?").bind(0, id).map((rs, ctx) -> request(rs)).findOne();
            }

            @Override
            public List<ChangeRequest> requests(List<String> packages, String state) {
                var q = h.createQuery("SELECT * FROM change_requests WHERE " + where(packages) + " ORDER BY created, id");
                int i = 0;
                for (String p : packages == null ? List.<String>of() : packages) {
                    q.bind(i++, p);
                }
                return q.bind(i, state).map((rs, ctx) -> request(rs)).list();
            }

            @Override
            public void decideRequest(String id, String state, Instant at, String by) {
                h.createUpdate("UPDATE change_requests SET state = ?, decided = ?, decided_by = ? WHERE id = ?")
                        .bind(0, state).bind(1, millis(at)).bind(2, by).bind(3, id).execute();
            }

            @Override
            public boolean approveRequest(String requestId, String user, Instant at) {
                return h.createUpdate("INSERT INTO change_approvals (request_id, user_name, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
                        .bind(0, requestId).bind(1, user).bind(2, millis(at)).execute() > 0;
            }

            @Override
            public List<String> requestApprovers(String requestId) {
                return h.createQuery("SELECT user_name FROM change_approvals WHERE request_id = ? ORDER BY at, user_name")
                        .bind(0, requestId).mapTo(String.class).list();
            }

            @Override
            public List<String> approvers(String stageId) {
                return h.createQuery("SELECT user_name FROM stage_approvals WHERE stage_id = ? ORDER BY at, user_name")
                        .bind(0, stageId).mapTo(String.class).list();
            }
        };
    }

    @Override
    public Provenances provenances() {
        return new Provenances() {
            private ProvenanceRecord record(ResultSet rs) throws SQLException {
                return new ProvenanceRecord(rs.getString("package"), rs.getString("version"), rs.getString("predicate_type"),
                        rs.getString("bundle"), rs.getString("facts"), rs.getString("publish_attestation"), instant(rs, "created"));
            }

            @Override
            public void put(ProvenanceRecord r) {
                h.createUpdate("""
                                INSERT INTO provenance (package, version, predicate_type, bundle, facts, publish_attestation, created)
                                VALUES (?, ?, ?, ?, ?, ?, ?)""")
                        .bind(0, r.pkg()).bind(1, r.version()).bind(2, r.predicateType()).bind(3, r.bundle()).bind(4, r.facts())
                        .bind(5, r.publishAttestation()).bind(6, millis(r.created())).execute();
            }

            @Override
            public Optional<ProvenanceRecord> find(String pkg, String version) {
                return h.createQuery("SELECT * FROM provenance WHERE package = ? AND version = ?").bind(0, pkg).bind(1, version)
                        .map((rs, ctx) -> record(rs)).findOne();
            }

            @Override
            public Optional<ProvenanceRecord> latestLive(String pkg) {
                return h.createQuery("""
                                SELECT p.* FROM provenance p JOIN versions v ON v.name = p.package AND v.version = p.version
                                WHERE p.package = ? AND v.unpublished IS NULL ORDER BY p.created DESC LIMIT 1""")
                        .bind(0, pkg).map((rs, ctx) -> record(rs)).findOne();
            }
        };
    }

    @Override
    public TrustedPublishers trustedPublishers() {
        return new TrustedPublishers() {
            private TrustRecord trust(ResultSet rs) throws SQLException {
                return new TrustRecord(rs.getString("id"), rs.getString("package"), rs.getString("type"), rs.getString("claims"),
                        split(rs.getString("permissions")), instant(rs, "created"), rs.getString("created_by"));
            }

            @Override
            public List<TrustRecord> of(String pkg) {
                return h.createQuery("SELECT * FROM trusted_publishers WHERE package = ? ORDER BY created, id")
                        .bind(0, pkg)
                        .map((rs, ctx) -> trust(rs))
                        .list();
            }

            @Override
            public Optional<TrustRecord> find(String pkg, String id) {
                return h.createQuery("SELECT * FROM trusted_publishers WHERE package = ? AND id = ?")
                        .bind(0, pkg)
                        .bind(1, id)
                        .map((rs, ctx) -> trust(rs))
                        .findOne();
            }

            @Override
            public void insert(TrustRecord t) {
                h.createUpdate("""
                                INSERT INTO trusted_publishers (id, package, type, claims, permissions, created, created_by)
                                VALUES (?, ?, ?, ?, ?, ?, ?)""")
                        .bind(0, t.id())
                        .bind(1, t.pkg())
                        .bind(2, t.type())
                        .bind(3, t.claims())
                        .bind(4, String.join(",", t.permissions()))
                        .bind(5, millis(t.created()))
                        .bind(6, t.createdBy())
                        .execute();
            }

            @Override
            public boolean delete(String pkg, String id) {
                return h.createUpdate("DELETE FROM trusted_publishers WHERE package = ? AND id = ?").bind(0, pkg).bind(1, id).execute() > 0;
            }

            @Override
            public boolean useIdToken(String key, Instant expires) {
                return h.createUpdate("INSERT INTO used_id_tokens (token_key, expires) VALUES (?, ?) ON CONFLICT (token_key) DO NOTHING")
                        .bind(0, key)
                        .bind(1, millis(expires))
                        .execute() > 0;
            }

            @Override
            public void insertToken(PublishToken t) {
                h.createUpdate("""
                                INSERT INTO publish_tokens (token_hash, package, trust_id, permissions, identity, created, expires)
                                VALUES (?, ?, ?, ?, ?, ?, ?)""")
                        .bind(0, t.hash())
                        .bind(1, t.pkg())
                        .bind(2, t.trustId())
                        .bind(3, String.join(",", t.permissions()))
                        .bind(4, t.identity())
                        .bind(5, millis(t.created()))
                        .bind(6, millis(t.expires()))
                        .execute();
            }

            @Override
            public Optional<PublishToken> findToken(String hash) {
                return h.createQuery("SELECT * FROM publish_tokens WHERE token_hash = ?")
                        .bind(0, hash)
                        .map((rs, ctx) -> new PublishToken(rs.getString("token_hash"), rs.getString("package"), rs.getString("trust_id"),
                                split(rs.getString("permissions")), rs.getString("identity"), instant(rs, "created"), instant(rs, "expires")))
                        .findOne();
            }

            @Override
            public int prune(Instant now) {
                return h.createUpdate("DELETE FROM used_id_tokens WHERE expires < ?").bind(0, millis(now)).execute()
                        + h.createUpdate("DELETE FROM publish_tokens WHERE expires < ?").bind(0, millis(now)).execute();
            }

            private static List<String> split(String csv) {
                return csv.isEmpty() ? List.of() : List.of(csv.split(","));
            }
        };
    }

    @Override
    public RegistryEvents registryEvents() {
        return new RegistryEvents() {
            private EventRecord map(ResultSet rs) throws SQLException {
                long index = rs.getLong("log_index");
                Long logIndex = rs.wasNull() ? null : index;
                return new EventRecord(rs.getLong("id"), rs.getString("kind"), rs.getString("package"), rs.getString("version"),
                        rs.getString("statement"), rs.getString("opening"), instant(rs, "at"), logIndex);
            }

            @Override
            public long nextId() {
                return h.createQuery("SELECT COALESCE(MAX(id), 0) + 1 FROM registry_events").mapTo(Long.class).one();
            }

            @Override
            public void add(long id, String kind, String pkg, String version, String statement, String opening, Instant at) {
                h.createUpdate("INSERT INTO registry_events (id, kind, package, version, statement, opening, at) VALUES (?, ?, ?, ?, ?, ?, ?)")
                        .bind(0, id)
                        .bind(1, kind)
                        .bind(2, pkg)
                        .bind(3, version)
                        .bind(4, statement)
                        .bind(5, opening)
                        .bind(6, millis(at))
                        .execute();
            }

            @Override
            public List<EventRecord> unlogged(int limit) {
                return h.createQuery("SELECT * FROM registry_events WHERE log_index IS NULL ORDER BY id LIMIT ?")
                        .bind(0, limit)
                        .map((rs, ctx) -> map(rs))
                        .list();
            }

            @Override
            public void setLogIndex(long id, long logIndex) {
                h.createUpdate("UPDATE registry_events SET log_index = ? WHERE id = ?").bind(0, logIndex).bind(1, id).execute();
            }

            @Override
            public Map<String, Long> publishIndexes(String pkg) {
                Map<String, Long> out = new LinkedHashMap<>();
                h.createQuery("SELECT version, log_index FROM registry_events WHERE package = ? AND kind = 'package.published' AND log_index IS NOT NULL")
                        .bind(0, pkg)
                        .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
                        .forEach(e -> out.put(e.getKey(), e.getValue()));
                return out;
            }

            @Override
            public List<EventRecord> of(String pkg) {
                return h.createQuery("SELECT * FROM registry_events WHERE package = ? ORDER BY id")
                        .bind(0, pkg)
                        .map((rs, ctx) -> map(rs))
                        .list();
            }
        };
    }

    @Override
    public PackageMfa packageMfa() {
        return new PackageMfa() {
            @Override
            public Optional<Policy> find(String name) {
                return h.createQuery("SELECT * FROM package_mfa WHERE name = ?")
                        .bind(0, name)
                        .map((rs, ctx) -> new Policy(rs.getInt("publish_requires_tfa") != 0, rs.getInt("automation_overrides") != 0,
                                rs.getInt("require_trusted_publisher") != 0))
                        .findOne();
            }

            @Override
            public void put(String name, Policy policy) {
                h.createUpdate("""
                                INSERT INTO package_mfa (name, publish_requires_tfa, automation_overrides, require_trusted_publisher)
                                VALUES (?, ?, ?, ?)
                                ON CONFLICT (name) DO UPDATE SET publish_requires_tfa = excluded.publish_requires_tfa,
                                    automation_overrides = excluded.automation_overrides,
                                    require_trusted_publisher = excluded.require_trusted_publisher""")
                        .bind(0, name)
                        .bind(1, policy.publishRequiresTfa() ? 1 : 0)
                        .bind(2, policy.automationOverrides() ? 1 : 0)
                        .bind(3, policy.requireTrustedPublisher() ? 1 : 0)
                        .execute();
            }
        };
    }

    @Override
    public EmailVerifications emailVerifications() {
        return new EmailVerifications() {
            @Override
            public void put(String tokenHash, String user, String email, Instant expires) {
                h.createUpdate("INSERT INTO email_verifications (token_hash, user_name, email, expires) VALUES (?, ?, ?, ?)")
                        .bind(0, tokenHash)
                        .bind(1, user)
                        .bind(2, email)
                        .bind(3, millis(expires))
                        .execute();
            }

            @Override
            public Optional<Pending> find(String tokenHash) {
                return h.createQuery("SELECT * FROM email_verifications WHERE token_hash = ?")
                        .bind(0, tokenHash)
                        .map((rs, ctx) -> new Pending(rs.getString("user_name"), rs.getString("email"), instant(rs, "expires"),
                                instant(rs, "verified")))
                        .findOne();
            }

            @Override
            public void markVerified(String tokenHash, Instant at) {
                h.createUpdate("UPDATE email_verifications SET verified = ? WHERE token_hash = ?")
                        .bind(0, millis(at))
                        .bind(1, tokenHash)
                        .execute();
            }

            @Override
            public boolean verified(String user, String email) {
                return h.createQuery("SELECT COUNT(*) FROM email_verifications WHERE user_name = ? AND email = ? AND verified IS NOT NULL")
                                .bind(0, user)
                                .bind(1, email)
                                .mapTo(Long.class)
                                .one()
                        > 0;
            }
        };
    }

    @Override
    public Invites invites() {
        return new Invites() {
            @Override
            public void put(String user, String email, Instant at) {
                h.createUpdate("INSERT INTO invites (user_name, email, created) VALUES (?, ?, ?) "
                                + "ON CONFLICT (user_name) DO UPDATE SET email = excluded.email, created = excluded.created")
                        .bind(0, user)
                        .bind(1, email)
                        .bind(2, millis(at))
                        .execute();
            }

            @Override
            public Optional<String> emailFor(String user) {
                return h.createQuery("SELECT email FROM invites WHERE user_name = ?").bind(0, user).mapTo(String.class).findOne();
            }

            @Override
            public void delete(String user) {
                h.createUpdate("DELETE FROM invites WHERE user_name = ?").bind(0, user).execute();
            }
        };
    }

    @Override
    public Orgs orgs() {
        return new Orgs() {
            @Override
            public boolean exists(String org) {
                return h.createQuery("SELECT COUNT(*) FROM orgs WHERE name = ?").bind(0, org).mapTo(Long.class).one() > 0;
            }

            @Override
            public void create(String org, Instant at) {
                h.createUpdate("INSERT INTO orgs (name, created) VALUES (?, ?)").bind(0, org).bind(1, millis(at)).execute();
            }

            @Override
            public Map<String, String> members(String org) {
                Map<String, String> out = new LinkedHashMap<>();
                h.createQuery("SELECT user_name, role FROM org_members WHERE org = ? ORDER BY user_name")
                        .bind(0, org)
                        .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                        .forEach(e -> out.put(e.getKey(), e.getValue()));
                return out;
            }

            @Override
            public Optional<String> role(String org, String user) {
                return h.createQuery("SELECT role FROM org_members WHERE org = ? AND user_name = ?")
                        .bind(0, org)
                        .bind(1, user)
                        .mapTo(String.class)
                        .findOne();
            }

            @Override
            public void putMember(String org, String user, String role, Instant at) {
                h.createUpdate("""
                                INSERT INTO org_members (org, user_name, role, since) VALUES (?, ?, ?, ?)
                                ON CONFLICT (org, user_name) DO UPDATE SET role = excluded.role,
                                    since = CASE WHEN org_members.role = 'developer' AND excluded.role <> 'developer'
                                                 THEN excluded.since ELSE org_members.since END""")
                        .bind(0, org)
                        .bind(1, user)
                        .bind(2, role)
                        .bind(3, millis(at))
                        .execute();
            }

            @Override
            public void removeMember(String org, String user) {
                h.createUpdate("DELETE FROM org_members WHERE org = ? AND user_name = ?").bind(0, org).bind(1, user).execute();
                h.createUpdate("DELETE FROM team_members WHERE org = ? AND user_name = ?").bind(0, org).bind(1, user).execute();
            }

            @Override
            public List<String> teams(String org) {
                return h.createQuery("SELECT name FROM teams WHERE org = ? ORDER BY name").bind(0, org).mapTo(String.class).list();
            }

            @Override
            public boolean teamExists(String org, String team) {
                return h.createQuery("SELECT COUNT(*) FROM teams WHERE org = ? AND name = ?")
                                .bind(0, org)
                                .bind(1, team)
                                .mapTo(Long.class)
                                .one()
                        > 0;
            }

            @Override
            public void createTeam(String org, String team, String description) {
                h.createUpdate("INSERT INTO teams (org, name, description) VALUES (?, ?, ?)")
                        .bind(0, org)
                        .bind(1, team)
                        .bind(2, description)
                        .execute();
            }

            @Override
            public void deleteTeam(String org, String team) {
                for (String table : List.of("teams WHERE org = ? AND name = ?", "team_members WHERE org = ? AND team = ?",
                        "team_packages WHERE org = ? AND team = ?")) {
                    h.createUpdate("DELETE FROM " + table).bind(0, org).bind(1, team).execute();
                }
            }

            @Override
            public List<String> teamMembers(String org, String team) {
                return h.createQuery("SELECT user_name FROM team_members WHERE org = ? AND team = ? ORDER BY user_name")
                        .bind(0, org)
                        .bind(1, team)
                        .mapTo(String.class)
                        .list();
            }

            @Override
            public void addTeamMember(String org, String team, String user, Instant at) {
                h.createUpdate("INSERT INTO team_members (org, team, user_name, since) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")
                        .bind(0, org)
                        .bind(1, team)
                        .bind(2, user)
                        .bind(3, millis(at))
                        .execute();
            }

            @Override
            public void removeTeamMember(String org, String team, String user) {
                h.createUpdate("DELETE FROM team_members WHERE org = ? AND team = ? AND user_name = ?")
                        .bind(0, org)
                        .bind(1, team)
                        .bind(2, user)
                        .execute();
            }

            @Override
            public Map<String, String> teamPackages(String org, String team) {
                Map<String, String> out = new LinkedHashMap<>();
                h.createQuery("SELECT package, permission FROM team_packages WHERE org = ? AND team = ? ORDER BY package")
                        .bind(0, org)
                        .bind(1, team)
                        .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                        .forEach(e -> out.put(e.getKey(), e.getValue()));
                return out;
            }

            @Override
            public void grant(String org, String team, String pkg, String permission, Instant at) {
                h.createUpdate("""
                                INSERT INTO team_packages (org, team, package, permission, since) VALUES (?, ?, ?, ?, ?)
                                ON CONFLICT (org, team, package) DO UPDATE SET permission = excluded.permission,
                                    since = CASE WHEN team_packages.permission <> 'read-write' AND excluded.permission = 'read-write'
                                                 THEN excluded.since ELSE team_packages.since END""")
                        .bind(0, org)
                        .bind(1, team)
                        .bind(2, pkg)
                        .bind(3, permission)
                        .bind(4, millis(at))
                        .execute();
            }

            @Override
            public void revoke(String org, String team, String pkg) {
                h.createUpdate("DELETE FROM team_packages WHERE org = ? AND team = ? AND package = ?")
                        .bind(0, org)
                        .bind(1, team)
                        .bind(2, pkg)
                        .execute();
            }

            @Override
            public Optional<String> teamPermission(String pkg, String user) {
                List<String> perms = h.createQuery("""
                                SELECT p.permission FROM team_packages p
                                JOIN team_members m ON m.org = p.org AND m.team = p.team
                                WHERE p.package = ? AND m.user_name = ?""")
                        .bind(0, pkg)
                        .bind(1, user)
                        .mapTo(String.class)
                        .list();
                if (perms.contains("read-write")) {
                    return Optional.of("read-write");
                }
                return perms.isEmpty() ? Optional.empty() : Optional.of("read-only");
            }

            @Override
            public Optional<Instant> managerSince(String org, String pkg, String user) {
                return h.createQuery("""
                                SELECT MIN(since) FROM (
                                    SELECT since FROM org_members WHERE org = ? AND user_name = ? AND role IN ('owner', 'admin')
                                    UNION ALL
                                    SELECT MAX(p.since, m.since) FROM team_packages p
                                    JOIN team_members m ON m.org = p.org AND m.team = p.team
                                    WHERE p.package = ? AND m.user_name = ? AND p.permission = 'read-write')""")
                        .bind(0, org)
                        .bind(1, user)
                        .bind(2, pkg)
                        .bind(3, user)
                        .mapTo(Long.class)
                        .findOne()
                        .map(Instant::ofEpochMilli);
            }
        };
    }

    @Override
    public Passkeys passkeys() {
        return new Passkeys() {
            private Credential map(ResultSet rs) throws SQLException {
                return new Credential(rs.getString("credential_id"), rs.getString("user_name"), rs.getString("public_key"),
                        rs.getLong("sign_count"), rs.getString("nickname"), instant(rs, "created"));
            }

            @Override
            public Optional<String> handleOf(String user) {
                return h.createQuery("SELECT handle FROM passkey_users WHERE user_name = ?").bind(0, user).mapTo(String.class).findOne();
            }

            @Override
            public Optional<String> userOfHandle(String handle) {
                return h.createQuery("SELECT user_name FROM passkey_users WHERE handle = ?").bind(0, handle).mapTo(String.class).findOne();
            }

            @Override
            public void putHandle(String user, String handle) {
                h.createUpdate("INSERT INTO passkey_users (user_name, handle) VALUES (?, ?)").bind(0, user).bind(1, handle).execute();
            }

            @Override
            public List<Credential> of(String user) {
                return h.createQuery("SELECT * FROM passkeys WHERE user_name = ? ORDER BY created")
                        .bind(0, user)
                        .map((rs, ctx) -> map(rs))
                        .list();
            }

            @Override
            public Optional<Credential> find(String credentialId) {
                return h.createQuery("SELECT * FROM passkeys WHERE credential_id = ?")
                        .bind(0, credentialId)
                        .map((rs, ctx) -> map(rs))
                        .findOne();
            }

            @Override
            public void insert(Credential c) {
                h.createUpdate("INSERT INTO passkeys (credential_id, user_name, public_key, sign_count, nickname, created) VALUES (?, ?, ?, ?, ?, ?)")
                        .bind(0, c.credentialId())
                        .bind(1, c.user())
                        .bind(2, c.publicKey())
                        .bind(3, c.signCount())
                        .bind(4, c.nickname())
                        .bind(5, millis(c.created()))
                        .execute();
            }

            @Override
            public boolean delete(String credentialId, String user) {
                return h.createUpdate("DELETE FROM passkeys WHERE credential_id = ? AND user_name = ?")
                                .bind(0, credentialId)
                                .bind(1, user)
                                .execute()
                        > 0;
            }

            @Override
            public void updateSignCount(String credentialId, long signCount) {
                h.createUpdate("UPDATE passkeys SET sign_count = ? WHERE credential_id = ?").bind(0, signCount).bind(1, credentialId).execute();
            }
        };
    }

    @Override
    public Tokens tokens() {
        return new Tokens() {
            private TokenRecord map(ResultSet rs) throws SQLException {
                String cidrs = rs.getString("cidrs");
                return new TokenRecord(
                        rs.getString("token_key"),
                        rs.getString("token_hash"),
                        rs.getString("user_name"),
                        rs.getInt("read_only") != 0,
                        instant(rs, "created"),
                        instant(rs, "expires"),
                        cidrs.isEmpty() ? List.of() : Arrays.asList(cidrs.split(",")),
                        instant(rs, "last_used"),
                        rs.getString("name"),
                        rs.getString("description"),
                        rs.getString("limits"),
                        rs.getInt("bypass_2fa") != 0);
            }

            @Override
            public Optional<TokenRecord> findByHash(String hash) {
                return h.createQuery("SELECT * FROM tokens WHERE token_hash = ?")
                        .bind(0, hash)
                        .map((rs, ctx) -> map(rs))
                        .findOne();
            }

            @Override
            public List<TokenRecord> of(String user) {
                return h.createQuery("SELECT * FROM tokens WHERE user_name = ? ORDER BY created")
                        .bind(0, user)
                        .map((rs, ctx) -> map(rs))
                        .list();
            }

            @Override
            public void insert(TokenRecord t) {
                h.createUpdate("""
                                INSERT INTO tokens (token_hash, token_key, user_name, read_only, created, expires, cidrs, last_used,
                                    name, description, limits, bypass_2fa)
                                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                        .bind(0, t.hash())
                        .bind(1, t.key())
                        .bind(2, t.user())
                        .bind(3, t.readOnly() ? 1 : 0)
                        .bind(4, millis(t.created()))
                        .bind(5, millis(t.expires()))
                        .bind(6, String.join(",", t.cidrs()))
                        .bind(7, millis(t.lastUsed()))
                        .bind(8, t.name())
                        .bind(9, t.description())
                        .bind(10, t.limits() == null ? "{}" : t.limits())
                        .bind(11, t.bypass2fa() ? 1 : 0)
                        .execute();
            }

            @Override
            public boolean delete(String hash) {
                return h.createUpdate("DELETE FROM tokens WHERE token_hash = ?").bind(0, hash).execute() > 0;
            }
        };
    }
}
