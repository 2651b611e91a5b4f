package dev.gatehouse.compat;

import dev.gatehouse.server.testing.ApiClient.Account;

/** The compatibility scenarios with JDA (JSON, zlib-stream). */
class JdaCompatTest extends LibraryCompatSuite {

    @Override
    protected BotUnderTest login(CompatWorld world, Account bot, boolean messageContent) {
        return new JdaBot(world, bot, messageContent);
    }
}
