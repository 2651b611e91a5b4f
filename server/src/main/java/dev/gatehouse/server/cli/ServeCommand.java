package dev.gatehouse.server.cli;

import dev.gatehouse.server.GatehouseServer;
import dev.gatehouse.server.ServerConfig;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gatehouse serve}: runs a node until SIGTERM/SIGINT, then shuts down gracefully. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the server: HTTP API and gateway on one port.")
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--host", defaultValue = "${env:GATEHOUSE_HOST:-0.0.0.0}", description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "${env:GATEHOUSE_PORT:-8080}", description = "Port for the API and the gateway (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--public-url", defaultValue = "${env:GATEHOUSE_PUBLIC_URL}",
            description = "Base URL clients reach this server at, e.g. https://chat.example.org (env GATEHOUSE_PUBLIC_URL).")
    String publicUrl;

    @Option(names = "--no-rate-limits", description = "Disable the HTTP rate limits (load testing only).")
    boolean noRateLimits;

    @Option(names = "--no-identify-limits", description = "Disable the gateway's identify concurrency and daily session-start limits (load testing only).")
    boolean noIdentifyLimits;

    @Option(names = "--worker-id", defaultValue = "${env:GATEHOUSE_WORKER_ID:-0}", description = "Snowflake worker id of this node, 0..31 (default: ${DEFAULT-VALUE}).")
    int workerId;

    @Mixin
    DatabaseOptions database;

    @Override
    public Integer call() throws Exception {
        ServerConfig defaults = ServerConfig.defaults(database.toConfig());
        ServerConfig config = new ServerConfig(host, port, publicUrl, defaults.database(), defaults.maxBodyBytes(),
                !noRateLimits, defaults.limits(), workerId, defaults.gateway().withIdentifyLimits(!noIdentifyLimits));
        GatehouseServer server = GatehouseServer.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "shutdown"));
        System.out.println("Gatehouse is listening on " + server.baseUrl() + " (API " + server.baseUrl() + "/api/v10)");
        stopped.await();
        return 0;
    }
}
