package dev.warden.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.registry.Registry;

import org.junit.jupiter.api.Test;

/** The tarball memory never keeps an answer asked before a quarantine forgot the memory. */
class TarballMemoryTest {

    private static final Registry.TarballRef REF =
            new Registry.TarballRef("left-pad", "1.0.0", "blob", 10, "sha512-x");

    @Test
    void anIngestThatEndsAfterAQuarantineIsNotRemembered() {
        TarballMemory memory = new TarballMemory();
        long asked = memory.generation();
        memory.forgetAll(); // a quarantine was placed while the ingest ran

        memory.remember(asked, "left-pad@1.0.0", REF);

        assertThat(memory.get("left-pad@1.0.0")).isNull();
    }

    @Test
    void anIngestWithNothingForgottenMeanwhileIsRemembered() {
        TarballMemory memory = new TarballMemory();
        memory.remember(memory.generation(), "left-pad@1.0.0", REF);

        assertThat(memory.get("left-pad@1.0.0")).isEqualTo(REF);
    }

    @Test
    void aNameThatBecameLocalIsForgottenAndItsIngestInFlightNotRemembered() {
        TarballMemory memory = new TarballMemory();
        memory.remember(memory.generation(), "left-pad@1.0.0", REF);
        memory.remember(memory.generation(), "other@1.0.0", REF);
        long asked = memory.generation();

        memory.forget("left-pad");
        memory.remember(asked, "left-pad@1.1.0", REF);

        assertThat(memory.get("left-pad@1.0.0")).isNull();
        assertThat(memory.get("left-pad@1.1.0")).isNull();
        assertThat(memory.get("other@1.0.0")).isEqualTo(REF);
    }
}
