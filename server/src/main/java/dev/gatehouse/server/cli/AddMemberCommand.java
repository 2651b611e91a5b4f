package dev.gatehouse.server.cli;

import dev.gatehouse.core.model.User;
import dev.gatehouse.core.service.MemberService;
import dev.gatehouse.server.Node;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code admin add-member}: puts a person or a bot into a guild, as accepting an invite does. */
@Command(name = "add-member", mixinStandardHelpOptions = true,
        description = "Add a user (person or bot) to a guild. Adding a member twice changes nothing.")
final class AddMemberCommand extends AdminTask {

    @Option(names = "--guild", required = true, paramLabel = "<id>", description = "The guild's id.")
    long guildId;

    @Option(names = "--user", required = true, paramLabel = "<user>", description = "A user's id (bots: the application id) or a person's username.")
    String user;

    @Override
    Output run(Node node) {
        User member = user(node, user);
        MemberService.Joined joined = node.platform().members().join(guildId, member.id(), Set.of());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("guild_id", guildId);
        json.put("user_id", member.id());
        json.put("added", joined.created());
        String who = (member.bot() ? "bot " : "user ") + member.username() + " (" + member.id() + ")";
        return new Output(json, List.of(joined.created()
                ? "added " + who + " to guild " + guildId
                : who + " already is a member of guild " + guildId + "; nothing changed"));
    }
}
