package dev.kappa.kafka.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local port that refuses connections until {@link #open(int)}, then forwards each connection to a target port:
 * lets a test point a client at an address where nothing listens yet, and bring "the broker" up later. Clients of a
 * Kafka broker only bootstrap through it; they then reach the broker at the address it advertises.
 *
 * <p>Thread-safe; {@link #close()} stops forwarding and closes every connection.
 */
public final class TcpGate implements AutoCloseable {

    private final int port;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile ServerSocket server;

    private TcpGate(int port) {
        this.port = port;
    }

    /** A gate on a free local port, closed. */
    public static TcpGate closed() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return new TcpGate(probe.getLocalPort());
        }
    }

    /** {@code localhost:port} of the gate. */
    public String address() {
        return "localhost:" + port;
    }

    /** Starts accepting connections and forwarding them to {@code localhost:targetPort}. */
    public void open(int targetPort) throws IOException {
        ServerSocket listening = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        server = listening;
        Thread acceptor = new Thread(() -> {
            while (!listening.isClosed()) {
                try {
                    Socket client = listening.accept();
                    Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                    sockets.add(client);
                    sockets.add(target);
                    pump(client, target);
                    pump(target, client);
                } catch (IOException e) {
                    // closed, or the target refused: the client sees its connection dropped and retries
                }
            }
        }, "tcp-gate-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void pump(Socket from, Socket to) {
        Thread pump = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException e) {
                // one side closed: the other follows below
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "tcp-gate-pump-" + port);
        pump.setDaemon(true);
        pump.start();
    }

    @Override
    public void close() {
        ServerSocket listening = server;
        if (listening != null) {
            closeQuietly(listening);
        }
        sockets.forEach(TcpGate::closeQuietly);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // closing anyway
        }
    }
}
