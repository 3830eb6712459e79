package dev.warden.registry;

import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Tells the registry's listeners (security history, mail) of committed changes; a failing listener fails nothing. */
final class Listeners {

    private static final Logger LOG = LoggerFactory.getLogger(Registry.class);

    private final List<Registry.Listener> listeners;

    Listeners(List<Registry.Listener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    /** Tells the listeners of a committed change (after its commit). */
    void emit(String kind, String user, String pkg, Map<String, Object> detail) {
        Registry.Committed c = new Registry.Committed(kind, user, pkg, detail);
        for (Registry.Listener l : listeners) {
            try {
                l.changed(c);
            } catch (RuntimeException e) {
                LOG.warn("listener failed for {} of {}", kind, pkg, e);
            }
        }
    }
}
