package dev.warden.verify.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads one {@code [[registry]]}: its URL, its keys (checked to be public keys) and its TUF root.
 */
final class RegistryReader {

    static final List<String> KEYS = List.of("url", "keys", "tuf_root");

    private final TomlValues values;
    private final Path baseDir;

    RegistryReader(TomlValues values, Path baseDir) {
        this.values = values;
        this.baseDir = baseDir;
    }

    RegistryPin read(ObjectNode t, String key) throws PolicyException {
        values.known(t, key, KEYS);
        String url = values.requiredString(t, key, "url");
        if (!isRegistryUrl(url)) {
            throw values.refuse(
                    key
                            + ".url must be a registry's http(s) base URL with no credentials,"
                            + " query or fragment, not \""
                            + url
                            + "\"");
        }
        List<RegistryPin.Key> keys = new ArrayList<>();
        JsonNode list = t.get("keys");
        if (list != null) {
            if (!list.isArray() || !TomlValues.allObjects(list)) {
                throw values.refuse(
                        key + ".keys must be a list of tables { keyid = \"...\", key = \"...\" }");
            }
            Set<String> ids = new HashSet<>();
            int i = 0;
            for (JsonNode k : list) {
                String at = key + ".keys[" + ++i + "]";
                RegistryPin.Key read = key((ObjectNode) k, at);
                if (!ids.add(read.keyid())) {
                    throw values.refuse(at + ".keyid " + read.keyid() + " is given twice");
                }
                keys.add(read);
            }
        }
        Path tufRoot = null;
        String root = values.optionalString(t, key, "tuf_root");
        if (root != null) {
            Path p = Path.of(root);
            tufRoot = p.isAbsolute() || baseDir == null ? p : baseDir.resolve(p);
            if (!Files.isRegularFile(tufRoot)) {
                throw values.refuse(key + ".tuf_root " + tufRoot + " is not a file");
            }
        }
        return new RegistryPin(url, keys, tufRoot);
    }

    private RegistryPin.Key key(ObjectNode k, String at) throws PolicyException {
        values.known(k, at, List.of("keyid", "key"));
        String keyid = values.requiredString(k, at, "keyid");
        String key = values.requiredString(k, at, "key");
        if (!isPublicKey(key)) {
            throw values.refuse(
                    at
                            + ".key must be a public key as /-/npm/v1/keys serves it (base64 of"
                            + " DER SubjectPublicKeyInfo), and "
                            + keyid
                            + "'s is not");
        }
        return new RegistryPin.Key(keyid, key);
    }

    private static boolean isRegistryUrl(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return false;
        }
        return uri.getScheme() != null
                && List.of("http", "https").contains(uri.getScheme().toLowerCase(Locale.ROOT))
                && uri.getHost() != null
                && uri.getRawQuery() == null
                && uri.getRawFragment() == null
                && uri.getRawUserInfo() == null;
    }

    /** npm's keys are ECDSA P-256; Ed25519 and RSA keys are accepted as what another might use. */
    static boolean isPublicKey(String base64) {
        byte[] der;
        try {
            der = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            return false;
        }
        for (String algorithm : List.of("EC", "Ed25519", "RSA")) {
            try {
                KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
                return true;
            } catch (InvalidKeySpecException | NoSuchAlgorithmException e) {
                // not this algorithm's: try the next
            }
        }
        return false;
    }
}
