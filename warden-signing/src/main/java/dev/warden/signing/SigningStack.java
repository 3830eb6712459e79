package dev.warden.signing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.log.KeyFiles;
import dev.warden.log.LogStore;
import dev.warden.log.NoteKey;
import dev.warden.log.TransparencyLog;
import dev.warden.provenance.IdTokens;

import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Base64;

/**
 * The instance's keyless signing stack, opened together: its CT log and Rekor-compatible log (each
 * a log of the log module over a store the caller opens), its CA, Fulcio's API, and the trusted
 * root that describes all three to clients and to the registry's own verifier.
 */
public final class SigningStack implements AutoCloseable {

    /**
     * Where the two logs keep their entries, each its own store (the server opens {@code ct.db} and
     * {@code rekor.db} of warden-log-sqlite); the stack closes them with the logs.
     */
    public record LogStores(LogStore ct, LogStore rekor) {}

    private final String baseUrl;
    private final CertificateAuthority ca;
    private final Rekor rekor;
    private final Fulcio fulcio;
    private final TimestampAuthority tsa;
    private final ObjectMapper json;
    private TufRepository tuf;
    private java.util.function.Supplier<java.util.Map<String, byte[]>> moreTargets =
            java.util.Map::of;

    private SigningStack(
            String baseUrl,
            CertificateAuthority ca,
            Rekor rekor,
            Fulcio fulcio,
            TimestampAuthority tsa,
            ObjectMapper json) {
        this.baseUrl = baseUrl;
        this.ca = ca;
        this.rekor = rekor;
        this.fulcio = fulcio;
        this.tsa = tsa;
        this.json = json;
    }

    private static final org.slf4j.Logger LOG =
            org.slf4j.LoggerFactory.getLogger(SigningStack.class);

