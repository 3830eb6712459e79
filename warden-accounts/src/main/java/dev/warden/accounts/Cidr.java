package dev.warden.accounts;

import dev.warden.common.Problem;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/** An IPv4 or IPv6 network in CIDR notation. */
public record Cidr(byte[] network, int prefix) {

    public static Cidr parse(String text) {
        String[] parts = text.trim().split("/", 2);
        InetAddress address =
                literal(parts[0]).orElseThrow(() -> Problem.badRequest("invalid CIDR: " + text));
        try {
            byte[] addr = address.getAddress();
            int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : addr.length * 8;
            if (prefix < 0 || prefix > addr.length * 8) {
                throw Problem.badRequest("invalid CIDR prefix: " + text);
            }
            return new Cidr(addr, prefix);
        } catch (NumberFormatException e) {
            throw Problem.badRequest("invalid CIDR: " + text);
        }
    }

    /**
     * An IP literal (a dotted quad, or IPv6 with a colon), never a name to resolve; empty when
     * {@code text} is not one.
     */
    public static Optional<InetAddress> literal(String text) {
        try {
            if (text.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
                byte[] quad = new byte[4];
                String[] octets = text.split("\\.");
                for (int i = 0; i < 4; i++) {
                    int octet = Integer.parseInt(octets[i]);
                    if (octet > 255) {
                        return Optional.empty();
                    }
                    quad[i] = (byte) octet;
                }
                return Optional.of(InetAddress.getByAddress(quad));
            }
            // with a colon, the JDK parses an IPv6 literal and never looks a name up
            return text.contains(":") && text.matches("[0-9a-fA-F:.]+")
                    ? Optional.of(InetAddress.getByName(text))
                    : Optional.empty();
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** Whether every address of {@code other} is in this network. */
    public boolean contains(Cidr other) {
        return other.network.length == network.length
                && other.prefix >= prefix
                && contains(other.network);
    }

    public boolean contains(InetAddress address) {
        return contains(address.getAddress());
    }

    private boolean contains(byte[] a) {
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
