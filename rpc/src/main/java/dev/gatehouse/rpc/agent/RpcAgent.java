package dev.gatehouse.rpc.agent;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.client.gateway.ClientConfig;
import dev.gatehouse.client.gateway.GatewayClient;
import dev.gatehouse.client.rest.RestClient;
import dev.gatehouse.protocol.gateway.Activity;
import dev.gatehouse.rpc.protocol.RpcCloseCode;
import dev.gatehouse.rpc.session.RpcConnection;
import dev.gatehouse.rpc.transport.IpcServer;
import dev.gatehouse.rpc.transport.WsServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local RPC server a person runs next to their programs: it logs in to a Gatehouse server as the
 * person, keeps one gateway session of theirs (the client SDK's, which resumes across disconnects),
 * and serves the RPC protocol on the IPC socket and the WebSocket. Everything runs on one thread:
 * the transports, the connections, the gateway session.
 */
public final class RpcAgent implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RpcAgent.class);
    /** GUILDS, GUILD_MEMBERS, GUILD_VOICE_STATES, GUILD_PRESENCES, GUILD_MESSAGES, DIRECT_MESSAGES, MESSAGE_CONTENT. */
    static final long INTENTS = 1L | 1L << 1 | 1L << 7 | 1L << 8 | 1L << 9 | 1L << 12 | 1L << 15;

    private final EventLoopGroup group;
    private final GatewayClient gateway;
    private final RpcHub hub;
    private final PrometheusMeterRegistry meters;
    private final IpcServer ipc;
    private final WsServer ws;
    private final PersonAccount account;
    private final CompletableFuture<Integer> stopped = new CompletableFuture<>();

    private RpcAgent(EventLoopGroup group, GatewayClient gateway, RpcHub hub, PrometheusMeterRegistry meters, IpcServer ipc, WsServer ws,
            PersonAccount account) {
        this.group = group;
        this.gateway = gateway;
        this.hub = hub;
        this.meters = meters;
        this.ipc = ipc;
        this.ws = ws;
        this.account = account;
        gateway.stopped().thenAcceptAsync(code -> {
            for (RpcConnection c : hub.connections()) {
                c.close(RpcCloseCode.NORMAL, "The agent's session ended");
            }
            stopped.complete(code);
        }, group.next());
    }

    /** Logs in, waits for the person's READY, then opens the transports. */
    public static RpcAgent start(RpcConfig config, Approver approver) throws IOException, InterruptedException, TimeoutException {
        RestClient rest = RestClient.create(config.apiBase(), config.token());
        RestClient.Response gw = rest.request("GET", "/gateway", null).join();
        if (!gw.ok() || gw.body() == null) {
            throw new IOException("the server did not name its gateway: " + gw.status());
        }
        RestClient.Response me = rest.request("GET", "/users/@me", null).join();
        if (me.status() == 401) {
            throw new IOException("the server refused the token");
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("rpc-agent", true), NioIoHandler.newFactory());
        try {
            PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            PersonState state = new PersonState(group.next());
            PersonAccount account = new PersonAccount(rest, group.next(), approver, state, readyConfig(config.server()));
            RpcHub hub = new RpcHub(account, group.next(), System::currentTimeMillis, config.limits(), new RpcMetrics(meters));
            state.attach(hub);
            GatewayClient gateway = GatewayClient.start(
                    ClientConfig.of(URI.create(gw.body().get("url").asText()), config.token(), INTENTS), state, meters, group);
            account.attach(gateway, new VoiceWatch(group.next(), hub, state::ownVoiceChannel, SSLContext.getDefault(),
                    config.server().getScheme().equals("http")));
            try {
                state.ready().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw new IOException("the gateway session failed", e.getCause());
            }
            IpcServer ipc = config.ipcDirectory() == null ? null : IpcServer.bind(config.ipcDirectory(), group, hub);
            WsServer ws = config.wsBasePort() < 0 ? null : WsServer.bind(config.wsHost(), config.wsBasePort(), group, hub, meters::scrape);
            log.atInfo().addKeyValue("user", state.user().path("username").asText()).log("rpc agent ready");
            return new RpcAgent(group, gateway, hub, meters, ipc, ws, account);
        } catch (NoSuchAlgorithmException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException("the JDK has no TLS", e);
        } catch (IOException | InterruptedException | TimeoutException | RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /**
     * READY's {@code config}: where programs find the server's API, protocol-relative as Discord
     * writes it ({@code //host:port/api}); there is no separate CDN, so its host is the server's.
     */
    static ObjectNode readyConfig(URI server) {
        String authority = server.getRawAuthority();
        ObjectNode c = JsonNodeFactory.instance.objectNode();
        c.put("cdn_host", authority);
        c.put("api_endpoint", "//" + authority + "/api");
        c.put("environment", "production");
        return c;
    }

    /**
     * Completes with the close code when the person's gateway session stopped for good (the token
     * was reset, the account is gone): the agent then has nothing to act as. Its connections are
     * closed by then.
     */
    public CompletableFuture<Integer> stopped() {
        return stopped;
    }

    /** The IPC socket's path, if IPC is served. */
    public Optional<Path> ipcPath() {
        return Optional.ofNullable(ipc).map(IpcServer::path);
    }

    /** The WebSocket's port, or -1 when it is not served. */
    public int wsPort() {
        return ws == null ? -1 : ws.port();
    }

    public RpcHub hub() {
        return hub;
    }

    public String scrape() {
        return meters.scrape();
    }

    /** The activity the person shows now, for tests and the status line. */
    public Optional<Activity> shownActivity() {
        return Optional.ofNullable(onLoop(account::shownActivity));
    }

    /** Runs {@code work} on the agent's thread and waits for it. */
    public <T> T onLoop(Callable<T> work) {
        try {
            return group.next().submit(work).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (ipc != null) {
            ipc.close();
        }
        if (ws != null) {
            ws.close();
        }
        gateway.close();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
