package dev.warden.log;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * The log's side of C2SP tlog-witness: submits the latest checkpoint to one witness with a
 * consistency proof from the size the witness last cosigned, checks the cosignature that comes back
 * against the witness's key, and adds it to the served checkpoint.
 */
public final class WitnessClient {

    private static final Logger LOG = LoggerFactory.getLogger(WitnessClient.class);

    private final TransparencyLog log;
    private final URI addCheckpoint;
    private final NoteKey.Verifier witness;
    private final Transport transport;
    private long witnessed = -1;
    private long lastCosigned = -1;

    /**
     * @param url the witness's URL prefix; {@code add-checkpoint} is resolved against it
     */
    public WitnessClient(
            TransparencyLog log, URI url, NoteKey.Verifier witness, Transport transport) {
        if (witness.type() != NoteKey.COSIGNATURE_V1) {
            throw new IllegalArgumentException(
                    "witness key " + witness.name() + " is not a cosignature/v1 key");
        }
        this.log = log;
        String base = url.toString().endsWith("/") ? url.toString() : url + "/";
        this.addCheckpoint = URI.create(base + "add-checkpoint");
        this.witness = witness;
        this.transport = transport;
    }

    /** Parses {@code <verifier key>@<url>}. */
    public static WitnessClient parse(TransparencyLog log, String spec, Transport transport) {
        int at = spec.indexOf('@');
        if (at < 0) {
            throw new IllegalArgumentException(
                    "a witness is given as <verifier key>@<url>, not " + spec);
        }
        return new WitnessClient(
                log,
                URI.create(spec.substring(at + 1).strip()),
                NoteKey.parseVerifier(spec.substring(0, at)),
                transport);
    }

    public NoteKey.Verifier key() {
        return witness;
    }

    /**
     * Submits the latest checkpoint unless this witness already cosigned it; true when a
     * cosignature was added.
     */
    public synchronized boolean submit() {
        TransparencyLog.Snapshot s = log.snapshot();
        if (s.size() == lastCosigned) {
            return false;
        }
        try {
            for (int attempt = 0; attempt < 2; attempt++) {
                long old = Math.max(0, witnessed);
                if (old > s.size()) {
                    LOG.error(
                            "witness {} holds size {}, larger than this log's {}",
                            witness.name(),
                            old,
                            s.size());
                    return false;
                }
                StringBuilder body = new StringBuilder("old ").append(old).append('\n');
                for (byte[] h : log.consistencyProof(old, s.size())) {
                    body.append(Base64.getEncoder().encodeToString(h)).append('\n');
                }
                Note own = Note.parse(s.checkpoint());
                body.append('\n')
                        .append(new Note(own.text(), List.of(own.signatures().get(0))).format());
                Transport.Answer r =
                        transport.post(
                                addCheckpoint,
                                "text/plain; charset=utf-8",
                                body.toString().getBytes(StandardCharsets.UTF_8),
                                Duration.ofSeconds(10));
                if (r.status() == 409 && r.contentType().startsWith("text/x.tlog.size")) {
                    witnessed = Long.parseLong(r.text().strip());
                    continue;
                }
                if (r.status() != 200) {
                    LOG.warn(
                            "witness {} refused checkpoint {}: {} {}",
                            witness.name(),
                            s.size(),
                            r.status(),
                            r.text().strip());
                    return false;
                }
                for (String line : r.text().split("\n")) {
                    if (line.isBlank()) {
                        continue;
                    }
                    Note.Signature sig = Note.parse("x\n\n" + line + "\n").signatures().get(0);
                    if (Cosignature.verify(witness, own.text(), sig) >= 0) {
                        witnessed = s.size();
                        lastCosigned = s.size();
                        return log.addCosignature(s.size(), sig);
                    }
                }
                LOG.warn("witness {} answered without a valid cosignature", witness.name());
                return false;
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not reach witness {}: {}", witness.name(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }
}