    /**
     * Publishes the trusted root and signing config through the TUF repository in {@code dir},
     * signing targets, snapshot and timestamp with the online key in {@code onlineKey}. A
     * repository without a root is created with three root keys (threshold two) written to {@code
     * rootKeyDir}, which belong offline from then on.
     */
    public TufRepository publishTuf(
            Path dir, Path onlineKey, Path rootKeyDir, java.time.Instant now) {
        TufRepository.Key online;
        if (java.nio.file.Files.exists(onlineKey)) {
            online = TufRepository.Key.load(onlineKey);
        } else {
            online = TufRepository.Key.generate();
            online.save(onlineKey);
        }
        if (!java.nio.file.Files.exists(dir.resolve("1.root.json"))) {
            java.util.List<TufRepository.Key> roots = new java.util.ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                TufRepository.Key k = TufRepository.Key.generate();
                k.save(rootKeyDir.resolve("root-" + i + ".json"));
                roots.add(k);
            }
            TufRepository.initialize(dir, roots, 2, online, now);
            LOG.atWarn()
                    .addKeyValue("keys", rootKeyDir)
                    .log(
                            "created a TUF root signed by 3 new root keys (threshold 2): move them"
                                    + " offline");
        }
        tuf = new TufRepository(dir, online);
        publishTargets(now);
        return tuf;
    }

    public TufRepository tuf() {
        return tuf;
    }

    /**
     * Targets to publish next to the trusted root and signing config (the registry's keys, its
     * log's description), asked for again at every refresh so that a change is republished.
     */
    public void alsoPublish(java.util.function.Supplier<java.util.Map<String, byte[]>> targets) {
        this.moreTargets = targets;
    }

    /**
     * Picks up a CA rotation (a new intermediate in {@code ca.json}) and republishes the trusted
     * root through TUF, then refreshes TUF's timestamp and snapshot as they age.
     *
     * @return true when the trusted root changed
     */
    public boolean refresh(java.time.Instant now) {
        try {
            boolean changed = ca.reload();
            // unchanged targets give no new version (publish compares their hashes)
            publishTargets(now);
            if (changed) {
                LOG.atInfo()
                        .addKeyValue("intermediates", ca.intermediates().size())
                        .log("certificate authority rotated: trusted root republished");
            }
            return changed;
        } finally {
            // a rotation that cannot be read must not let the timestamp and snapshot expire
            tuf.refresh(now);
        }
    }

    private void publishTargets(java.time.Instant now) {
        try {
            java.util.Map<String, byte[]> targets = new java.util.TreeMap<>(moreTargets.get());
            targets.put("trusted_root.json", json.writeValueAsBytes(trustedRoot()));
            targets.put("signing_config.v0.2.json", json.writeValueAsBytes(signingConfig()));
            tuf.publish(targets, now);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Where clients sign: this instance's Fulcio and Rekor (signing config v0.2). */
    public ObjectNode signingConfig() {
        String start = ca.root().getNotBefore().toInstant().toString();
        ObjectNode c = json.createObjectNode();
        c.put("mediaType", "application/vnd.dev.sigstore.signingconfig.v0.2+json");
        c.putArray("caUrls")
                .addObject()
                .put("url", baseUrl)
                .put("majorApiVersion", 2)
                .put("operator", "warden")
                .putObject("validFor")
                .put("start", start);
        c.putArray("oidcUrls");
        c.putArray("rekorTlogUrls")
                .addObject()
                .put("url", baseUrl)
                .put("majorApiVersion", 1)
                .put("operator", "warden")
                .putObject("validFor")
                .put("start", start);
        c.putObject("rekorTlogConfig").put("selector", "ANY");
        c.putArray("tsaUrls")
                .addObject()
                .put("url", baseUrl + "/api/v1/timestamp")
                .put("majorApiVersion", 1)
                .put("operator", "warden")
                .putObject("validFor")
                .put("start", tsa.chain().get(0).getNotBefore().toInstant().toString());
        c.putObject("tsaConfig").put("selector", "ANY");
        return c;
    }

    /**
     * @param data the data directory (keys under {@code keys/sigstore/})
     * @param baseUrl the public URL clients reach Fulcio and Rekor at (the registry's)
     * @param stores the stores of the CT log and the Rekor log
     * @param caKeys where the CA's intermediate keys are ({@link CaKeyStore#files} of {@link
     *     #keyDir} by default)
     */
    public static SigningStack open(
            Path data,
            String baseUrl,
            LogStores stores,
            CaKeyStore caKeys,
            IdTokens tokens,
            ObjectMapper json,
            Clock clock) {
        String base = baseUrl.replaceAll("/+$", "");
        String origin = base.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "");
        String scheme = base.substring(0, base.length() - origin.length());
        Path keys = keyDir(data);
        // A log keeps the origin it was created with (its key is named by it), whatever URL the
        // server has now.
        LogStore ctStore = stores.ct();
        String ctOrigin = originOf(ctStore, origin + "/ct");
        TransparencyLog ctLog =
                new TransparencyLog(
                        ctStore,
                        KeyFiles.loadOrCreate(
                                keys.resolve("ct-checkpoint.key"), ctOrigin, NoteKey.ED25519),
                        TransparencyLog.Settings.of(ctOrigin));
        CtLog ct = CtLog.open(ctLog, keys.resolve("ct.key"));
        CertificateAuthority ca =
                CertificateAuthority.open(keys, origin, ct, caKeys, clock.instant());
        LogStore rekorStore = stores.rekor();
        String rekorOrigin = originOf(rekorStore, origin);
        NoteKey.Signer rekorNoteKey =
                KeyFiles.loadOrCreate(
                        keys.resolve("rekor-checkpoint.key"), rekorOrigin, NoteKey.ED25519);
        TransparencyLog rekorLog =
                new TransparencyLog(
                        rekorStore, rekorNoteKey, TransparencyLog.Settings.of(rekorOrigin));
        Rekor rekor =
                new Rekor(
                        rekorLog,
                        CtLog.ecKeyFile(keys.resolve("rekor.key")),
                        java.net.URI.create(scheme + rekorOrigin).getHost(),
                        json,
                        clock);
        TimestampAuthority tsa = TimestampAuthority.open(keys, origin, clock.instant());
        return new SigningStack(
                scheme + rekorOrigin, ca, rekor, new Fulcio(ca, tokens, json, clock), tsa, json);
    }

    /** Where the stack's keys and the CA's certificates are under the data directory. */
    public static Path keyDir(Path data) {
        return data.resolve("keys/sigstore");
    }

    private static String originOf(LogStore store, String fallback) {
        String stored = store.checkpoint();
        return stored == null ? fallback : stored.substring(0, stored.indexOf('\n'));
    }

    public Fulcio fulcio() {
        return fulcio;
    }

    public Rekor rekor() {
        return rekor;
    }

    public TimestampAuthority tsa() {
        return tsa;
    }

    public CertificateAuthority ca() {
        return ca;
    }

    /**
     * The instance's {@code trusted_root.json}: its CA (one entry per intermediate, each trusted
     * from its start until the next one's), CT log and transparency log, trusted from the CA's
     * creation.
     */
    public ObjectNode trustedRoot() {
        X509Certificate root = ca.root();
        String start = root.getNotBefore().toInstant().toString();
        ObjectNode r = json.createObjectNode();
        r.put("mediaType", "application/vnd.dev.sigstore.trustedroot+json;version=0.1");
        ObjectNode tlog = r.putArray("tlogs").addObject();
        tlog.put("baseUrl", baseUrl).put("hashAlgorithm", "SHA2_256");
        tlog.putObject("publicKey")
                .put("rawBytes", b64(rekor.publicKeySpki()))
                .put("keyDetails", "PKIX_ECDSA_P256_SHA_256")
                .putObject("validFor")
                .put("start", start);
        tlog.putObject("logId").put("keyId", b64(CtLog.sha256(rekor.publicKeySpki())));
        ArrayNode authorities = r.putArray("certificateAuthorities");
        java.util.List<CertificateAuthority.Intermediate> intermediates = ca.intermediates();
        for (int i = 0; i < intermediates.size(); i++) {
            ObjectNode authority = authorities.addObject();
            authority
                    .putObject("subject")
                    .put("organization", root.getSubjectX500Principal().getName());
            authority.put("uri", baseUrl);
            ArrayNode chain = authority.putObject("certChain").putArray("certificates");
            try {
                chain.addObject()
                        .put("rawBytes", b64(intermediates.get(i).certificate().getEncoded()));
                chain.addObject().put("rawBytes", b64(root.getEncoded()));
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
            ObjectNode window =
                    authority
                            .putObject("validFor")
                            .put("start", intermediates.get(i).from().toString());
            if (i + 1 < intermediates.size()) {
                window.put("end", intermediates.get(i + 1).from().toString());
            }
        }
        ObjectNode ct = r.putArray("ctlogs").addObject();
        ct.put("baseUrl", baseUrl + "/ct").put("hashAlgorithm", "SHA2_256");
        ct.putObject("publicKey")
                .put("rawBytes", b64(ca.ct().publicKey().getEncoded()))
                .put("keyDetails", "PKIX_ECDSA_P256_SHA_256")
                .putObject("validFor")
                .put("start", start);
        ct.putObject("logId").put("keyId", b64(CtLog.sha256(ca.ct().publicKey().getEncoded())));
        ObjectNode stamps = r.putArray("timestampAuthorities").addObject();
        X509Certificate stamper = tsa.chain().get(0);
        stamps.putObject("subject")
                .put("organization", stamper.getSubjectX500Principal().getName());
        stamps.put("uri", baseUrl + "/api/v1/timestamp");
        ArrayNode stampChain = stamps.putObject("certChain").putArray("certificates");
        for (X509Certificate c : tsa.chain()) {
            try {
                stampChain.addObject().put("rawBytes", b64(c.getEncoded()));
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
        }
        stamps.putObject("validFor").put("start", stamper.getNotBefore().toInstant().toString());
        return r;
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    @Override
    public void close() {
        rekor.log().close();
        ca.ct().log().close();
    }
}
