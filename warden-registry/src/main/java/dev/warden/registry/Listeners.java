package dev.warden.registry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * Tells the registry's listeners (security history, mail) of committed changes; a failing listener
 * fails nothing.
 */
final class Listeners {

    private static final Logger LOG = LoggerFactory.getLogger(Registry.class);

    private final List<Registry.Listener> listeners;

    Listeners(List<Registry.Listener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    /** Tells the listeners of a committed change (after its commit). */
    void emit(String kind, String user, String pkg, Map<String, Object> detail) {
        emit(new Registry.Committed(kind, user, pkg, detail, false));
    }

    /**
     * As {@link #emit(String, String, String, Map)} for a change whose transaction wrote its
     * account history row itself.
     */
    void emitRecorded(String kind, String user, String pkg, Map<String, Object> detail) {
        emit(new Registry.Committed(kind, user, pkg, detail, true));
    }

    private void emit(Registry.Committed c) {
        String kind = c.kind();
        String pkg = c.pkg();
        for (Registry.Listener l : listeners) {
            try {
                l.changed(c);
            } catch (RuntimeException e) {
                LOG.warn("listener failed for {} of {}", kind, pkg, e);
            }
        }
    }
}
