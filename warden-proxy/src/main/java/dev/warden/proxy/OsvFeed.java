package dev.warden.proxy;

/** PLACEHOLDER (owner S): quarantines from an OSV feed of MAL- advisories. */
final class OsvFeed {

    OsvFeed(Proxy.Parts parts, Quarantines quarantines) {}

    /** Reads the feed (if configured); returns how many quarantines it added. */
    int refresh() {
        return 0;
    }
}
