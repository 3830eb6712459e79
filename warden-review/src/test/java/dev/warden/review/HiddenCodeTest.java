package dev.warden.review;

import static dev.warden.review.Reviews.find;
import static dev.warden.review.Reviews.review;
import static dev.warden.review.Reviews.the;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;

class HiddenCodeTest {

    static final String READABLE = readable(80);

    private static final Pkg LIB = Pkg.of("1.0.0").file("index.js", READABLE);

    static String readable(int functions) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < functions; i++) {
            s.append("function add")
                    .append(i)
                    .append("(a, b) {\n    // adds two numbers\n    return a + b + ")
                    .append(i)
                    .append(";\n}\n\n");
        }
        return s.toString();
    }

    private static Findings adding(String code) {
        return review(LIB, LIB.next("1.0.1").file("index.js", READABLE + code));
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void evalOfBase64IsCritical() {
        Findings f = adding("eval(atob('" + b64("console.log('hello there')") + "'));\n");

        Finding e = the(f, "eval-of-decoded-data");
        assertThat(e.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(e.evidence().get(0).excerpt()).contains("eval(atob(");
    }

    @Test
    void newFunctionOverBufferFromBase64IsCritical() {
        Findings f = adding("new Function(Buffer.from(payload, 'base64').toString())();\n");

        assertThat(the(f, "eval-of-decoded-data").severity()).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void evalFarFromAnyDecoderIsNotEvalOfDecodedData() {
        Findings f =
                adding(
                        "var g = eval('this');\n"
                                + readable(40)
                                + "var s = Buffer.from(x, 'base64');\n");

        assertThat(find(f, "eval-of-decoded-data")).isEmpty();
    }

    @Test
    void decoderAndEvalAlreadyTogetherBeforeAreNotNew() {
        Pkg a = LIB.next("1.0.1").file("index.js", READABLE + "eval(atob(code));\n");
        Pkg b = a.next("1.0.2").file("index.js", READABLE + "eval(atob(code));\n// 1.0.2\n");

        assertThat(find(review(a, b), "eval-of-decoded-data")).isEmpty();
    }

    @Test
    void base64StringThatDecodesToAnExfiltrationUrlIsHigh() {
        Findings f =
                adding(
                        "const u = Buffer.from('"
                                + b64("https://api.ipgeolocation.io/ipgeo?apiKey=0")
                                + "', 'base64').toString();\n");

        Finding e = the(f, "encoded-sensitive-string");
        assertThat(e.severity()).isEqualTo(Severity.HIGH);
        assertThat(e.summary()).contains("ipgeolocation");
    }

    @Test
    void hexStringThatDecodesToChildProcessIsHigh() {
        String hex =
                HexFormat.of()
                        .formatHex(
                                "require('child_process').exec(cmd)"
                                        .getBytes(StandardCharsets.UTF_8));
        Findings f = adding("var m = '" + hex + "';\n");

        assertThat(the(f, "encoded-sensitive-string").summary()).contains("child_process");
    }

    @Test
    void escapedStringThatDecodesToANpmrcPathIsHigh() {
        StringBuilder esc = new StringBuilder();
        for (char c : "/home/user/.npmrc and then some more text to hide here".toCharArray()) {
            esc.append(String.format("\\x%02x", (int) c));
        }
        Findings f = adding("var p = \"" + esc + "\";\n");

        assertThat(the(f, "encoded-sensitive-string").summary()).contains(".npmrc");
    }

    @Test
    void longRandomBase64IsOnlyLow() {
        byte[] random = new byte[600];
        new Random(7).nextBytes(random);
        Findings f = adding("var blob = '" + Base64.getEncoder().encodeToString(random) + "';\n");

        assertThat(the(f, "encoded-string").severity()).isEqualTo(Severity.LOW);
        assertThat(find(f, "encoded-sensitive-string")).isEmpty();
    }

    @Test
    void imageDataUriIsNotAnEncodedString() {
        byte[] random = new byte[600];
        new Random(7).nextBytes(random);
        Findings f =
                adding(
                        "var img = 'data:image/png;base64,"
                                + Base64.getEncoder().encodeToString(random)
                                + "';\n");

        assertThat(find(f, "encoded-string")).isEmpty();
    }

    @Test
    void stringArrayRotationIsHigh() {
        Findings f = adding(obfuscated());

        assertThat(the(f, "string-array-obfuscation").severity()).isEqualTo(Severity.HIGH);
    }

    @Test
    void obfuscationAlreadyShippedIsNotNew() {
        Pkg a = LIB.next("1.0.1").file("dist/protected.js", obfuscated());
        Pkg b = a.next("1.0.2").file("dist/protected.js", obfuscated() + "\n// 1.0.2");

        assertThat(find(review(a, b), "string-array-obfuscation")).isEmpty();
    }

    static String obfuscated() {
        StringBuilder s =
                new StringBuilder(
                        "var _0x1a2b=['log','hello','push','shift'];(function(_0x3c4d,_0x5e6f){var"
                            + " _0x7a8b=function(_0x9c0d){while(--_0x9c0d){_0x3c4d['push'](_0x3c4d['shift']());}};_0x7a8b(++_0x5e6f);}(_0x1a2b,0x1f4));");
        for (int i = 0; i < 30; i++) {
            s.append("var _0x")
                    .append(Integer.toHexString(0x1000 + i))
                    .append("=_0x1a2b[0x")
                    .append(Integer.toHexString(i % 4))
                    .append("];");
        }
        return s.toString();
    }

    @Test
    void readableFileTurnedMinifiedIsMedium() {
        StringBuilder min = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            min.append("function a").append(i).append("(n,t){return n+t+").append(i).append("}");
        }
        Findings f = review(LIB, LIB.next("1.0.1").file("index.js", min.toString()));

        assertThat(the(f, "minified-replaces-source").severity()).isEqualTo(Severity.MEDIUM);
    }

    @Test
    void bundleThatWasAlreadyMinifiedIsNotAFinding() {
        StringBuilder min = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            min.append("function a").append(i).append("(n,t){return n+t+").append(i).append("}");
        }
        Pkg a = LIB.next("1.0.1").file("dist/bundle.min.js", min.toString());
        Pkg b = a.next("1.0.2").file("dist/bundle.min.js", min + "function z(){}");

        assertThat(review(a, b).findings()).isEmpty();
    }

    @Test
    void longLineAppendedToReadableSourceIsMedium() {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < 150; i++) {
            line.append("var q").append(i).append("=w[").append(i).append("]||0;");
        }
        Findings f = adding(line + "\n");

        assertThat(the(f, "long-line-added").severity()).isEqualTo(Severity.MEDIUM);
    }

    @Test
    void bidiOverrideInCodeIsMediumAndShownEscaped() {
        Findings f =
                adding("if (access !== \"user\u202E \u2066// check if admin\u2069 \u2066\") {}\n");

        Finding b = the(f, "bidi-control");
        assertThat(b.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(b.evidence().get(0).excerpt()).contains("\\u{202E}").doesNotContain("\u202E");
    }

    @Test
    void longRunOfVariationSelectorsIsAnInvisiblePayload() {
        StringBuilder hidden = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            hidden.appendCodePoint(0xE0100 + i);
        }
        Findings f = adding("const s = `" + hidden + "`;\n");

        assertThat(the(f, "invisible-payload").severity()).isEqualTo(Severity.HIGH);
    }

    @Test
    void emojiWithPresentationSelectorIsNothing() {
        Findings f = adding("const heart = '\u2764\uFE0F';\n");

        assertThat(find(f, "invisible-payload")).isEmpty();
        assertThat(find(f, "invisible-character")).isEmpty();
    }

    @Test
    void zeroWidthSpaceInCodeIsLow() {
        Findings f = adding("const admin\u200B = false;\n");

        assertThat(the(f, "invisible-character").severity()).isEqualTo(Severity.LOW);
    }
}
