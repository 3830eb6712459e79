package dev.warden.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Vectors from public implementations: RFC 6962 trees from transparency-dev/merkle
 * (testonly/constants.go), signed notes from golang.org/x/mod/sumdb/note (note_test.go),
 * cosignatures and a 300-entry tiled tree from FiloSottile/sunlight (cmd/skylight/testdata), tile
 * paths from transparency-dev/tessera (api/layout/paths_test.go) and a witness exchange from
 * FiloSottile/torchwood (cmd/litewitness/testdata/litewitness.txt).
 */
class KnownAnswerTest {

    static byte[] hex(String h) {
        return HexFormat.of().parseHex(h);
    }

    static final List<byte[]> LEAVES =
            List.of(
                    hex(""),
                    hex("00"),
                    hex("10"),
                    hex("2021"),
                    hex("3031"),
                    hex("40414243"),
                    hex("5051525354555657"),
                    hex("606162636465666768696a6b6c6d6e6f"));

    static final String[] ROOTS = {
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    };

    static final String L1 = "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7";
    static final String L4 = "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b";
    static final String L6 = "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f";
    static final String N23 = "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e";
    static final String N45 = "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a";
    static final String N67 = "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0";
    static final String N47 = "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4";

    static List<byte[]> hashes(String... h) {
        List<byte[]> out = new ArrayList<>();
        for (String s : h) {
            out.add(hex(s));
        }
        return out;
    }

    TransparencyLog logOf(List<byte[]> entries) {
        TransparencyLog log =
                new TransparencyLog(
                        new MemoryLogStore(),
                        TreePropertiesTest.KEY,
                        TransparencyLog.Settings.of("example.com/log"));
        entries.forEach(log::appendAndWait);
        return log;
    }

    @Test
    void rfc6962RootsAndProofs() {
        for (int n = 0; n <= 8; n++) {
            try (TransparencyLog log = logOf(LEAVES.subList(0, n))) {
                assertThat(HexFormat.of().formatHex(log.snapshot().root()))
                        .as("root of %d", n)
                        .isEqualTo(ROOTS[n]);
            }
        }
        try (TransparencyLog log = logOf(LEAVES)) {
            assertThat(log.inclusionProof(0, 1)).isEmpty();
            assertThat(log.inclusionProof(0, 8)).containsExactlyElementsOf(hashes(L1, N23, N47));
            assertThat(log.inclusionProof(5, 8))
                    .containsExactlyElementsOf(hashes(L4, N67, ROOTS[4]));
            assertThat(log.inclusionProof(2, 3)).containsExactlyElementsOf(hashes(ROOTS[2]));
            assertThat(log.inclusionProof(1, 5))
                    .containsExactlyElementsOf(hashes(ROOTS[1], N23, L4));
            assertThat(log.consistencyProof(1, 1)).isEmpty();
            assertThat(log.consistencyProof(1, 8)).containsExactlyElementsOf(hashes(L1, N23, N47));
            assertThat(log.consistencyProof(6, 8))
                    .containsExactlyElementsOf(hashes(N45, N67, ROOTS[4]));
            assertThat(log.consistencyProof(2, 5)).containsExactlyElementsOf(hashes(N23, L4));
            assertThat(log.consistencyProof(6, 7))
                    .containsExactlyElementsOf(hashes(N45, L6, ROOTS[4]));
            assertThat(
                            Merkle.verifyConsistency(
                                    6, 7, hex(ROOTS[6]), hex(ROOTS[7]), hashes(N45, L6, ROOTS[4])))
                    .isTrue();
            assertThat(
                            Merkle.verifyInclusion(
                                    5,
                                    8,
                                    Merkle.leafHash(LEAVES.get(5)),
                                    hashes(L4, N67, ROOTS[4]),
                                    hex(ROOTS[8])))
                    .isTrue();
        }
    }

