package dev.warden.server;

import java.nio.file.Path;
import java.util.Map;

/**
 * All settings, from one TOML file. The bundled {@code warden-default.toml} documents every key and
 * gives its default; a config file, then {@code WARDEN_SECTION_KEY} environment variables, then
 * flags override it ({@link ConfigLoader}).
 */
public record Config(
        Server server,
        Storage storage,
        Accounts accounts,
        Mail mail,
        Registry registry,
        Limits limits,
        Log log,
        Tlog tlog,
        Oidc oidc,
        Governance governance,
        Provenance provenance,
        Signing signing,
        Review review,
        Awareness awareness,
        java.util.List<Uplink> uplinks,
        Proxy proxy) {

    /**
     * @param maxBodyBytes the largest body any route takes (a publish's); other routes take less
     * @param trustedProxies reverse proxies (addresses or CIDR ranges) whose {@code
     *     X-Forwarded-For} is believed; none by default
     * @param bodyMemoryMb what request bodies over 1 MiB may hold in memory together; 0: an eighth
     *     of the heap
     * @param largeBodiesPerMinute how many bodies over 1 MiB one address, and one account, may send
     *     a minute
     * @param minBodyBytesPerSecond how fast every request body must arrive once {@code
     *     bodyGraceSeconds} have passed; 0: no minimum
     * @param bodyGraceSeconds how long a request body may arrive at any pace
     * @param metrics who may read {@code /-/metrics}: "loopback", "public" or "none"
     */
    public record Server(
            String host,
            int port,
            String publicUrl,
            long maxBodyBytes,
            java.util.List<String> trustedProxies,
            long bodyMemoryMb,
            int largeBodiesPerMinute,
            long minBodyBytesPerSecond,
            int bodyGraceSeconds,
            String metrics) {}

    /**
     * Where everything is kept; see {@code warden-default.toml}. The {@code postgres_} and {@code
     * s3_} keys are read only by the "postgres" driver.
     */
    public record Storage(
            String driver,
            String data,
            String postgresUrl,
            String postgresUser,
            String postgresPassword,
            int postgresPoolSize,
            boolean migrateOnStart,
            String s3Endpoint,
            String s3Region,
            String s3Bucket,
            String s3AccessKey,
            String s3SecretKey,
            boolean s3PathStyle,
            String s3Prefix) {

        /** The secrets stay out of logs and exception messages. */
        @Override
        public String toString() {
            return "Storage[driver="
                    + driver
                    + ", data="
                    + data
                    + ", postgresUrl="
                    // a password may be given as a parameter of the URL
                    + postgresUrl.replaceFirst("\\?.*", "?...")
                    + ", s3Endpoint="
                    + s3Endpoint
                    + ", s3Bucket="
                    + s3Bucket
                    + "]";
        }
    }

    public record Accounts(
            String registration,
            int minPasswordLength,
            int loginTokenHours,
            int sensitivePauseHours) {}

    public record Mail(
            String from,
            String smtpHost,
            int smtpPort,
            String smtpUser,
            String smtpPassword,
            boolean smtpStarttls) {
        @Override
        public String toString() {
            return "Mail[from=" + from + ", smtpHost=" + smtpHost + ", smtpPort=" + smtpPort + "]";
        }
    }

    public record Registry(
            int unpublishWindowHours,
            long unpublishMaxWeeklyDownloads,
            int republishBlockHours,
            int packumentCacheMb,
            int tarballMapMb,
            int tarballMapMaxFileMb,
            int downloadsFlushSeconds) {}

    public record Limits(
            long maxUnpackedBytes, int maxEntries, long maxRatio, long ratioFloorBytes) {}

    public record Log(String format, String level, String access) {}

    public record Tlog(
            String origin, String keyFile, String registryKeyFile, String witnesses, int cacheMb) {}

    /**
     * Trusted publishing: the issuers whose ID tokens are taken and the audience they must name.
     *
     * @param audience empty: {@code npm:<host name of the public URL>}, as the npm CLI asks for
     */
    public record Oidc(
            java.util.List<Issuer> issuers, java.util.List<Issuer> extraIssuers, String audience) {}

    /**
     * Succession (how long all maintainers must be inactive before a notice, how long a notice
     * stays open) and what makes a package high-impact.
     */
    public record Governance(
            int inactiveDays,
            int noticeDays,
            long highImpactWeeklyDownloads,
            int highImpactDependents,
            int minApproverAccountAgeDays) {}

    /**
     * Which Sigstore trusted roots provenance bundles are verified against: the embedded
     * public-good root, and trusted_root.json files.
     */
    public record Provenance(boolean publicGood, java.util.List<String> trustedRoots) {}

    /** The private Sigstore: Fulcio- and Rekor-compatible APIs on this server. */
    public record Signing(boolean enabled, String caKeyStore, String pkcs11Config) {}

    /**
     * Typosquatting at name creation and the names the release review compares new dependencies
     * with; what the review does with a release's findings.
     *
     * @param popularNamesFile a list in place of the shipped one; empty: the shipped list
     * @param extraPopularNames names added to the list
     * @param popularMinDependents this registry's packages with this many dependents are popular
     * @param popularMinWeeklyDownloads and those with this many downloads in the last 7 days
     * @param flagAt the lowest severity of a finding that flags a release (the maintainers are
     *     told)
     * @param holdAt the lowest that holds it for a maintainer's approval
     * @param quarantineAt the lowest that quarantines it (installable by no one until approved)
     * @param highImpactFlagAt the same for high-impact and governed packages: never laxer
     * @param overrides actions for findings by id ("finding-id=action"), in place of their
     *     severity's
     */
    public record Review(
            boolean refuseLookalikeNames,
            String popularNamesFile,
            java.util.List<String> extraPopularNames,
            int popularMinDependents,
            long popularMinWeeklyDownloads,
            String flagAt,
            String holdAt,
            String quarantineAt,
            String highImpactFlagAt,
            String highImpactHoldAt,
            String highImpactQuarantineAt,
            java.util.List<String> overrides) {

        /** The configured popular names: the file's (checked when loaded) or the shipped list. */
        public java.util.List<String> popularNames() {
            java.util.List<String> listed;
            if (popularNamesFile.isEmpty()) {
                listed = dev.warden.review.PopularNames.shipped();
            } else {
                try {
                    listed =
                            dev.warden.review.PopularNames.parse(
                                    java.nio.file.Files.readAllLines(Path.of(popularNamesFile)));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            return dev.warden.review.PopularNames.union(listed, extraPopularNames);
        }
    }

    /**
     * Maintainer security awareness; see {@code warden-default.toml}.
     *
     * @param officialHosts the registry's official host names; empty: the public URL's
     * @param verifyLookupsPerHour message checks one address may make an hour
     * @param stepUpNewAddresses whether a sign-in from a new address asks a second factor (or a
     *     mailed code) and is mailed to the account
     * @param newAddressHours how long after a sign-in from a new address a change also tells the
     *     co-maintainers
     * @param requirePasskeys "none", "high-impact" or "governed"
     * @param passkeyGraceDays how long a maintainer the passkey rule reaches may still act without
     * @param trustedReporters accounts whose malware reports count towards a quarantine
     * @param quarantineAfterReports how many distinct trusted reporters quarantine a version
     * @param reportsPerDay how many malware reports one account may make in 24 hours
     * @param reportsPerAddressPerHour how many one address may send in an hour
     */
    public record Awareness(
            java.util.List<String> officialHosts,
            int verifyLookupsPerHour,
            boolean stepUpNewAddresses,
            int newAddressHours,
            String requirePasskeys,
            int passkeyGraceDays,
            java.util.List<String> trustedReporters,
            int quarantineAfterReports,
            int reportsPerDay,
            int reportsPerAddressPerHour) {}

    /**
     * One upstream registry ({@code [[uplinks]]}); none configured: no proxy.
     *
     * @param name {@code [a-z0-9-]+}, unique; names the uplink in logs, headers and {@code
     *     WARDEN_UPLINKS_<NAME>_TOKEN}
     * @param packages name patterns it serves: {@code **}, {@code *}, {@code @scope/*} or a name
     * @param token a bearer token for its origin; empty: none
     * @param maxAgeSeconds how long a cached packument is served without asking the uplink again
     */
    public record Uplink(
            String name,
            String url,
            java.util.List<String> packages,
            String token,
            int timeoutSeconds,
            int maxAgeSeconds) {
        @Override
        public String toString() {
            return "Uplink[name=" + name + ", url=" + url + ", packages=" + packages + "]";
        }
    }

    /** The proxy's policy for what comes in from the uplinks; see {@code warden-default.toml}. */
    public record Proxy(
            int minimumReleaseAgeHours,
            java.util.List<String> minimumReleaseAgeExclude,
            java.util.List<String> internalScopes,
            String unsignedUpstream,
            String installScripts,
            java.util.List<String> installScriptsAllow,
            String osvFeed,
            int osvRefreshMinutes) {}

    /**
     * An OIDC issuer: its kind ("github", "gitlab", "circleci"), its {@code iss} (a trailing {@code
     * /*} stands for one segment) and its JWKS URL.
     */
    public record Issuer(String type, String issuer, String jwks) {}

    /**
     * Loads the defaults, then {@code file} (may be null), then the environment, then {@code
     * overrides} ("section.key" to value). A mistake is a {@link ConfigException} naming the
     * setting and its source.
     */
    public static Config load(Path file, Map<String, String> env, Map<String, String> overrides) {
        return load(file, env, overrides, Map.of());
    }

    /**
     * As {@link #load(Path, Map, Map)}; {@code flags} names the flag that gave each override
     * ("server.port" to "--port").
     */
    public static Config load(
            Path file,
            Map<String, String> env,
            Map<String, String> overrides,
            Map<String, String> flags) {
        return ConfigLoader.load(file, env, overrides, flags);
    }
}
