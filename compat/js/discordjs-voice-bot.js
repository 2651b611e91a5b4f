'use strict';
// discord.js 14 with @discordjs/voice 0.19, unmodified: joins a voice channel through the main
// gateway's op 4, connects to the endpoint of VOICE_SERVER_UPDATE over wss (the server's
// certificate is trusted through NODE_EXTRA_CA_CERTS), plays Opus frames and records what its
// VoiceReceiver hears from another member. DAVE is left out (daveEncryption: false), so the
// library offers max_dave_protocol_version 0 and media travels under transport encryption only.
const { Client, Events, GatewayIntentBits } = require('discord.js');
const {
  joinVoiceChannel, entersState, VoiceConnectionStatus, createAudioPlayer, createAudioResource, StreamType,
  AudioPlayerStatus, EndBehaviorType, getVoiceConnection,
} = require('@discordjs/voice');
const { Readable } = require('node:stream');
const { emit, serve, env, cached } = require('./harness');

const client = new Client({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildVoiceStates],
  rest: { api: env('GATEHOUSE_API') } });

client.on(Events.Error, (e) => console.error('[discord.js error]', e));
client.once(Events.ClientReady, () => emit({ event: 'started', library: 'discord.js + @discordjs/voice' }));

const heard = new Map(); // user id -> base64 Opus frames, in arrival order

function connection(guildId) {
  return cached(getVoiceConnection(guildId), `voice connection in ${guildId}`);
}

serve({
  join: async ({ guild: guildId, channel }) => {
    const guild = cached(client.guilds.cache.get(guildId), `guild ${guildId}`);
    const conn = joinVoiceChannel({ guildId, channelId: channel, adapterCreator: guild.voiceAdapterCreator,
      selfDeaf: false, selfMute: false, daveEncryption: false, debug: !!process.env.DEBUG });
    conn.on('debug', (m) => { if (process.env.DEBUG) console.error('[voice]', m); });
    conn.on('error', (e) => console.error('[voice error]', e));
    conn.on('stateChange', (from, to) => {
      if (to.status === VoiceConnectionStatus.Disconnected) {
        emit({ event: 'VOICE_DISCONNECTED', id: to.closeCode ?? 0 });
      }
    });
    await entersState(conn, VoiceConnectionStatus.Ready, 20_000);
    const networking = conn.state.networking.state;
    return { mode: networking.connectionData?.encryptionMode ?? null };
  },
  // records every Opus frame the receiver decrypts from a member until they are silent for a second
  listen: async ({ guild: guildId, user }) => {
    const frames = [];
    heard.set(user, frames);
    const stream = connection(guildId).receiver.subscribe(user, { end: { behavior: EndBehaviorType.Manual } });
    stream.on('data', (packet) => frames.push(Buffer.from(packet).toString('base64')));
    return null;
  },
  heard: ({ user }) => heard.get(user) ?? [],
  play: async ({ guild: guildId, frames }) => {
    const player = createAudioPlayer();
    connection(guildId).subscribe(player);
    const packets = frames.map((f) => Buffer.from(f, 'base64'));
    const resource = createAudioResource(Readable.from(packets, { objectMode: true }), { inputType: StreamType.Opus });
    player.play(resource);
    await entersState(player, AudioPlayerStatus.Playing, 5_000);
    await entersState(player, AudioPlayerStatus.Idle, 30_000);
    player.stop();
    return packets.length;
  },
  leave: async ({ guild: guildId }) => {
    connection(guildId).destroy();
    return null;
  },
  exit: async () => {
    await client.destroy();
    process.exit(0);
  },
});

client.login(env('BOT_TOKEN')).catch((e) => {
  console.error('[discord.js] login failed', e);
  process.exit(2);
});
