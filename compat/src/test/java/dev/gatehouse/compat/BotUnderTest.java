package dev.gatehouse.compat;

import java.util.Set;

/**
 * One unmodified bot library, logged in to a {@link CompatWorld}: the scenarios drive every
 * library through this and compare what each reports. Implementations translate only; they hold
 * no knowledge of Gatehouse.
 */
interface BotUnderTest extends AutoCloseable {

    /** The library's name and version, for reports. */
    String library();

    /** Everything the library reported since it started. */
    BotEvents events();

    /** What the library cached about a guild once ready. */
    record GuildCache(String name, Set<Long> channelIds, Set<Long> roleIds, Set<Long> memberIds) {}

    GuildCache guild(long guildId);

    /** Sends through the library's REST client; returns the new message's id. */
    long send(long channelId, String content);

    void edit(long channelId, long messageId, String content);

    void delete(long channelId, long messageId);

    /** Requests members over the gateway (op 8) by name prefix; returns the user ids received. */
    Set<Long> requestMembers(long guildId, String prefix, int limit);

    @Override
    void close();
}
