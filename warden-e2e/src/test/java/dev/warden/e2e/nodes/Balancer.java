package dev.warden.e2e.nodes;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A small TCP balancer for tests: one loopback port in front of several nodes, each accepted
 * connection forwarded whole to the next node in turn. A node that refuses the connection is marked
 * down and skipped (as is one marked down by the test that killed it) until {@link #up} says
 * otherwise. Forwarding whole connections (not requests) is what a layer-4 balancer does; clients
 * that open several connections spread over the nodes, and one whose node dies sees its connection
 * reset and opens a new one, which lands on a live node.
 */
public final class Balancer implements AutoCloseable {

    private final ServerSocket server;
    private final List<Integer> ports;
    private final Set<Integer> down = ConcurrentHashMap.newKeySet();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicLongArray connections;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    private Balancer(ServerSocket server, List<Integer> ports) {
        this.server = server;
        this.ports = List.copyOf(ports);
        this.connections = new AtomicLongArray(ports.size());
        this.acceptor = Thread.ofPlatform().daemon().name("balancer").unstarted(this::accept);
    }

    /** Listens on a free loopback port (or {@code port} if not 0) in front of {@code ports}. */
    public static Balancer start(int port, List<Integer> ports) throws IOException {
        ServerSocket s = new ServerSocket(port, 256, InetAddress.getLoopbackAddress());
        Balancer b = new Balancer(s, ports);
        b.acceptor.start();
        return b;
    }

    public int port() {
        return server.getLocalPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /** Sends no more connections to node {@code i} (its process was killed). */
    public void down(int i) {
        down.add(i);
    }

    /** Sends connections to node {@code i} again. */
    public void up(int i) {
        down.remove(i);
    }

    /** How many connections went to node {@code i}. */
    public long connections(int i) {
        return connections.get(i);
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            Thread.ofVirtual().start(() -> forward(client));
        }
    }

    private void forward(Socket client) {
        Socket node = connect();
        if (node == null) {
            close(client); // no live node: the client sees the connection closed
            return;
        }
        open.add(client);
        open.add(node);
        Thread up = Thread.ofVirtual().start(() -> pipe(client, node));
        pipe(node, client);
        try {
            up.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close(client);
        close(node);
        open.remove(client);
        open.remove(node);
    }

    /** The next live node, in turn; null when none accepts. */
    private Socket connect() {
        for (int tries = 0; tries < ports.size(); tries++) {
            int i = Math.floorMod(next.getAndIncrement(), ports.size());
            if (down.contains(i)) {
                continue;
            }
            Socket s = new Socket();
            try {
                s.setTcpNoDelay(true);
                s.connect(
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), ports.get(i)),
                        2000);
                connections.incrementAndGet(i);
                return s;
            } catch (IOException refused) {
                close(s);
                down.add(i);
            }
        }
        return null;
    }

    /** Copies until the end of {@code from}, then ends the output of {@code to}. */
    private static void pipe(Socket from, Socket to) {
        byte[] buffer = new byte[64 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // a reset on either side ends both: the client must see its node's death
            close(from);
            close(to);
        }
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        open.forEach(Balancer::close);
    }
}
