package dev.gatehouse.rpc.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.gateway.Activity;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The person's account as the RPC connections reach it: the server (through the person's own token
 * and gateway session) and what the agent keeps for the person. Connections never talk to the
 * server themselves, so the session core stays free of I/O and can be tested against a fake.
 * Futures may complete on any thread; the connection hops back onto its own.
 *
 * <p>Lookups answer empty for what does not exist or the person may not see; the shapes are the
 * RPC protocol's (for example {@code {id, name, icon_url}} for a guild).
 */
public interface Account {

    /** The person, as READY shows them. */
    ObjectNode user();

    /** READY's {@code config}: {@code {api_endpoint, cdn_host, environment}}, where programs find the server. */
    ObjectNode config();

    /** The application a client id names, empty when there is none. */
    CompletableFuture<Optional<RpcApplication>> application(long clientId);

    /**
     * Whether the person lets a web page at {@code origin} (one of the application's
     * {@code rpc_origins}) connect as the application; asked once per application and origin.
     */
    CompletableFuture<Boolean> admitOrigin(RpcApplication application, String origin);

    /**
     * Asks the person to approve the application's scopes and, if they do, returns the code the
     * server issued; fails with an {@link dev.gatehouse.rpc.protocol.RpcException} (5000) when the
     * person declines or the server refuses.
     */
    CompletableFuture<String> authorize(RpcApplication application, List<String> scopes);

    /** The grant behind an access token, empty when the token is not (or no longer) valid. */
    CompletableFuture<Optional<RpcGrant>> grant(String accessToken);

    /** {@code [{id, name, icon_url}]}: the person's guilds. */
    CompletableFuture<ArrayNode> guilds();

    /** {@code {id, name, icon_url, members}}. */
    CompletableFuture<Optional<ObjectNode>> guild(long guildId);

    /** {@code [{id, name, type}]}: the guild's channels the person can see. */
    CompletableFuture<Optional<ArrayNode>> channels(long guildId);

    /** {@code {id, guild_id, name, type, topic, bitrate, user_limit, position, voice_states, messages}}. */
    CompletableFuture<Optional<ObjectNode>> channel(long channelId);

    /** The voice channel the person is in, if any. */
    Optional<Long> voiceChannel();

    /** Joins the person to a voice channel of a guild; completes when the server confirmed it. */
    CompletableFuture<Void> joinVoice(long guildId, long channelId);

    /** Takes the person out of voice; completes once sent. */
    CompletableFuture<Void> leaveVoice();

    /** Keeps the text channel a program selected (null clears it); nothing changes on the server. */
    void selectTextChannel(Long channelId);

    /** The voice settings the agent keeps for the person. */
    ObjectNode voiceSettings();

    /** Merges validated voice settings; mute and deafen reach the person's voice state. */
    ObjectNode updateVoiceSettings(JsonNode patch);

    /** The activity one connection shows as the person's Rich Presence; null clears it. */
    void setActivity(long connectionId, Activity activity);
}
