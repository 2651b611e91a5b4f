package dev.gatehouse.rpc.agent;

import dev.gatehouse.rpc.session.RpcApplication;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Approves applications on the person's allow-list at once, and asks the person in the agent's
 * terminal about the others, one question at a time ("Allow ... ? [y/N]"). Without a terminal
 * (the agent runs as a service) only the allow-list is approved.
 */
public final class ConsoleApprover implements Approver, AutoCloseable {

    private final Set<Long> allowed;
    private final BufferedReader in;
    private final PrintStream out;
    private final ExecutorService prompts = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "rpc-approval-prompt");
        t.setDaemon(true);
        return t;
    });

    /** @param in the terminal to ask on, or null to approve only the allow-list */
    public ConsoleApprover(Set<Long> allowed, BufferedReader in, PrintStream out) {
        this.allowed = Set.copyOf(allowed);
        this.in = in;
        this.out = out;
    }

    @Override
    public CompletableFuture<Boolean> approve(RpcApplication application, List<String> scopes) {
        if (allowed.contains(application.id())) {
            return CompletableFuture.completedFuture(true);
        }
        if (in == null) {
            return CompletableFuture.completedFuture(false);
        }
        return CompletableFuture.supplyAsync(() -> {
            out.printf("%nAllow \"%s\" (application %d) to use your account with: %s? [y/N] ",
                    application.name(), application.id(), String.join(", ", scopes));
            out.flush();
            try {
                String answer = in.readLine();
                return answer != null && (answer.trim().equalsIgnoreCase("y") || answer.trim().equalsIgnoreCase("yes"));
            } catch (IOException e) {
                return false;
            }
        }, prompts);
    }

    @Override
    public void close() {
        prompts.shutdownNow();
    }
}
