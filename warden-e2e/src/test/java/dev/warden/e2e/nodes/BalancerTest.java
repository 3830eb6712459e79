package dev.warden.e2e.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;

import dev.warden.server.testing.Http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The test balancer: connections in turn, nodes down skipped, nodes refusing skipped. */
class BalancerTest {

    final List<HttpServer> servers = new ArrayList<>();
    Balancer balancer;

    @BeforeEach
    void start() throws IOException {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            HttpServer s =
                    HttpServer.create(
                            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            String name = "node " + i;
            s.createContext(
                    "/",
                    x -> {
                        byte[] b = name.getBytes(StandardCharsets.UTF_8);
                        x.getResponseHeaders().add("Connection", "close");
                        x.sendResponseHeaders(200, b.length);
                        x.getResponseBody().write(b);
                        x.close();
                    });
            s.start();
            servers.add(s);
            ports.add(s.getAddress().getPort());
        }
        balancer = Balancer.start(0, ports);
    }

    @AfterEach
    void stop() throws IOException {
        balancer.close();
        servers.forEach(s -> s.stop(0));
    }

    /** One request on a new connection (a new client each time). */
    private String get() throws Exception {
        return new Http(balancer.url()).get("/").body();
    }

    @Test
    void connectionsGoToEachNodeInTurn() throws Exception {
        assertThat(List.of(get(), get(), get(), get()))
                .containsExactly("node 0", "node 1", "node 2", "node 0");
        assertThat(balancer.connections(0)).isEqualTo(2);
    }

    @Test
    void aNodeMarkedDownIsSkippedUntilUp() throws Exception {
        balancer.down(1);
        assertThat(List.of(get(), get(), get())).containsExactly("node 0", "node 2", "node 0");
        balancer.up(1);
        assertThat(List.of(get(), get(), get())).containsExactly("node 1", "node 2", "node 0");
    }

    @Test
    void aNodeThatRefusesIsSkippedAndMarkedDown() throws Exception {
        servers.get(1).stop(0);
        assertThat(List.of(get(), get(), get(), get()))
                .containsExactly("node 0", "node 2", "node 0", "node 2");
        assertThat(balancer.connections(1)).isZero();
    }

    @Test
    void withEveryNodeDownTheConnectionIsClosed() throws Exception {
        for (int i = 0; i < 3; i++) {
            balancer.down(i);
        }
        assertThatThrownBy(this::get).isInstanceOf(IOException.class);
    }
}
