package dev.warden.log;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The log's witness client against a real {@link Witness}, joined by a {@link Transport} that hands
 * the body over in memory.
 */
class WitnessClientTest {

    static final String ORIGIN = "example.com/log";
    static final NoteKey.Signer LOG_KEY = NoteKey.generate(ORIGIN, NoteKey.ED25519);
    static final NoteKey.Signer WITNESS_KEY =
            NoteKey.generate("witness.example", NoteKey.COSIGNATURE_V1);

    @TempDir Path dir;

    /** Posts to the witness and remembers each body's first line ("old N"). */
    final class ToWitness implements Transport {
        final Witness witness;
        final List<String> sent = new ArrayList<>();

        ToWitness(Map<String, List<NoteKey.Verifier>> follows) {
            this.witness =
                    new Witness(
                            WITNESS_KEY,
                            follows,
                            new WitnessState(dir, Clock.systemUTC()),
                            Clock.systemUTC());
        }

        @Override
        public Answer get(URI uri, java.time.Duration timeout) {
            throw new AssertionError("a witness client only posts");
        }

        @Override
        public Answer post(URI uri, String contentType, byte[] body, java.time.Duration timeout) {
            assertThat(uri).hasToString("https://witness.example/add-checkpoint");
            String text = new String(body, StandardCharsets.UTF_8);
            sent.add(text.substring(0, text.indexOf('\n')));
            Witness.Answer a = witness.addCheckpoint(body);
            return new Answer(
                    a.status(), a.contentType(), a.body().getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void theServedCheckpointCarriesTheWitnessCosignature() {
        ToWitness transport = new ToWitness(Map.of(ORIGIN, List.of(LOG_KEY.verifier())));
        try (TransparencyLog log = logWith(3)) {
            WitnessClient client = client(log, transport);

            assertThat(client.submit()).isTrue();
            assertThat(cosignature(log)).isNotNull();
            assertThat(transport.sent).containsExactly("old 0");
            assertThat(client.submit()).as("the same checkpoint is not sent again").isFalse();
            assertThat(transport.sent).hasSize(1);
        }
    }

    @Test
    void aClientThatDoesNotKnowWhatTheWitnessHoldsLearnsItFromTheConflictAnswer() {
        ToWitness transport = new ToWitness(Map.of(ORIGIN, List.of(LOG_KEY.verifier())));
        try (TransparencyLog log = logWith(3)) {
            assertThat(client(log, transport).submit()).isTrue();
            for (int i = 0; i < 2; i++) {
                log.appendAndWait(("later " + i).getBytes(StandardCharsets.UTF_8));
            }
            WitnessClient restarted = client(log, transport);

            assertThat(restarted.submit()).isTrue();
            assertThat(transport.sent).containsExactly("old 0", "old 0", "old 3");
            assertThat(cosignature(log)).isNotNull();
        }
    }

    @Test
    void aWitnessThatDoesNotFollowTheLogAddsNoCosignature() {
        ToWitness transport =
                new ToWitness(Map.of("other.example/log", List.of(LOG_KEY.verifier())));
        try (TransparencyLog log = logWith(1)) {
            assertThat(client(log, transport).submit()).isFalse();
            assertThat(cosignature(log)).isNull();
        }
    }

    static TransparencyLog logWith(int entries) {
        TransparencyLog log =
                new TransparencyLog(
                        new MemoryLogStore(), LOG_KEY, TransparencyLog.Settings.of(ORIGIN));
        for (int i = 0; i < entries; i++) {
            log.appendAndWait(("entry " + i).getBytes(StandardCharsets.UTF_8));
        }
        return log;
    }

    static WitnessClient client(TransparencyLog log, Transport transport) {
        return WitnessClient.parse(
                log, WITNESS_KEY.verifier().vkey() + "@https://witness.example", transport);
    }

    /** The witness's cosignature on the served checkpoint, verified, or null. */
    static Note.Signature cosignature(TransparencyLog log) {
        Note note = Note.parse(log.snapshot().checkpoint());
        return note.signatures().stream()
                .filter(
                        s ->
                                s.name().equals("witness.example")
                                        && Cosignature.verify(
                                                        WITNESS_KEY.verifier(), note.text(), s)
                                                >= 0)
                .findFirst()
                .orElse(null);
    }
}
