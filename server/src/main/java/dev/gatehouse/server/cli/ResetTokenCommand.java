package dev.gatehouse.server.cli;

import dev.gatehouse.core.model.Application;
import dev.gatehouse.core.model.User;
import dev.gatehouse.server.Node;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code admin reset-token}: revokes every token of a user or bot and prints the one new token. */
@Command(name = "reset-token", mixinStandardHelpOptions = true,
        description = "Revoke every token of a user or a bot and print a new one. The HTTP API refuses the old ones at once.")
final class ResetTokenCommand extends AdminTask {

    static final class Target {
        @Option(names = "--user", required = true, paramLabel = "<user>", description = "A user's id or a person's username.")
        String user;

        @Option(names = "--application", required = true, paramLabel = "<id>", description = "An application's id: resets its bot's token.")
        Long application;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Override
    Output run(Node node) {
        User account;
        if (target.application != null) {
            Application app = node.platform().applications().find(target.application)
                    .orElseThrow(() -> new Refused("no application with id " + target.application));
            account = user(node, Long.toString(app.botUserId()));
        } else {
            account = user(node, target.user);
        }
        long userId = account.id();
        String token = node.store().write(tx -> {
            // the account may have gone since we looked: resetting a deleted user's tokens would issue one for nobody
            tx.users().find(userId).orElseThrow(() -> new Refused("no user with id " + userId));
            return node.platform().tokens().reset(tx, userId);
        });
        String header = account.bot() ? "Bot " + token : token;
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("user_id", userId);
        json.put("bot", account.bot());
        json.put("token", token);
        return new Output(json, List.of(
                "revoked every token of " + (account.bot() ? "bot " : "user ") + account.username() + " (" + userId + ")",
                "new token: " + token,
                "send it as the header  Authorization: " + header));
    }
}