    @Test
    void goSignedNoteVectors() {
        NoteKey.Verifier peter =
                NoteKey.parseVerifier(
                        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW");
        NoteKey.Signer peterSigner =
                NoteKey.parseSigner(
                        "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz");
        assertThat(peterSigner.verifier()).isEqualTo(peter);
        String text =
                "If you think cryptography is the answer to your problem,\n"
                        + "then you don't know what your problem is.\n";
        String signed =
                text
                        + "\n"
                        + "\u2014 PeterNeumann"
                        + " x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
        assertThat(Note.sign(text, peterSigner).format()).isEqualTo(signed);
        Note note = Note.parse(signed);
        assertThat(note.verify(List.of(peter))).containsExactly(peter);
        NoteKey.Verifier enoch =
                NoteKey.parseVerifier(
                        "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop");
        Note both =
                Note.parse(
                        signed
                                + "\u2014 EnochRoot"
                                + " rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n");
        assertThat(both.verify(List.of(peter, enoch))).containsExactly(peter, enoch);
        // Unknown keys are ignored; a known key whose signature fails rejects the note.
        assertThat(Note.parse(signed).verify(List.of(enoch))).isEmpty();
        String forged = signed.replace("ZInNIuGU", "ZInNIuGV");
        assertThatThrownBy(() -> Note.parse(forged).verify(List.of(peter)))
                .hasMessageContaining("does not verify");
        assertThat(Note.parse(signed.replace("x08go", "x08gp")).verify(List.of(peter)))
                .as("a different key ID is an unknown key")
                .isEmpty();
        assertThatThrownBy(
                        () -> Note.parse(signed + signed.substring(text.length() + 1).repeat(100)))
                .hasMessageContaining("too many");
        assertThatThrownBy(() -> Note.parse(text)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Note.parse("\u0001" + signed))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () ->
                                NoteKey.parseVerifier(
                                        "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=="))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () ->
                                NoteKey.parseVerifier(
                                        "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"))
                .hasMessageContaining("ID does not match");
        NoteKey.Verifier spec =
                NoteKey.parseVerifier(
                        "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k");
        assertThat(
                        Note.parse(
                                        "This is an example message.\n\n"
                                            + "\u2014 example.com/foo"
                                            + " Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n")
                                .verify(List.of(spec)))
                .containsExactly(spec);
    }

    @Test
    void sunlightCosignatureVector() {
        byte[] seed = Merkle.sha256("skylight test witness key".getBytes(StandardCharsets.UTF_8));
        NoteKey.Signer witness =
                new NoteKey.Signer("witness.example.org", NoteKey.COSIGNATURE_V1, seed);
        assertThat(witness.verifier().vkey())
                .isEqualTo(
                        "witness.example.org+b8a2cf20+BFLN3yikSfFkVAJtrnh/CiY3Zozkoy7clp+P7XB28qUN");
        String body = "rome2026h1.example.org\n300\nlCkHUpkmVBEms2r2T1K6Og69+wUuuN3MIEW1/ezu2v0=\n";
        String line =
                "\u2014 witness.example.org"
                    + " uKLPIAAAAABpVGeAhm2bOvKc3LaB9PFN1ruG19Y5yqslmcAAbhftnn1Zznmo0LXFZq4LGvqKqLX8jWlwLKasxEGTLIqAVusneCBmBw==\n";
        assertThat(Cosignature.sign(witness, body, 1767139200L).line()).isEqualTo(line);
        Note.Signature sig = Note.parse(body + "\n" + line).signatures().get(0);
        assertThat(Cosignature.verify(witness.verifier(), body, sig)).isEqualTo(1767139200L);
        assertThat(Cosignature.verify(witness.verifier(), body.replace("300", "301"), sig))
                .isEqualTo(-1);
        NoteKey.Verifier witness2 =
                NoteKey.parseVerifier(
                        "witness2.example.org+2e55b896+BIZ7fpceQWd60IfqQeS9IAnmNOCZjMDne8lZuguz/bi9");
        Note.Signature sig2 =
                Note.parse(
                                "x\n\n"
                                    + "\u2014 witness2.example.org"
                                    + " LlW4lgAAAABpVGeAN/uFWqfjdU94rrKxFycCggM0Sa1L5tOJCJdYBwJ41CQsgKWA6B0+vywok3cPI3JIzuPeR+VotuYe/eNy0+30Dw==\n")
                        .signatures()
                        .get(0);
        assertThat(
                        Cosignature.verify(
                                witness2,
                                "milan2026h1.example.org\n"
                                        + "300\n"
                                        + "lCkHUpkmVBEms2r2T1K6Og69+wUuuN3MIEW1/ezu2v0=\n",
                                sig2))
                .isEqualTo(1767139200L);
    }

    @Test
    void sunlightTiledTreeOf300Records() {
        List<byte[]> records = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            records.add(("record " + i).getBytes(StandardCharsets.UTF_8));
        }
        try (TransparencyLog log = logOf(records)) {
            assertThat(Base64.getEncoder().encodeToString(log.snapshot().root()))
                    .isEqualTo("gw31yQrqZZCcEOPrzX+bpy3nJ6QgngTKn8G1m0i62uU=");
            assertThat(Merkle.hex(Merkle.sha256(log.read(new TilePath(0, 0, 256)))))
                    .isEqualTo("66a1d43136a854a5776d5bce14bf101c925fc7d4b32f1be23b658f636ebfcddb");
            assertThat(Merkle.hex(Merkle.sha256(log.read(new TilePath(0, 1, 44)))))
                    .isEqualTo("699f078d937f13343d71ad39321757de3ecf391e8d7a1b2015ad38bd36f5d60a");
            assertThat(Merkle.hex(log.read(new TilePath(1, 0, 1))))
                    .isEqualTo("dc9349f9787ed0086da6d97f679c51a5198f98e456e95b1d87fa3abc012fec31");
        }
    }

    @Test
    void tilePaths() {
        assertThat(new TilePath(0, 1234067, 256).path()).isEqualTo("tile/0/x001/x234/067");
        assertThat(new TilePath(0, 0, 255).path()).isEqualTo("tile/0/000.p/255");
        assertThat(new TilePath(5, 123456789, 41).path()).isEqualTo("tile/5/x123/x456/789.p/41");
        assertThat(new TilePath(TilePath.ENTRIES, 0, 8).path()).isEqualTo("tile/entries/000.p/8");
        assertThat(new TilePath(TilePath.ENTRIES, 455667, 256).path())
                .isEqualTo("tile/entries/x455/667");
        assertThat(new TilePath(0, 1000, 256).path()).isEqualTo("tile/0/x001/000");
        assertThat(TilePath.parse(List.of("0", "x001", "x234", "067")))
                .isEqualTo(new TilePath(0, 1234067, 256));
        assertThat(TilePath.parse(List.of("63", "000"))).isEqualTo(new TilePath(63, 0, 256));
        assertThat(TilePath.parse(List.of("entries", "255.p", "253")))
                .isEqualTo(new TilePath(TilePath.ENTRIES, 255, 253));
        for (List<String> bad :
                List.of(
                        List.of("0", "000.p", ""),
                        List.of("0", "000.p"),
                        List.of("0", "x001", "x234"),
                        List.of("0", "001", "002"),
                        List.of("0", "x001", "0002"),
                        List.of("0", "x001", "-02"),
                        List.of("0", "000.p", "256"),
                        List.of("64", "000"),
                        List.of("-1", "000"),
                        List.of("abc", "000"),
                        List.of("0", "x000", "001"),
                        List.of("0", "000.p", "0"),
                        List.of("0", "000.p", "01"),
                        List.of("00", "000"),
                        List.of("07", "000"))) {
            assertThat(TilePath.parse(bad)).as(bad.toString()).isNull();
        }
    }

    /** The litewitness exchange with a Sigsum log's signed checkpoints over fake leaf hashes. */
    @Test
    void litewitnessExchange(@TempDir Path dir) {
        byte[] pk = hex("ffdc2d4d98e4124d3feaf788c0c2f9abfd796083d1f0495437f302ec79cf100f");
        String origin =
                "sigsum.org/v1/tree/4d6d8825a6bb689d459628312889dfbb0bcd41b5211d9e1ce768b0ff0309e562";
        NoteKey.Verifier logKey =
                new NoteKey.Verifier(
                        origin, NoteKey.keyId(origin, NoteKey.ED25519, pk), NoteKey.ED25519, pk);
        assertThat(NoteKey.hexId(logKey.keyId())).isEqualTo("5202289b");
        Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        Witness w =
                new Witness(
                        NoteKey.generate("example.com/witness", NoteKey.COSIGNATURE_V1),
                        Map.of(origin, List.of(logKey)),
                        new WitnessState(dir, clock),
                        clock);
        String cp1 =
                origin
                        + "\n1\nKgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n\u2014 "
                        + origin
                        + " UgIom7fPZTqpxWWhyjWduBvTvGVqsokMbqTArsQilegKoFBJQjUFAmQ0+YeSPM3wfUQMFSzVnnNuWRTYrajXpNUbIQY=\n";
        String cp3 =
                origin
                        + "\n3\nRcCI1Nk56ZcSmIEfIn0SleqtV7uvrlXNccFx595Iwl0=\n\n\u2014 "
                        + origin
                        + " UgIom2VbtIcdFbwFAy1n7s6IkAxIY6J/GQOTuZF2ORV39d75cbAj2aQYwyJre36kezNobZs4SUUdrcawfAB8WVrx6go=\n";
        String proof =
                "KgEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"
                        + "KgIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
        Witness.Answer first =
                w.addCheckpoint(("old 0\n\n" + cp1).getBytes(StandardCharsets.UTF_8));
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body()).startsWith("\u2014 example.com/witness ");
        assertThat(
                        w.addCheckpoint(
                                        ("old 1\n" + proof + "\n" + cp3.replace("6go=", "6gx="))
                                                .getBytes(StandardCharsets.UTF_8))
                                .status())
                .isEqualTo(403);
        assertThat(
                        w.addCheckpoint(
                                        ("old 1\n" + proof + "\n" + cp3.replace("e562", "e563"))
                                                .getBytes(StandardCharsets.UTF_8))
                                .status())
                .isEqualTo(404);
        assertThat(w.addCheckpoint(("old 1\n\n" + cp3).getBytes(StandardCharsets.UTF_8)).status())
                .isEqualTo(422);
        assertThat(
                        w.addCheckpoint(
                                        ("old 1\n"
                                                        + proof.replace(
                                                                "KgIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                                                                "KgIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAABA=")
                                                        + "\n"
                                                        + cp3)
                                                .getBytes(StandardCharsets.UTF_8))
                                .status())
                .isEqualTo(422);
        Witness.Answer wrongOld =
                w.addCheckpoint(("old 0\n\n" + cp3).getBytes(StandardCharsets.UTF_8));
        assertThat(wrongOld.status()).isEqualTo(409);
        assertThat(wrongOld.contentType()).isEqualTo("text/x.tlog.size");
        assertThat(wrongOld.body()).isEqualTo("1\n");
        Witness.Answer ok =
                w.addCheckpoint(("old 1\n" + proof + "\n" + cp3).getBytes(StandardCharsets.UTF_8));
        assertThat(ok.status()).isEqualTo(200);
        Note.Signature cosig = Note.parse(cp3 + ok.body()).signatures().get(1);
        assertThat(Cosignature.verify(w.verifier(), Note.parse(cp3).text(), cosig))
                .isEqualTo(Instant.parse("2026-01-01T00:00:00Z").getEpochSecond());
    }
}
