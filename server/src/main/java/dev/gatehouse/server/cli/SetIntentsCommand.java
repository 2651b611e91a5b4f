package dev.gatehouse.server.cli;

import dev.gatehouse.core.model.Application;
import dev.gatehouse.server.Node;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code admin set-intents}: the privileged gateway intents a bot may ask for, set to exactly the
 * flags given (none given: all revoked). Other application flags are kept.
 */
@Command(name = "set-intents", mixinStandardHelpOptions = true,
        description = {"Grant a bot exactly the privileged gateway intents named (none: revoke all).",
                "Takes effect at the bot's next gateway identify."})
final class SetIntentsCommand extends AdminTask {

    @Option(names = "--application", required = true, paramLabel = "<id>", description = "The application's (= bot user's) id.")
    long applicationId;

    @Option(names = "--presence", description = "GATEWAY_PRESENCE (1<<12): lets the bot use the GUILD_PRESENCES intent.")
    boolean presence;

    @Option(names = "--guild-members", description = "GATEWAY_GUILD_MEMBERS (1<<14): lets the bot use the GUILD_MEMBERS intent.")
    boolean guildMembers;

    @Option(names = "--message-content", description = "GATEWAY_MESSAGE_CONTENT (1<<18): lets the bot use the MESSAGE_CONTENT intent.")
    boolean messageContent;

    @Override
    Output run(Node node) {
        Application app = node.platform().applications().find(applicationId)
                .orElseThrow(() -> new Refused("no application with id " + applicationId));
        int granted = (presence ? Application.GATEWAY_PRESENCE : 0)
                | (guildMembers ? Application.GATEWAY_GUILD_MEMBERS : 0)
                | (messageContent ? Application.GATEWAY_MESSAGE_CONTENT : 0);
        int flags = (app.flags() & ~Application.SETTABLE_FLAGS) | granted;
        Application updated = node.platform().applications().setFlags(applicationId, flags);

        List<String> names = new ArrayList<>();
        if (presence) {
            names.add("GATEWAY_PRESENCE");
        }
        if (guildMembers) {
            names.add("GATEWAY_GUILD_MEMBERS");
        }
        if (messageContent) {
            names.add("GATEWAY_MESSAGE_CONTENT");
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("application_id", updated.id());
        json.put("flags", updated.flags());
        json.put("intents", names);
        return new Output(json, List.of("application " + updated.name() + " (" + updated.id() + "): flags " + updated.flags()
                + ", privileged intents " + (names.isEmpty() ? "none" : String.join(", ", names))));
    }
}
