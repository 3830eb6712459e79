package dev.warden.server;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.server.http.Exchange;
import dev.warden.server.http.Reply;
import dev.warden.server.http.Router;
import dev.warden.signing.CertificateAuthority;
import dev.warden.signing.SigningStack;

import java.io.IOException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The private Sigstore's routes, at the paths the Sigstore clients use: Fulcio's {@code POST
 * /api/v2/signingCert} and {@code GET /api/v2/trustBundle}, Rekor's {@code POST
 * /api/v1/log/entries} and {@code POST /api/v2/log/entries}, the timestamp authority's {@code POST
 * /api/v1/timestamp}, and the instance's trusted root, signing config and TUF repository.
 */
final class SigningApi {

    private static final long TIMESTAMP_QUERY = 8 * 1024;

    private final SigningStack stack;
    private final ObjectMapper json;
    private final java.time.Clock clock;

    SigningApi(SigningStack stack, ObjectMapper json, java.time.Clock clock) {
        this.stack = stack;
        this.json = json;
        this.clock = clock;
    }

    void routes(Router router) {
        router.route("POST", "/api/v2/signingCert", this::signingCert)
                .route("GET", "/api/v2/trustBundle", ex -> ex.ok(Map.of("chains", chains())))
                .route(
                        "POST",
                        "/api/v1/log/entries",
                        ex -> ex.status(201, stack.rekor().createEntry(ex.jsonBody())))
                .route(
                        "POST",
                        "/api/v2/log/entries",
                        ex ->
                                Reply.json(
                                        201,
                                        stack.rekor()
                                                .createEntryV2(ex.jsonBody().toString())
                                                .getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .route("POST", "/api/v1/timestamp", TIMESTAMP_QUERY, this::timestamp)
                .route(
                        "GET",
                        "/api/v1/timestamp/certchain",
                        ex ->
                                Reply.text(
                                        200,
                                        "application/pem-certificate-chain",
                                        pems(stack.tsa().chain())))
                .route("GET", "/-/sigstore/trusted_root.json", ex -> ex.ok(stack.trustedRoot()))
                .route("GET", "/-/sigstore/signing_config.json", ex -> ex.ok(stack.signingConfig()))
                .route(
                        "GET",
                        "/-/tuf/{path...}",
                        ex ->
                                stack.tuf()
                                        .file(ex.param("path"))
                                        .map(
                                                b ->
                                                        Reply.json(200, b)
                                                                .header(
                                                                        "Cache-Control",
                                                                        "no-cache"))
                                        .orElseThrow(
                                                () ->
                                                        dev.warden.common.Problem.notFound(
                                                                "no such TUF file")));
    }

    private Reply signingCert(Exchange ex) throws IOException {
        String auth = ex.header("Authorization");
        String bearer =
                auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)
                        ? auth.substring(7).trim()
                        : null;
        return ex.status(201, stack.fulcio().signingCert(ex.jsonBody(), bearer));
    }

    /**
     * RFC 3161 over HTTP, as Sigstore's timestamp authority takes it: a DER TimeStampReq in, a DER
     * TimeStampResp out.
     */
    private Reply timestamp(Exchange ex) throws IOException {
        String type = ex.header("Content-Type");
        if (type == null
                || !type.toLowerCase(java.util.Locale.ROOT)
                        .startsWith("application/timestamp-query")) {
            throw new dev.warden.common.Problem(
                    dev.warden.common.Problem.Kind.UNSUPPORTED_MEDIA_TYPE,
                    "send a DER TimeStampReq as application/timestamp-query");
        }
        byte[] reply = stack.tsa().timestamp(ex.body(), clock.instant());
        return new Reply.Bytes(
                201, "application/timestamp-reply", reply, new java.util.LinkedHashMap<>());
    }

    private static String pems(List<X509Certificate> chain) {
        StringBuilder out = new StringBuilder();
        for (X509Certificate c : chain) {
            try {
                out.append(CertificateAuthority.pem("CERTIFICATE", c.getEncoded()));
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
        }
        return out.toString();
    }

    /** Every intermediate's chain (intermediate, root), oldest first. */
    private List<Map<String, List<String>>> chains() {
        List<Map<String, List<String>>> out = new ArrayList<>();
        for (CertificateAuthority.Intermediate i : stack.ca().intermediates()) {
            List<String> chain = new ArrayList<>();
            for (X509Certificate c : List.of(i.certificate(), stack.ca().root())) {
                try {
                    chain.add(CertificateAuthority.pem("CERTIFICATE", c.getEncoded()));
                } catch (CertificateEncodingException e) {
                    throw new IllegalStateException(e);
                }
            }
            out.add(Map.of("certificates", chain));
        }
        return out;
    }
}
