package dev.gatehouse.compat;

import dev.gatehouse.server.testing.ApiClient.Account;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.JDABuilder;
import net.dv8tion.jda.api.JDAInfo;
import net.dv8tion.jda.api.entities.Guild;
import net.dv8tion.jda.api.entities.ISnowflake;
import net.dv8tion.jda.api.entities.channel.concrete.TextChannel;
import net.dv8tion.jda.api.events.GenericEvent;
import net.dv8tion.jda.api.events.message.MessageDeleteEvent;
import net.dv8tion.jda.api.events.message.MessageReceivedEvent;
import net.dv8tion.jda.api.events.message.MessageUpdateEvent;
import net.dv8tion.jda.api.events.session.ReadyEvent;
import net.dv8tion.jda.api.events.session.SessionRecreateEvent;
import net.dv8tion.jda.api.events.session.SessionResumeEvent;
import net.dv8tion.jda.api.requests.GatewayIntent;
import net.dv8tion.jda.api.requests.RestConfig;
import net.dv8tion.jda.api.utils.ChunkingFilter;
import net.dv8tion.jda.api.utils.ConcurrentSessionController;
import net.dv8tion.jda.api.utils.MemberCachePolicy;
import net.dv8tion.jda.api.utils.cache.CacheFlag;

/**
 * JDA, configured only through its public API: the REST base URL, and a session controller that
 * names our gateway. Compression is JDA's default (zlib-stream), encoding JSON (JDA has no ETF).
 */
final class JdaBot implements BotUnderTest {

    private final JDA jda;
    private final BotEvents events = new BotEvents();

    JdaBot(CompatWorld world, Account bot, boolean messageContent) {
        EnumSet<GatewayIntent> intents = EnumSet.of(GatewayIntent.GUILD_MEMBERS, GatewayIntent.GUILD_MESSAGES,
                GatewayIntent.GUILD_MESSAGE_REACTIONS, GatewayIntent.GUILD_VOICE_STATES, GatewayIntent.GUILD_EXPRESSIONS,
                GatewayIntent.SCHEDULED_EVENTS, GatewayIntent.DIRECT_MESSAGES);
        if (messageContent) {
            intents.add(GatewayIntent.MESSAGE_CONTENT);
        }
        String gateway = world.gatewayUrl();
        jda = JDABuilder.create(CompatWorld.rawToken(bot), intents)
                .setRestConfig(new RestConfig().setBaseUrl(world.restBase() + "/"))
                .setSessionController(new ConcurrentSessionController() {
                    @Override
                    public String getGateway() {
                        return gateway;
                    }
                })
                .disableCache(CacheFlag.ACTIVITY, CacheFlag.CLIENT_STATUS, CacheFlag.ONLINE_STATUS)
                .setMemberCachePolicy(MemberCachePolicy.ALL)
                // the content bot fetches every member at startup (op 8); the other only on request
                .setChunkingFilter(messageContent ? ChunkingFilter.ALL : ChunkingFilter.NONE)
                .addEventListeners((net.dv8tion.jda.api.hooks.EventListener) this::onEvent)
                .build();
        try {
            jda.awaitReady();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void onEvent(GenericEvent event) {
        switch (event) {
            case ReadyEvent e -> events.add(new BotEvent(BotEvent.Kind.READY, 0, null));
            case SessionRecreateEvent e -> events.add(new BotEvent(BotEvent.Kind.READY, 0, null));
            case SessionResumeEvent e -> events.add(new BotEvent(BotEvent.Kind.RESUMED, 0, null));
            case MessageReceivedEvent e -> events.add(new BotEvent(BotEvent.Kind.MESSAGE_CREATE, e.getMessageIdLong(),
                    e.getMessage().getContentRaw()));
            case MessageUpdateEvent e -> events.add(new BotEvent(BotEvent.Kind.MESSAGE_UPDATE, e.getMessageIdLong(),
                    e.getMessage().getContentRaw()));
            case MessageDeleteEvent e -> events.add(new BotEvent(BotEvent.Kind.MESSAGE_DELETE, e.getMessageIdLong(), null));
            default -> { }
        }
    }

    @Override
    public String library() {
        return "JDA " + JDAInfo.VERSION;
    }

    @Override
    public BotEvents events() {
        return events;
    }

    @Override
    public GuildCache guild(long guildId) {
        Guild g = jda.getGuildById(guildId);
        if (g == null) {
            throw new AssertionError("JDA has no guild " + guildId + " cached; it has " + jda.getGuilds());
        }
        return new GuildCache(g.getName(), ids(g.getChannels()), ids(g.getRoles()),
                g.getMembers().stream().map(m -> m.getIdLong()).collect(Collectors.toSet()));
    }

    private static Set<Long> ids(java.util.Collection<? extends ISnowflake> all) {
        return all.stream().map(ISnowflake::getIdLong).collect(Collectors.toSet());
    }

    private TextChannel channel(long id) {
        TextChannel c = jda.getTextChannelById(id);
        if (c == null) {
            throw new AssertionError("JDA has no text channel " + id + " cached");
        }
        return c;
    }

    @Override
    public long send(long channelId, String content) {
        return channel(channelId).sendMessage(content).complete().getIdLong();
    }

    @Override
    public void edit(long channelId, long messageId, String content) {
        channel(channelId).editMessageById(messageId, content).complete();
    }

    @Override
    public void delete(long channelId, long messageId) {
        channel(channelId).deleteMessageById(messageId).complete();
    }

    @Override
    public Set<Long> requestMembers(long guildId, String prefix, int limit) {
        Guild g = jda.getGuildById(guildId);
        try {
            var members = prefix.isEmpty() ? g.loadMembers().get() : g.retrieveMembersByPrefix(prefix, limit).get();
            return members.stream().map(m -> m.getIdLong()).collect(Collectors.toSet());
        } catch (Exception e) {
            throw new AssertionError("member request failed", e);
        }
    }

    @Override
    public void close() {
        jda.shutdown();
        try {
            if (!jda.awaitShutdown(10, TimeUnit.SECONDS)) {
                jda.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
