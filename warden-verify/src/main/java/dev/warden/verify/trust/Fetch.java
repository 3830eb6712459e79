package dev.warden.verify.trust;

import dev.warden.verify.Remote;

import java.io.IOException;
import java.net.URI;

/**
 * GETs through the {@link Remote}, with a failure to reach the registry as a {@link
 * TrustException}.
 */
final class Fetch {

    private Fetch() {}

    /** The answer to a GET of {@code uri} (any status), its body at most {@code limit} bytes. */
    static Remote.Response get(Remote remote, URI uri, long limit) throws TrustException {
        try {
            Remote.Response r = remote.get(uri, null, limit);
            if (r == null) {
                throw new TrustException("GET " + uri + " gave no answer");
            }
            return r;
        } catch (IOException e) {
            throw new TrustException("GET " + uri + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrustException("GET " + uri + " was interrupted", e);
        }
    }

    /** The body of a 200 answer; any other status is a {@link TrustException}. */
    static byte[] ok(Remote remote, URI uri, long limit) throws TrustException {
        Remote.Response r = get(remote, uri, limit);
        if (r.status() != 200) {
            throw new TrustException("GET " + uri + " answered " + r.status() + ", expected 200");
        }
        return r.body();
    }
}
