package dev.gatehouse.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.function.Supplier;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * A TCP forwarder on 127.0.0.1 that a test can cut and restore, to make a real database
 * unreachable to the server under test (and reachable again) without touching the database.
 */
public final class TcpProxy implements AutoCloseable {

    private final Supplier<InetSocketAddress> target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket listener;
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private int port;

    public TcpProxy(InetSocketAddress target) {
        this(() -> target);
    }

    /** A proxy whose target is known only once it is asked to connect (a server started after it). */
    public TcpProxy(Supplier<InetSocketAddress> target) {
        this.target = target;
    }

    /** Listens (again) on the same port as before, or on a free one the first time. */
    public synchronized TcpProxy start() throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        port = s.getLocalPort();
        listener = s;
        Thread.ofVirtual().name("proxy-accept").start(() -> accept(s));
        return this;
    }

    public int port() {
        return port;
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket client = s.accept();
                open.add(client);
                CountDownLatch admitted = gate;
                Thread.ofVirtual().start(() -> connect(client, admitted));
            } catch (IOException e) {
                return; // closed by cut()
            }
        }
    }

    private void connect(Socket client, CountDownLatch admitted) {
        try {
            admitted.await();
        } catch (InterruptedException e) {
            closeQuietly(client);
            return;
        }
        InetSocketAddress to = target.get();
        Socket server;
        try {
            server = new Socket(to.getAddress(), to.getPort());
        } catch (IOException e) {
            closeQuietly(client); // the target is down: so is the path through us
            return;
        }
        open.add(server);
        Thread.ofVirtual().start(() -> pump(client, server));
        pump(server, client);
    }

    /**
     * Holds new connections: they are accepted, but nothing passes until {@link #release()}, as on
     * a network path that stalls. Open connections are not affected.
     */
    public void hold() {
        gate = new CountDownLatch(1);
    }

    /** Lets held and new connections through. */
    public void release() {
        gate.countDown();
    }

    private void pump(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            byte[] buffer = new byte[16 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // either side went away: the other pump ends too
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    /** Refuses new connections and drops every open one, as a database host going down would. */
    public synchronized void cut() {
        release();
        closeQuietly(listener);
        for (Socket s : open) {
            closeQuietly(s);
        }
        open.clear();
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            // nothing to do
        }
    }

    @Override
    public void close() {
        cut();
    }
}
