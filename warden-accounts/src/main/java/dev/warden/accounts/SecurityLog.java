package dev.warden.accounts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.SecurityEvents.Event;
import java.net.InetAddress;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** Appends to and reads each account's security history. Events are never changed or removed. */
public final class SecurityLog {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final MetadataStore store;
    private final Clock clock;

    public SecurityLog(MetadataStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public void record(String user, String kind, InetAddress address, Map<String, ?> detail) {
        String json;
        try {
            json = JSON.writeValueAsString(detail);
        } catch (JsonProcessingException e) {
            json = "{}";
        }
        String addr = address == null ? null : address.getHostAddress();
        String body = json;
        store.write(tx -> {
            tx.securityEvents().append(user, kind, clock.instant(), addr, body);
            return null;
        });
    }

    /** Records a token use from an address not seen for this user before. */
    public void noteAddress(String user, InetAddress address) {
        if (address == null) {
            return;
        }
        String addr = address.getHostAddress();
        boolean seen = store.read(tx -> tx.securityEvents().seen(user, "token.new-address", addr));
        if (!seen) {
            record(user, "token.new-address", address, Map.of());
        }
    }

    public List<Event> list(String user, long beforeId, int limit) {
        return store.read(tx -> tx.securityEvents().list(user, beforeId, limit));
    }
}
