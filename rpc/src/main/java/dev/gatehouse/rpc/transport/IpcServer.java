package dev.gatehouse.rpc.transport;

import dev.gatehouse.rpc.agent.RpcHub;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IPC transport: a Unix socket {@code discord-ipc-N} (the first free N of 0..9) in
 * {@code $XDG_RUNTIME_DIR}, else {@code $TMPDIR}, else {@code /tmp}, where Rich Presence libraries
 * look for it. A socket file nobody answers on is a leftover of a process that died, and is
 * replaced; the agent's own socket is readable by its user only, and removed when it stops.
 */
public final class IpcServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IpcServer.class);
    static final int SLOTS = 10;

    private final Channel channel;
    private final Path path;

    private IpcServer(Channel channel, Path path) {
        this.channel = channel;
        this.path = path;
    }

    /** The folder the socket goes in, as Discord's clients look for it. */
    public static Path defaultDirectory(Map<String, String> env) {
        for (String name : new String[] {"XDG_RUNTIME_DIR", "TMPDIR", "TMP", "TEMP"}) {
            String dir = env.get(name);
            if (dir != null && !dir.isBlank()) {
                return Path.of(dir);
            }
        }
        return Path.of("/tmp");
    }

    public static IpcServer bind(Path directory, EventLoopGroup group, RpcHub hub) throws IOException, InterruptedException {
        for (int n = 0; n < SLOTS; n++) {
            Path path = directory.resolve("discord-ipc-" + n);
            try {
                if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                    // only a socket nobody answers on is ours to replace: never a file, a link or a live socket
                    if (!isSocket(path) || !stale(path)) {
                        continue;
                    }
                    Files.delete(path);
                }
                Channel ch = new ServerBootstrap().group(group).channel(NioServerDomainSocketChannel.class)
                        .childHandler(new ChannelInitializer<Channel>() {
                            @Override
                            protected void initChannel(Channel c) {
                                c.pipeline().addLast(new IpcFrameCodec(), new IpcConnectionHandler(hub));
                            }
                        })
                        .bind(UnixDomainSocketAddress.of(path)).sync().channel();
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
                log.atInfo().addKeyValue("path", path).log("rpc ipc listening");
                return new IpcServer(ch, path);
            } catch (Exception e) {
                if (e instanceof InterruptedException ie) {
                    throw ie;
                }
                // someone else's socket in a shared folder, a race with another agent: the next slot
                log.atDebug().setCause(e).addKeyValue("path", path).log("ipc slot taken");
            }
        }
        throw new IOException("discord-ipc-0 to discord-ipc-" + (SLOTS - 1) + " are all in use in " + directory);
    }

    private static boolean isSocket(Path path) throws IOException {
        // sockets are neither files, folders nor links: "other" to the JDK
        return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther();
    }

    /** A socket file is stale when connecting to it is refused: nobody listens. Anything else (no permission) is not ours. */
    private static boolean stale(Path path) {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(path));
            return false;
        } catch (java.net.ConnectException refused) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.atWarn().setCause(e).addKeyValue("path", path).log("could not remove the ipc socket");
        }
    }
}
