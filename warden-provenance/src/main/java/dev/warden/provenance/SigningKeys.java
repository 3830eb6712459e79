package dev.warden.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The registry's ECDSA P-256 signing keys, kept as files: {@code keys.json} lists every key (its
 * id, public key, creation and, once rotated out, expiry) and each private key sits in its own
 * owner-only PKCS#8 file. The newest key without an expiry signs; rotation gives the current key an
 * expiry of the rotation time (npm's clients accept its signatures on versions published before
 * then) and makes a new one. This is the file-based {@link SigningKeyStore}; an HSM or KMS store
 * implements the same interface.
 *
 * <p>Key ids follow npm's form {@code SHA256:<base64 of the SHA-256 of the SubjectPublicKeyInfo>}.
 */
public final class SigningKeys implements SigningKeyStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private List<PublicKey> keys;
    private PrivateKey current;
    private String currentId;

    private SigningKeys(Path dir) {
        this.dir = dir;
    }

    /** Opens the key store in {@code dir}, creating the first key when there is none. */
    public static SigningKeys open(Path dir, Instant now) {
        SigningKeys k = new SigningKeys(dir);
        k.load();
        if (k.currentId == null) {
            k.rotate(now);
        }
        return k;
    }

    @Override
    public synchronized List<PublicKey> publicKeys() {
        return List.copyOf(keys);
    }

    public synchronized String currentKeyId() {
        return currentId;
    }

    /**
     * {@code {keyid, sig}}: the current key's ECDSA P-256 / SHA-256 signature (DER, base64) over
     * {@code message}.
     */
    @Override
    public Map<String, String> sign(String message) {
        PrivateKey key;
        String id;
        synchronized (this) {
            key = current;
            id = currentId;
        }
        try {
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(key);
            s.update(message.getBytes(StandardCharsets.UTF_8));
            return Map.of("keyid", id, "sig", Base64.getEncoder().encodeToString(s.sign()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing with " + id, e);
        }
    }

    /**
     * Retires the current key (it expires {@code now}) and starts signing with a new one; returns
     * the new key's id.
     */
    public synchronized String rotate(Instant now) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = g.generateKeyPair();
            byte[] spki = pair.getPublic().getEncoded();
            String id =
                    "SHA256:"
                            + Base64.getEncoder()
                                    .withoutPadding()
                                    .encodeToString(
                                            MessageDigest.getInstance("SHA-256").digest(spki));
            Files.createDirectories(dir);
            Path file = dir.resolve(fileName(id));
            writeAtomically(file, pair.getPrivate().getEncoded(), true);
            List<PublicKey> next = new ArrayList<>();
            for (PublicKey k : keys) {
                next.add(
                        k.expires() == null
                                ? new PublicKey(k.keyid(), k.key(), k.created(), now)
                                : k);
            }
            next.add(new PublicKey(id, Base64.getEncoder().encodeToString(spki), now, null));
            ObjectNode doc = JSON.createObjectNode();
            ArrayNode arr = doc.putArray("keys");
            for (PublicKey k : next) {
                ObjectNode o =
                        arr.addObject()
                                .put("keyid", k.keyid())
                                .put("key", k.key())
                                .put("created", k.created().toString());
                if (k.expires() != null) {
                    o.put("expires", k.expires().toString());
                }
            }
            writeAtomically(
                    dir.resolve("keys.json"),
                    JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc),
                    false);
            this.keys = next;
            this.current = pair.getPrivate();
            this.currentId = id;
            return id;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("making a signing key", e);
        } catch (IOException e) {
            throw new UncheckedIOException("writing signing keys in " + dir, e);
        }
    }

    private void load() {
        keys = new ArrayList<>();
        Path index = dir.resolve("keys.json");
        if (!Files.exists(index)) {
            return;
        }
        try {
            JsonNode doc = JSON.readTree(index.toFile());
            for (JsonNode k : doc.path("keys")) {
                Instant expires =
                        k.hasNonNull("expires") ? Instant.parse(k.get("expires").asText()) : null;
                keys.add(
                        new PublicKey(
                                k.path("keyid").asText(),
                                k.path("key").asText(),
                                Instant.parse(k.path("created").asText()),
                                expires));
            }
            for (PublicKey k : keys) {
                if (k.expires() == null) {
                    byte[] pkcs8 = Files.readAllBytes(dir.resolve(fileName(k.keyid())));
                    current =
                            KeyFactory.getInstance("EC")
                                    .generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
                    currentId = k.keyid();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading signing keys in " + dir, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("reading signing keys in " + dir, e);
        }
    }

    private static String fileName(String keyid) {
        return keyid.substring("SHA256:".length()).replace('/', '_').replace('+', '-') + ".pk8";
    }

    private void writeAtomically(Path file, byte[] bytes, boolean secret) throws IOException {
        Path tmp = Files.createTempFile(dir, ".key", ".tmp");
        if (secret) {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(bytes));
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}
