package dev.warden.governance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.storage.Governance.ChangeRequest;
import dev.warden.storage.MetadataStore.WriteTx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Change requests filed together: an organization change that empowers someone on several governed
 * packages files one request per package, all with the same {@code group} in their payload, and is
 * made whole or not at all.
 */
public final class RequestGroups {

    /** The kind of the requests of an organization change. */
    public static final String ORG = "org";

    /** The state of a request of a group that has its quorum while others of it wait. */
    public static final String WAITING = "approved";

    private RequestGroups() {}

    /**
     * Ends the other open requests of {@code r}'s group as {@code r} ended: one package's
     * maintainers saying no (or the lifetime ending) ends the organization change.
     */
    static void close(WriteTx tx, ChangeRequest r, String state, Instant now, ObjectMapper json) {
        if (!r.kind().equals(ORG)) {
            return;
        }
        String group = read(json, r.payload()).path("group").asText();
        List<ChangeRequest> open =
                new ArrayList<>(tx.governance().requests(null, PackageGovernance.PENDING));
        open.addAll(tx.governance().requests(null, WAITING));
        for (ChangeRequest x : open) {
            if (!x.id().equals(r.id())
                    && x.kind().equals(ORG)
                    && group.equals(read(json, x.payload()).path("group").asText())) {
                tx.governance().decideRequest(x.id(), state, now, null);
            }
        }
    }

    private static JsonNode read(ObjectMapper json, String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
