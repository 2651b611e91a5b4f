package dev.gatehouse.server.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.core.auth.Principal;
import dev.gatehouse.core.form.Form;
import dev.gatehouse.core.model.Channel;
import dev.gatehouse.core.model.ChannelType;
import dev.gatehouse.core.model.User;
import dev.gatehouse.core.view.GuildView;
import dev.gatehouse.protocol.Json;
import dev.gatehouse.server.Node;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code admin create-guild}: a guild with Discord's default roles and channels, as {@code POST /guilds}. */
@Command(name = "create-guild", mixinStandardHelpOptions = true,
        description = "Create a guild (with its @everyone role and default channels) owned by a user; print its id and channels.")
final class CreateGuildCommand extends AdminTask {

    @Option(names = "--owner", required = true, paramLabel = "<user>", description = "Owner: a user's id or a person's username.")
    String owner;

    @Option(names = "--name", required = true, description = "2-100 characters.")
    String name;

    @Override
    Output run(Node node) {
        User ownerUser = user(node, owner);
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("name", name);
        GuildView guild = node.platform().guilds().create(new Principal(ownerUser), Form.of(body));
        List<Channel> channels = node.store().read(tx -> tx.channels().listByGuild(guild.id()));

        List<Map<String, Object>> channelJson = new ArrayList<>();
        List<String> text = new ArrayList<>();
        text.add("created guild " + guild.name() + " (id " + guild.id() + "), owned by " + ownerUser.username() + " (" + ownerUser.id() + ")");
        text.add("channels:");
        for (Channel c : channels) {
            Map<String, Object> cj = new LinkedHashMap<>();
            cj.put("id", c.id());
            cj.put("type", c.type());
            cj.put("name", c.name());
            cj.put("parent_id", c.parentId());
            channelJson.add(cj);
            text.add(String.format("  %-20d %-9s %s", c.id(), typeName(c.type()), c.name()));
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("guild_id", guild.id());
        json.put("name", guild.name());
        json.put("owner_id", ownerUser.id());
        json.put("channels", channelJson);
        return new Output(json, text);
    }

    private static String typeName(int type) {
        return switch (type) {
            case ChannelType.GUILD_TEXT -> "text";
            case ChannelType.GUILD_VOICE -> "voice";
            case ChannelType.GUILD_CATEGORY -> "category";
            default -> "type " + type;
        };
    }
}
