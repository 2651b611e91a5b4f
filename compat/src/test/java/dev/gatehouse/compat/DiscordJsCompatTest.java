package dev.gatehouse.compat;

import dev.gatehouse.server.testing.ApiClient.Account;
import java.util.Map;

/** The compatibility scenarios with discord.js 14 (JSON, zlib-stream through zlib-sync). */
class DiscordJsCompatTest extends LibraryCompatSuite {

    @Override
    protected BotUnderTest login(CompatWorld world, Account bot, boolean messageContent) {
        return new NodeBot("discordjs-bot.js", world, bot, messageContent, Map.of());
    }
}
