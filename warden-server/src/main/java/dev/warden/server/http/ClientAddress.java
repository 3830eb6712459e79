package dev.warden.server.http;

import dev.warden.accounts.Cidr;
import dev.warden.common.Problem;

import org.eclipse.jetty.http.HttpFields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Who sent a request: the direct peer, unless the peer is one of the configured trusted proxies
 * ({@code server.trusted_proxies}). Then {@code X-Forwarded-For} is read from the right, where each
 * proxy appended the address it received from: the right-most entry that is not itself a trusted
 * proxy is the client. Entries further left are whatever the client wrote and are never believed;
 * an entry that is not an IP literal ends the walk at the proxy that passed it on.
 *
 * <p>With no trusted proxies, a reverse proxy on the same host makes every client 127.0.0.1, and
 * the limits per address (sign-in backoff, sign-up rate) then hold for all clients as one. Nothing
 * can tell such a proxy from a local client for sure, so behaviour does not change; but the first
 * few requests from a loopback peer that carry a proxy's headers are logged as a warning that names
 * {@code server.trusted_proxies}.
 */
public final class ClientAddress {

    private static final Logger LOG = LoggerFactory.getLogger("warden.http");

    /** How many requests that look proxied but are not trusted are warned about. */
    static final int UNTRUSTED_PROXY_WARNINGS = 3;

    /** The headers by which a reverse proxy names the client. */
    private static final List<String> PROXY_HEADERS =
            List.of("Forwarded", "X-Forwarded-For", "X-Real-IP");

    /** No trusted proxies: the peer is the client and {@code X-Forwarded-For} is ignored. */
    public static final ClientAddress DIRECT = new ClientAddress(List.of());

    private final List<Cidr> trusted;
    private final AtomicInteger untrustedProxyWarnings = new AtomicInteger();

    private ClientAddress(List<Cidr> trusted) {
        this.trusted = List.copyOf(trusted);
    }

    /** Trusts the proxies at these addresses or CIDR ranges; a mistake is named. */
    public static ClientAddress trusting(List<String> proxies) {
        List<Cidr> out = new ArrayList<>();
        for (String proxy : proxies) {
            try {
                out.add(Cidr.parse(proxy));
            } catch (Problem e) {
                throw new IllegalArgumentException(
                        "server.trusted_proxies: "
                                + e.getMessage()
                                + " (an IP address or CIDR range)");
            }
        }
        return new ClientAddress(out);
    }

    /**
     * The client of a request from {@code peer} carrying these {@code X-Forwarded-For} values, in
     * order.
     */
    InetAddress of(InetAddress peer, List<String> forwardedFor) {
        if (peer == null || !trusted(peer)) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        for (String value : forwardedFor) {
            for (String hop : value.split(",")) {
                hops.add(hop.trim());
            }
        }
        InetAddress client = peer;
        for (int i = hops.size() - 1; i >= 0 && trusted(client); i--) {
            Optional<InetAddress> hop = Cidr.literal(withoutPort(hops.get(i)));
            if (hop.isEmpty()) {
                break;
            }
            client = hop.get();
        }
        return client;
    }

    /**
     * Warns, at the first {@link #UNTRUSTED_PROXY_WARNINGS} such requests, when no proxy is trusted
     * and a request from a loopback peer carries a header a reverse proxy would add.
     */
    void noticeProxyHeaders(InetAddress peer, HttpFields headers) {
        if (!trusted.isEmpty()
                || untrustedProxyWarnings.get() >= UNTRUSTED_PROXY_WARNINGS
                || peer == null
                || !peer.isLoopbackAddress()) {
            return;
        }
        Optional<String> header = PROXY_HEADERS.stream().filter(headers::contains).findFirst();
        if (header.isEmpty()
                || untrustedProxyWarnings.getAndIncrement() >= UNTRUSTED_PROXY_WARNINGS) {
            return;
        }
        LOG.warn(
                "a request from {} carries {} but server.trusted_proxies is empty, so the header is"
                    + " ignored: if a reverse proxy on this host sends it, every client behind the"
                    + " proxy counts as {}, and the limits per address (sign-in backoff, sign-up"
                    + " rate) hold for them all as one; list the proxy in server.trusted_proxies"
                    + " (for example trusted_proxies = [\"127.0.0.1\"]) and have it send"
                    + " X-Forwarded-For",
                peer.getHostAddress(),
                header.get(),
                peer.getHostAddress());
    }

    private boolean trusted(InetAddress address) {
        return trusted.stream().anyMatch(c -> c.contains(address));
    }

    /** Some proxies write {@code 192.0.2.1:5000} or {@code [2001:db8::1]:5000}. */
    private static String withoutPort(String hop) {
        if (hop.startsWith("[")) {
            int end = hop.indexOf(']');
            return end < 0 ? hop : hop.substring(1, end);
        }
        int colon = hop.indexOf(':');
        return colon > 0 && colon == hop.lastIndexOf(':') ? hop.substring(0, colon) : hop;
    }

    /**
     * What one client holds: an IPv4 address, or the /64 of an IPv6 one (for limits per client).
     */
    public static String networkOf(java.net.InetAddress address) {
        return dev.warden.accounts.AddressKeys.client(address);
    }
}
