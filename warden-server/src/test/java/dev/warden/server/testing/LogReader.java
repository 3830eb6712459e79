package dev.warden.server.testing;

import com.fasterxml.jackson.databind.JsonNode;

import dev.warden.log.Checkpoint;
import dev.warden.log.Envelope;
import dev.warden.log.Monitor;
import dev.warden.log.Note;
import dev.warden.log.NoteKey;
import dev.warden.log.TilePath;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the transparency log as anyone can, over HTTP: every entry's statement, opened with the
 * registry's published key.
 */
public final class LogReader {

    private LogReader() {}

    /** The statements of every entry, by index. */
    public static List<JsonNode> statements(Http http) throws Exception {
        NoteKey.Verifier registryKey =
                NoteKey.parseVerifier(http.get("/-/log").json().path("registryKey").asText());
        long size =
                Checkpoint.parse(Note.parse(http.get("/-/log/checkpoint").body()).text()).size();
        List<JsonNode> out = new ArrayList<>();
        for (long bundle = 0; bundle * 256 < size; bundle++) {
            int width = (int) Math.min(256, size - bundle * 256);
            for (byte[] entry :
                    Monitor.decodeBundle(
                            http.get(
                                            "/-/log/"
                                                    + new TilePath(TilePath.ENTRIES, bundle, width)
                                                            .path())
                                    .bytes(),
                            width)) {
                out.add(Envelope.open(entry, registryKey));
            }
        }
        return out;
    }
}
