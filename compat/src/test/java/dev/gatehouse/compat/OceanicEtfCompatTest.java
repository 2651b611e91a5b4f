package dev.gatehouse.compat;

import dev.gatehouse.server.testing.ApiClient.Account;
import java.util.Map;

/**
 * The compatibility scenarios with Oceanic.js and erlpack: encoding=etf both ways, chosen by the
 * library itself. The content bot compresses with zlib-stream, the other with zstd-stream.
 */
class OceanicEtfCompatTest extends LibraryCompatSuite {

    @Override
    protected BotUnderTest login(CompatWorld world, Account bot, boolean messageContent) {
        return new NodeBot("oceanic-bot.js", world, bot, messageContent,
                Map.of("COMPRESS", messageContent ? "zlib-stream" : "zstd-stream"));
    }
}
