package dev.gatehouse.server.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.core.auth.Principal;
import dev.gatehouse.core.form.Form;
import dev.gatehouse.core.model.User;
import dev.gatehouse.core.service.ApplicationService;
import dev.gatehouse.protocol.Json;
import dev.gatehouse.server.Node;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code admin create-bot}: a bot application owned by a person, as {@code POST /applications}
 * makes it for that person, and the bot's token: the only time it is shown.
 */
@Command(name = "create-bot", mixinStandardHelpOptions = true,
        description = "Create a bot application owned by a person and print its id and the bot token (shown only now).")
final class CreateBotCommand extends AdminTask {

    @Option(names = "--owner", required = true, paramLabel = "<user>", description = "Owner: a person's id or username.")
    String owner;

    @Option(names = "--name", required = true, description = "2-32 characters; also the bot user's name.")
    String name;

    @Option(names = "--description", description = "Up to 400 characters.")
    String description;

    @Override
    Output run(Node node) {
        User ownerUser = user(node, owner);
        if (ownerUser.bot()) {
            throw new Refused("the owner must be a person, and " + owner + " is a bot");
        }
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("name", name);
        if (description != null) {
            body.put("description", description);
        }
        ApplicationService.Created created = node.platform().applications().create(new Principal(ownerUser), Form.of(body));
        long id = created.application().id();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("application_id", id);
        json.put("bot_user_id", id);
        json.put("name", created.application().name());
        json.put("owner_id", ownerUser.id());
        json.put("token", created.token());
        return new Output(json, List.of(
                "created bot application " + created.application().name() + " (id " + id + ", also its bot user's id), owned by "
                        + ownerUser.username() + " (" + ownerUser.id() + ")",
                "bot token: " + created.token(),
                "it is shown only now; send it as the header  Authorization: Bot " + created.token(),
                "reset it with: gatehouse admin reset-token --application " + id));
    }
}
