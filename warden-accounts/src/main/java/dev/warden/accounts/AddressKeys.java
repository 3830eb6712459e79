package dev.warden.accounts;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * What an address counts as for limits: one client holds an IPv6 /64, one site an IPv6 /48; an IPv4
 * address is itself.
 */
public final class AddressKeys {

    private AddressKeys() {}

    /** One client: an IPv4 address, or the /64 of an IPv6 one. */
    public static String client(InetAddress address) {
        return prefix(address, 64);
    }

    /** One network: an IPv4 address, or the /48 of an IPv6 one. */
    public static String network(InetAddress address) {
        return prefix(address, 48);
    }

    private static String prefix(InetAddress address, int bits) {
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        byte[] prefix = Arrays.copyOf(address.getAddress(), 16);
        Arrays.fill(prefix, bits / 8, 16, (byte) 0);
        try {
            return InetAddress.getByAddress(prefix).getHostAddress() + "/" + bits;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
