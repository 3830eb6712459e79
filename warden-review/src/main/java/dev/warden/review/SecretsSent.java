package dev.warden.review;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Key material or a wallet sent to a host the package never talked to: new code that names a new
 * host next to new uses of private keys, mnemonics or a browser wallet's request API
 * (@solana/web3.js 1.95.6 sent secret keys in a header; lottie-player 2.0.5 asked the visitor's
 * wallet to sign the attacker's transactions). A library that always handled keys and adds an
 * endpoint far from them is not this.
 */
final class SecretsSent implements Detector {

    /** How close (bytes) new key or wallet code must be to the new host. */
    static final int NEAR = 4096;

    /** The bytes around a hit that must be absent from the previous file for it to be new. */
    private static final int CONTEXT = 48;

    private static final List<Cue> SECRETS = List.of(Cue.KEY_MATERIAL, Cue.WALLET_HOOK);

    @Override
    public String name() {
        return "secrets-sent";
    }

    @Override
    public void examine(Release r, List<Finding> out) {
        List<Evidence> ev = new ArrayList<>();
        for (String path : r.changedFiles()) {
            byte[] data = r.now.files().get(path);
            if (!Release.isCode(path, data)) {
                continue;
            }
            FileScan s = r.scan(path);
            if (s.binary()
                    || !s.has(Cue.DOWNLOAD)
                    || !(s.has(Cue.KEY_MATERIAL) || s.has(Cue.WALLET_HOOK))) {
                continue;
            }
            byte[] old = r.before.bytes(path);
            List<Integer> hosts = new ArrayList<>();
            // A host in a message ("file an issue at https://...") is not a request: a network
            // call must be near it.
            for (int host : newHosts(data, old)) {
                for (FileScan.Hit d : s.hits(Cue.DOWNLOAD)) {
                    if (Math.abs(d.offset() - host) <= NEAR) {
                        hosts.add(host);
                        break;
                    }
                }
            }
            if (hosts.isEmpty()) {
                continue;
            }
            Evidence found = null;
            for (Cue c : SECRETS) {
                for (FileScan.Hit h : s.hits(c)) {
                    // INVALID_PRIVATE_KEY_LENGTH names an error, not a key.
                    if (!near(hosts, h.offset())
                            || (h.offset() > 0 && identifierChar(data[h.offset() - 1]))
                            || Lexical.at(data, h.offset()) == Lexical.Place.COMMENT) {
                        continue;
                    }
                    int from = Math.max(0, h.offset() - CONTEXT / 2);
                    if (Lexical.occursIn(data, from, CONTEXT, old)) {
                        continue;
                    }
                    found = r.evidence(path, h);
                    break;
                }
                if (found != null) {
                    break;
                }
            }
            if (found != null && ev.size() < MAX_EVIDENCE) {
                int host = hosts.get(0);
                ev.add(r.evidence(path, InstallScripts.lineOf(data, host), host, 60));
                ev.add(found);
            }
        }
        if (!ev.isEmpty()) {
            out.add(
                    new Finding(
                            "secret-sent-to-new-host",
                            Severity.HIGH,
                            "New code names a host the previous release never did, next to new"
                                    + " uses of private keys, mnemonics or a browser wallet.",
                            ev));
        }
    }

    private static boolean near(List<Integer> hosts, int offset) {
        for (int h : hosts) {
            if (Math.abs(h - offset) <= NEAR) {
                return true;
            }
        }
        return false;
    }

    /** Offsets of {@code http(s)://host} whose host the previous file never named (at most 16). */
    static List<Integer> newHosts(byte[] data, byte[] old) {
        List<Integer> out = new ArrayList<>();
        byte[] scheme = "://".getBytes(StandardCharsets.US_ASCII);
        int from = 0;
        int looked = 0;
        while (out.size() < 16 && looked++ < 128) {
            int at = indexOf(data, scheme, from);
            if (at < 0) {
                break;
            }
            from = at + 3;
            int end = from;
            while (end < data.length && hostChar(data[end])) {
                end++;
            }
            if (end - from < 4 || !hasDot(data, from, end)) {
                continue;
            }
            byte[] host = java.util.Arrays.copyOfRange(data, from, end);
            if (old == null || Lexical.indexOf(old, host) < 0) {
                out.add(at);
            }
        }
        return out;
    }

    private static boolean hasDot(byte[] data, int from, int to) {
        for (int i = from; i < to; i++) {
            if (data[i] == '.') {
                return true;
            }
        }
        return false;
    }

    private static boolean identifierChar(byte b) {
        return (b >= 'a' && b <= 'z')
                || (b >= 'A' && b <= 'Z')
                || (b >= '0' && b <= '9')
                || b == '_'
                || b == '$';
    }

    private static boolean hostChar(byte b) {
        return (b >= 'a' && b <= 'z')
                || (b >= 'A' && b <= 'Z')
                || (b >= '0' && b <= '9')
                || b == '.'
                || b == '-';
    }

    private static int indexOf(byte[] data, byte[] needle, int from) {
        outer:
        for (int i = from; i + needle.length <= data.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
