package dev.warden.cli;

import dev.warden.log.Witness;

import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** {@code warden witness}: a C2SP tlog-witness answering {@code POST <prefix>/add-checkpoint}. */
public final class WitnessServer implements AutoCloseable {

    private static final int DRAIN_LIMIT = 1 << 20;

    private final Server jetty;
    private final ServerConnector connector;

    private WitnessServer(Server jetty, ServerConnector connector) {
        this.jetty = jetty;
        this.connector = connector;
    }

    public static WitnessServer start(String host, int port, Witness witness) throws Exception {
        Server jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost(host);
        connector.setPort(port);
        jetty.addConnector(connector);
        jetty.setHandler(
                new Handler.Abstract() {
                    @Override
                    public boolean handle(Request request, Response response, Callback callback)
                            throws IOException {
                        String path = Request.getPathInContext(request);
                        if (!path.endsWith("/add-checkpoint")) {
                            answer(
                                    response,
                                    callback,
                                    new Witness.Answer(
                                            404, "text/plain; charset=utf-8", "not found\n"));
                            return true;
                        }
                        if (!request.getMethod().equals("POST")) {
                            response.getHeaders().put("Allow", "POST");
                            answer(
                                    response,
                                    callback,
                                    new Witness.Answer(
                                            405, "text/plain; charset=utf-8", "use POST\n"));
                            return true;
                        }
                        // Take in a moderately oversized body so the client reads the refusal
                        // instead of a reset.
                        long declared = request.getLength();
                        byte[] body = new byte[0];
                        if (declared <= DRAIN_LIMIT) {
                            try (InputStream in = Content.Source.asInputStream(request)) {
                                body = in.readNBytes(DRAIN_LIMIT + 1);
                            }
                        }
                        if (declared > Witness.MAX_BODY || body.length > Witness.MAX_BODY) {
                            answer(
                                    response,
                                    callback,
                                    new Witness.Answer(
                                            413,
                                            "text/plain; charset=utf-8",
                                            "request body is too large\n"));
                            return true;
                        }
                        answer(response, callback, witness.addCheckpoint(body));
                        return true;
                    }
                });
        jetty.start();
        return new WitnessServer(jetty, connector);
    }

    private static void answer(Response response, Callback callback, Witness.Answer a) {
        response.setStatus(a.status());
        response.getHeaders().put("Content-Type", a.contentType());
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.write(true, ByteBuffer.wrap(a.body().getBytes(StandardCharsets.UTF_8)), callback);
    }

    public int port() {
        return connector.getLocalPort();
    }

    public void join() throws InterruptedException {
        jetty.join();
    }

    @Override
    public void close() throws Exception {
        jetty.stop();
    }
}
