package dev.gatehouse.rpc.agent;

import dev.gatehouse.rpc.session.RpcApplication;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Approves the applications on the person's allow-list at once (every scope, every origin), and
 * asks the person in the agent's terminal about the others, one question at a time
 * ({@code Allow ... ? [y/N]}). A question not answered within {@code patience} is a no, and what
 * a program controls (names, scopes, origins) is shown without control characters, so it cannot
 * rewrite the question. Without a terminal (the agent runs as a service) only the allow-list is
 * approved.
 */
public final class ConsoleApprover implements Approver, AutoCloseable {

    public static final Duration PATIENCE = Duration.ofSeconds(60);

    private final Set<Long> allowed;
    private final BufferedReader in;
    private final PrintStream out;
    private final Duration patience;
    private final ExecutorService prompts = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "rpc-approval-prompt");
        t.setDaemon(true);
        return t;
    });

    /** @param in the terminal to ask on, or null to approve only the allow-list */
    public ConsoleApprover(Set<Long> allowed, BufferedReader in, PrintStream out, Duration patience) {
        this.allowed = Set.copyOf(allowed);
        this.in = in;
        this.out = out;
        this.patience = patience;
    }

    @Override
    public CompletableFuture<Boolean> authorize(RpcApplication application, List<String> scopes) {
        return ask(application, String.format("Allow \"%s\" (application %d) to use your account with: %s?",
                printable(application.name()), application.id(), printable(String.join(", ", scopes))));
    }

    @Override
    public CompletableFuture<Boolean> connect(RpcApplication application, String origin) {
        return ask(application, String.format("A web page at %s wants to connect as \"%s\" (application %d): it would see your name"
                + " and could show what you are doing. Allow?", printable(origin), printable(application.name()), application.id()));
    }

    private CompletableFuture<Boolean> ask(RpcApplication application, String question) {
        if (allowed.contains(application.id())) {
            return CompletableFuture.completedFuture(true);
        }
        if (in == null) {
            return CompletableFuture.completedFuture(false);
        }
        CompletableFuture<Boolean> answer = new CompletableFuture<Boolean>().completeOnTimeout(false, patience.toMillis(), TimeUnit.MILLISECONDS);
        prompts.execute(() -> {
            if (answer.isDone()) {
                return; // timed out while other questions were on screen: not asked at all
            }
            out.print(System.lineSeparator() + question + " [y/N] ");
            out.flush();
            try {
                String line = in.readLine();
                answer.complete(line != null && (line.trim().equalsIgnoreCase("y") || line.trim().equalsIgnoreCase("yes")));
            } catch (IOException e) {
                answer.complete(false);
            }
        });
        return answer;
    }

    /** What a program wrote, without the control characters that could move the cursor or clear the line. */
    static String printable(String s) {
        StringBuilder out = new StringBuilder(Math.min(s.length(), 200));
        s.codePoints().limit(200).forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return out.toString();
    }

    @Override
    public void close() {
        prompts.shutdownNow();
    }
}
