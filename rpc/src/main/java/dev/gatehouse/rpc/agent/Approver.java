package dev.gatehouse.rpc.agent;

import dev.gatehouse.rpc.session.RpcApplication;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Who decides whether a program's AUTHORIZE goes ahead: the person, or their allow-list. */
@FunctionalInterface
public interface Approver {

    /** Completes with true when the person approves the application's scopes. */
    CompletableFuture<Boolean> approve(RpcApplication application, List<String> scopes);
}
