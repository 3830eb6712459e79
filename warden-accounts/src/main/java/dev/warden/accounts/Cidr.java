package dev.warden.accounts;

import dev.warden.common.Problem;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 or IPv6 network in CIDR notation. */
public record Cidr(byte[] network, int prefix) {

    public static Cidr parse(String text) {
        String[] parts = text.trim().split("/", 2);
        try {
            // IP literals only: a dotted quad, or an IPv6 literal (with a colon); never a name to resolve
            if (!parts[0].matches("\\d{1,3}(\\.\\d{1,3}){3}") && !(parts[0].contains(":") && parts[0].matches("[0-9a-fA-F:.]+"))) {
                throw Problem.badRequest("invalid CIDR: " + text);
            }
            byte[] addr = InetAddress.getByName(parts[0]).getAddress();
            int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : addr.length * 8;
            if (prefix < 0 || prefix > addr.length * 8) {
                throw Problem.badRequest("invalid CIDR prefix: " + text);
            }
            return new Cidr(addr, prefix);
        } catch (UnknownHostException | NumberFormatException e) {
            throw Problem.badRequest("invalid CIDR: " + text);
        }
    }

    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length != network.length) {
            return false;
        }
        int bits = prefix;
        for (int i = 0; i < a.length && bits > 0; i++, bits -= 8) {
            int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
            if ((a[i] & mask) != (network[i] & mask)) {
                return false;
            }
        }
        return true;
    }
}
