package dev.warden.e2e;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * An HTTPS proxy for tests that sends the named public hosts to a local server: it answers {@code
 * CONNECT host:443}, terminates TLS with a certificate for those hosts from its own test CA (give
 * {@link #caFile()} to Node as {@code NODE_EXTRA_CA_CERTS}) and pipes the decrypted bytes to the
 * target. Unmodified clients that honour {@code HTTPS_PROXY} reach Warden under the public Sigstore
 * host names this way.
 */
final class InterceptingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final SSLContext tls;
    private final Path caFile;
    private final int target;
    private final Set<String> intercepted = ConcurrentHashMap.newKeySet();

    InterceptingProxy(Path dir, List<String> hosts, int targetPort) throws Exception {
        this.target = targetPort;
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair caKey = g.generateKeyPair();
        KeyPair hostKey = g.generateKeyPair();
        Instant now = Instant.now();
        X500Name caName = new X500Name("CN=warden test proxy CA");
        var caBuilder =
                new JcaX509v3CertificateBuilder(
                        caName,
                        BigInteger.ONE,
                        Date.from(now.minusSeconds(3600)),
                        Date.from(now.plusSeconds(86_400)),
                        caName,
                        caKey.getPublic());
        caBuilder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        X509Certificate ca =
                new JcaX509CertificateConverter()
                        .getCertificate(
                                caBuilder.build(
                                        new JcaContentSignerBuilder("SHA256withECDSA")
                                                .build(caKey.getPrivate())));
        var hostBuilder =
                new JcaX509v3CertificateBuilder(
                        caName,
                        BigInteger.TWO,
                        Date.from(now.minusSeconds(3600)),
                        Date.from(now.plusSeconds(86_400)),
                        new X500Name("CN=" + hosts.get(0)),
                        hostKey.getPublic());
        hostBuilder.addExtension(
                Extension.subjectAlternativeName,
                false,
                new GeneralNames(
                        hosts.stream()
                                .map(h -> new GeneralName(GeneralName.dNSName, h))
                                .toArray(GeneralName[]::new)));
        X509Certificate hostCert =
                new JcaX509CertificateConverter()
                        .getCertificate(
                                hostBuilder.build(
                                        new JcaContentSignerBuilder("SHA256withECDSA")
                                                .build(caKey.getPrivate())));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry(
                "host", hostKey.getPrivate(), new char[0], new X509Certificate[] {hostCert, ca});
        KeyManagerFactory kmf =
                KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        caFile = dir.resolve("proxy-ca.pem");
        Files.writeString(
                caFile,
                "-----BEGIN CERTIFICATE-----\n"
                        + Base64.getMimeEncoder(64, new byte[] {'\n'})
                                .encodeToString(ca.getEncoded())
                        + "\n-----END CERTIFICATE-----\n");
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::accept);
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    Path caFile() {
        return caFile;
    }

    /**
     * What a Node client needs to go through this proxy for HTTPS while reaching local servers
     * directly.
     */
    java.util.Map<String, String> clientEnv() {
        return java.util.Map.of(
                "HTTPS_PROXY",
                url(),
                "https_proxy",
                url(),
                "NO_PROXY",
                "127.0.0.1,localhost",
                "no_proxy",
                "127.0.0.1,localhost",
                "NODE_EXTRA_CA_CERTS",
                caFile.toString());
    }

    /** The hosts clients asked to reach through the proxy. */
    Set<String> intercepted() {
        return intercepted;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread.ofVirtual().start(() -> handle(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void handle(Socket client) {
        try (client) {
            String head = readHead(client.getInputStream());
            String[] line = head.split("\r\n", 2)[0].split(" ");
            if (line.length < 2 || !line[0].equals("CONNECT")) {
                client.getOutputStream()
                        .write(
                                "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n"
                                        .getBytes(StandardCharsets.US_ASCII));
                return;
            }
            intercepted.add(line[1].replaceFirst(":\\d+$", ""));
            client.getOutputStream()
                    .write(
                            "HTTP/1.1 200 Connection Established\r\n\r\n"
                                    .getBytes(StandardCharsets.US_ASCII));
            client.getOutputStream().flush();
            SSLSocket tlsSocket =
                    (SSLSocket)
                            tls.getSocketFactory()
                                    .createSocket(
                                            client,
                                            client.getInetAddress().getHostAddress(),
                                            client.getPort(),
                                            true);
            tlsSocket.setUseClientMode(false);
            tlsSocket.startHandshake();
            try (tlsSocket;
                    Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target)) {
                Thread back = Thread.ofVirtual().start(() -> pipe(upstream, tlsSocket));
                pipe(tlsSocket, upstream);
                back.join();
            }
        } catch (IOException | InterruptedException e) {
            // the client went away
        }
    }

    private static void pipe(Socket from, Socket to) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] buf = new byte[16384];
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException | UnsupportedOperationException e) {
            try {
                to.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while ((b = in.read()) >= 0 && head.size() < 16384) {
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                break;
            }
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
