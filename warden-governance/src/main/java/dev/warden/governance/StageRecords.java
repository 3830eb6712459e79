package dev.warden.governance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.accounts.Principal;
import dev.warden.storage.Governance.StageRecord;
import dev.warden.storage.MetadataStore.ReadTx;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A stage as JSON: the item {@code npm stage list/view} shows, and the trusted publisher that
 * staged it, stored and read back.
 */
final class StageRecords {

    private final ObjectMapper json;
    private final Quorum quorum;

    StageRecords(ObjectMapper json, Quorum quorum) {
        this.json = json;
        this.quorum = quorum;
    }

    Principal stagerOf(StageRecord s) {
        if (s.publisher() == null) {
            return new Principal(s.actor(), false, null);
        }
        JsonNode p = read(s.publisher());
        List<String> permissions = new ArrayList<>();
        p.path("permissions").forEach(x -> permissions.add(x.asText()));
        Principal.Publisher publisher =
                new Principal.Publisher(
                        p.path("pkg").asText(),
                        p.path("trustId").asText(),
                        p.path("type").asText(),
                        permissions,
                        p.path("identity").asText());
        return new Principal(
                s.actor(),
                false,
                null,
                false,
                new Principal.TokenLimits(List.of(s.pkg()), List.of()),
                publisher);
    }

    ObjectNode publisherJson(Principal.Publisher p) {
        ObjectNode o = json.createObjectNode();
        o.put("pkg", p.pkg());
        o.put("trustId", p.trustId());
        o.put("type", p.type());
        p.permissions().forEach(o.putArray("permissions")::add);
        o.put("identity", p.identity());
        return o;
    }

    ObjectNode item(ReadTx tx, StageRecord unadjusted) {
        StageRecord s = quorum.underCurrentPolicy(tx, unadjusted);
        ObjectNode o = json.createObjectNode();
        o.put("id", s.id());
        o.put("packageName", s.pkg());
        o.put("version", s.version());
        o.put("tag", s.tag());
        o.put("createdAt", s.created().toString());
        o.put("actor", s.actor());
        o.put("actorType", s.actorType());
        o.put("shasum", s.shasum());
        o.put("integrity", s.integrity());
        o.put("state", s.state());
        o.put("approvalsRequired", s.required());
        List<String> approvers = tx.governance().approvers(s.id());
        ArrayNode by = o.putArray("approvedBy");
        approvers.forEach(by::add);
        o.put("approvals", quorum.countingApprovals(tx, s));
        o.put("expiresAt", s.expires().toString());
        if (s.coolOffUntil() != null) {
            o.put("coolOffUntil", s.coolOffUntil().toString());
        }
        if (s.decided() != null) {
            o.put("decidedAt", s.decided().toString());
        }
        if (s.publisher() != null) {
            o.set("trustedPublisher", read(read(s.publisher()).path("identity").asText()));
        }
        if (s.holdReason() != null) {
            o.put("heldBecause", s.holdReason());
        }
        return o;
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
