package dev.gatehouse.rpc.agent;

import dev.gatehouse.rpc.session.RpcApplication;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongPredicate;

/** Who decides what programs may do with the person's account: the person, or their allow-list. */
public interface Approver {

    /** Completes with true when the person approves the application's scopes (AUTHORIZE). */
    CompletableFuture<Boolean> authorize(RpcApplication application, List<String> scopes);

    /** Completes with true when the person lets a web page at {@code origin} connect as the application. */
    CompletableFuture<Boolean> connect(RpcApplication application, String origin);

    /** Approves exactly the applications {@code allowed} names, for everything, without asking anyone. */
    static Approver allowing(LongPredicate allowed) {
        return new Approver() {
            @Override
            public CompletableFuture<Boolean> authorize(RpcApplication application, List<String> scopes) {
                return CompletableFuture.completedFuture(allowed.test(application.id()));
            }

            @Override
            public CompletableFuture<Boolean> connect(RpcApplication application, String origin) {
                return CompletableFuture.completedFuture(allowed.test(application.id()));
            }
        };
    }
}
