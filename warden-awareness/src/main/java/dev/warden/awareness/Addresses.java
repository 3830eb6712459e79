package dev.warden.awareness;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Where a request comes from, as phishing defence counts places: an IPv4 address, or an IPv6 /64
 * (one network hands its hosts many addresses in it, and rotates them for privacy).
 */
final class Addresses {

    private Addresses() {}

    static String key(InetAddress from) {
        if (from == null) {
            return "unknown";
        }
        if (from instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            StringBuilder k = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                k.append(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff))).append(':');
            }
            return k.append(":/64").toString();
        }
        return from.getHostAddress();
    }

    /**
     * What a client says it is, fit for a line of mail: printable characters only, at most 80 of
     * them (it is the client's own claim, so it is never more than a hint).
     */
    static String client(String client) {
        if (client == null || client.isBlank()) {
            return "an unnamed client";
        }
        String printable = client.replaceAll("[^\\x20-\\x7e]", "?").strip();
        return printable.length() > 80 ? printable.substring(0, 80) + "..." : printable;
    }
}
