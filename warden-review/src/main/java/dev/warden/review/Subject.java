package dev.warden.review;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * A release under review, and what it follows.
 *
 * @param name the package name
 * @param version the version published
 * @param tarball the tarball's bytes (gzip), already checked by the registry's inspection
 * @param manifest package.json as found in the tarball
 * @param previous the release it follows (the version {@code latest} points to), or null for the
 *     package's first release
 * @param latest the version {@code latest} points to now, or null
 * @param publisher who publishes it
 * @param at when
 * @param tag the dist-tag the release is to get ({@code latest} unless the publisher named another)
 */
public record Subject(
        String name,
        String version,
        byte[] tarball,
        JsonNode manifest,
        Previous previous,
        String latest,
        Publisher publisher,
        Instant at,
        String tag) {

    /** A release to be tagged {@code latest}, as npm publishes by default. */
    public Subject(
            String name,
            String version,
            byte[] tarball,
            JsonNode manifest,
            Previous previous,
            String latest,
            Publisher publisher,
            Instant at) {
        this(name, version, tarball, manifest, previous, latest, publisher, at, "latest");
    }

    /**
     * The release this one follows.
     *
     * @param provenance whether it carried verified provenance
     * @param trustedPublisher whether a trusted publisher (CI, no stored secret) published it
     * @param publisher the account that published it, or the trusted publisher's name
     * @param summary its {@link ReleaseSummary} as stored when it was published, or null (then its
     *     tarball is read)
     */
    public record Previous(
            String version,
            byte[] tarball,
            JsonNode manifest,
            boolean provenance,
            boolean trustedPublisher,
            String publisher,
            byte[] summary) {

        public Previous(
                String version,
                byte[] tarball,
                JsonNode manifest,
                boolean provenance,
                boolean trustedPublisher,
                String publisher) {
            this(version, tarball, manifest, provenance, trustedPublisher, publisher, null);
        }

        /** The same release with its stored summary. */
        public Previous withSummary(byte[] stored) {
            return new Previous(
                    version, tarball, manifest, provenance, trustedPublisher, publisher, stored);
        }
    }

    /**
     * Who publishes.
     *
     * @param user the account (or the trusted publisher's name)
     * @param trustedPublisher whether it is a trusted publisher
     * @param token whether it publishes with a token (not a trusted publisher, not a web session)
     * @param provenance whether this release carries verified provenance
     * @param firstPublishToPackage whether this account never published this package before
     * @param maintainerSince when the account became a maintainer of the package, or null
     * @param address the client's address, or null
     * @param newAddress whether the account never published from this address (or its network)
     * @param userAgent the client's user agent, or null
     * @param newClient whether the account never published with this client
     */
    public record Publisher(
            String user,
            boolean trustedPublisher,
            boolean token,
            boolean provenance,
            boolean firstPublishToPackage,
            Instant maintainerSince,
            String address,
            boolean newAddress,
            String userAgent,
            boolean newClient) {}
}
