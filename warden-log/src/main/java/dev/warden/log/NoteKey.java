package dev.warden.log;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Ed25519 keys of C2SP signed notes. A key has a name and a type (0x01 for note signatures, 0x04
 * for tlog-cosignature/v1); its ID is the first four bytes of {@code SHA-256(name || 0x0A || type
 * || public key)}. Verifier keys are written {@code <name>+<hex ID>+<base64(type || public key)>}
 * and private keys {@code PRIVATE+KEY+<name>+<hex ID>+<base64(type || seed)>}, as Go's
 * golang.org/x/mod/sumdb/note does.
 */
public final class NoteKey {

    public static final byte ED25519 = 0x01;
    public static final byte COSIGNATURE_V1 = 0x04;

    /** A public key that checks signatures. */
    public record Verifier(String name, int keyId, byte type, byte[] publicKey) {

        public Verifier {
            checkName(name);
            if (publicKey.length != 32) {
                throw new IllegalArgumentException("an Ed25519 public key has 32 bytes");
            }
            publicKey = publicKey.clone();
        }

        /** The verifier key string. */
        public String vkey() {
            return name
                    + "+"
                    + hexId(keyId)
                    + "+"
                    + Base64.getEncoder().encodeToString(typed(type, publicKey));
        }

        public boolean verify(byte[] message, byte[] signature) {
            if (signature.length != 64) {
                return false;
            }
            Ed25519Signer v = new Ed25519Signer();
            v.init(false, new Ed25519PublicKeyParameters(publicKey, 0));
            v.update(message, 0, message.length);
            return v.verifySignature(signature);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Verifier v
                    && v.name.equals(name)
                    && v.keyId == keyId
                    && v.type == type
                    && java.util.Arrays.equals(v.publicKey, publicKey);
        }

        @Override
        public int hashCode() {
            return name.hashCode() * 31 + keyId;
        }

        @Override
        public String toString() {
            return vkey();
        }
    }

    /** A private key that signs. */
    public static final class Signer {
        private final String name;
        private final byte type;
        private final Ed25519PrivateKeyParameters key;
        private final Verifier verifier;

        public Signer(String name, byte type, byte[] seed) {
            checkName(name);
            this.name = name;
            this.type = type;
            this.key = new Ed25519PrivateKeyParameters(seed, 0);
            byte[] pub = key.generatePublicKey().getEncoded();
            this.verifier = new Verifier(name, NoteKey.keyId(name, type, pub), type, pub);
        }

        public String name() {
            return name;
        }

        public int keyId() {
            return verifier.keyId();
        }

        public Verifier verifier() {
            return verifier;
        }

        public byte[] sign(byte[] message) {
            Ed25519Signer s = new Ed25519Signer();
            s.init(true, key);
            s.update(message, 0, message.length);
            return s.generateSignature();
        }

        /** The private key string; keep it secret. */
        public String encode() {
            return "PRIVATE+KEY+"
                    + name
                    + "+"
                    + hexId(keyId())
                    + "+"
                    + Base64.getEncoder().encodeToString(typed(type, key.getEncoded()));
        }

        @Override
        public String toString() {
            return "Signer[" + verifier.vkey() + "]";
        }
    }

    private NoteKey() {}

    public static Signer generate(String name, byte type) {
        byte[] seed = new byte[32];
        new SecureRandom().nextBytes(seed);
        return new Signer(name, type, seed);
    }

    /** A signer from its private key string. */
    public static Signer parseSigner(String encoded) {
        String s = encoded.strip();
        if (!s.startsWith("PRIVATE+KEY+")) {
            throw new IllegalArgumentException("a private note key starts with PRIVATE+KEY+");
        }
        String[] parts = s.substring("PRIVATE+KEY+".length()).split("\\+", 3);
        if (parts.length != 3) {
            throw new IllegalArgumentException("malformed private note key");
        }
        byte[] typed = decode(parts[2]);
        if (typed.length != 33 || (typed[0] != ED25519 && typed[0] != COSIGNATURE_V1)) {
            throw new IllegalArgumentException("private note key is not an Ed25519 key");
        }
        Signer signer = new Signer(parts[0], typed[0], java.util.Arrays.copyOfRange(typed, 1, 33));
        if (!hexId(signer.keyId()).equals(parts[1])) {
            throw new IllegalArgumentException("private note key's ID does not match its key");
        }
        return signer;
    }

    /** A verifier from its key string. */
    public static Verifier parseVerifier(String vkey) {
        String[] parts = vkey.strip().split("\\+", 3);
        if (parts.length != 3 || parts[0].isEmpty() || !parts[1].matches("[0-9a-f]{8}")) {
            throw new IllegalArgumentException(
                    "malformed verifier key: expected <name>+<8 hex digits>+<base64 key>");
        }
        byte[] typed = decode(parts[2]);
        if (typed.length != 33 || (typed[0] != ED25519 && typed[0] != COSIGNATURE_V1)) {
            throw new IllegalArgumentException("verifier key is not an Ed25519 key");
        }
        byte[] pub = java.util.Arrays.copyOfRange(typed, 1, 33);
        int id = keyId(parts[0], typed[0], pub);
        if (!hexId(id).equals(parts[1])) {
            throw new IllegalArgumentException("verifier key's ID does not match its key");
        }
        return new Verifier(parts[0], id, typed[0], pub);
    }

    public static int keyId(String name, byte type, byte[] publicKey) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(n.length + 2 + publicKey.length);
        b.put(n).put((byte) '\n').put(type).put(publicKey);
        return ByteBuffer.wrap(Merkle.sha256(b.array())).getInt();
    }

    public static String hexId(int id) {
        return HexFormat.of().toHexDigits(id);
    }

    private static byte[] typed(byte type, byte[] key) {
        byte[] out = new byte[key.length + 1];
        out[0] = type;
        System.arraycopy(key, 0, out, 1, key.length);
        return out;
    }

    private static byte[] decode(String b64) {
        try {
            return Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("key is not valid base64");
        }
    }

    static void checkName(String name) {
        if (name == null
                || name.isEmpty()
                || name.contains("+")
                || name.chars().anyMatch(c -> Character.isWhitespace(c) || c < 0x20)) {
            throw new IllegalArgumentException(
                    "a key name must be non-empty, without spaces or '+'");
        }
    }
}
