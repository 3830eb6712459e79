package dev.warden.proxy;

import dev.warden.storage.Upstreams.Quarantine;

import java.util.List;

/** PLACEHOLDER (owner S): quarantines by admins, each a log statement. */
final class Quarantines {

    Quarantines(Proxy.Parts parts) {}

    void quarantine(String name, String version, String reason, String admin) {
        throw new UnsupportedOperationException("quarantines are not built yet");
    }

    boolean lift(String name, String version, String admin) {
        throw new UnsupportedOperationException("quarantines are not built yet");
    }

    List<Quarantine> list(int limit) {
        throw new UnsupportedOperationException("quarantines are not built yet");
    }
}
