package dev.warden.registry;

/**
 * What the HTTP layer knows of the client that publishes, for the release review: a new address or
 * client for the account is one of the signs of a stolen credential.
 *
 * @param address the client's address as the server resolved it (after trusted proxies), or null
 * @param userAgent the {@code User-Agent} header, or null
 */
public record PublishClient(String address, String userAgent) {

    public static final PublishClient UNKNOWN = new PublishClient(null, null);

    /**
     * The client's product and major version ({@code npm/11}), which changes when someone else
     * publishes, but not on every upgrade; null when unknown.
     */
    String product() {
        if (userAgent == null || userAgent.isBlank()) {
            return null;
        }
        String first = userAgent.strip().split("\\s+", 2)[0];
        int slash = first.indexOf('/');
        if (slash < 0) {
            return first;
        }
        int dot = first.indexOf('.', slash);
        return dot < 0 ? first : first.substring(0, dot);
    }
}
