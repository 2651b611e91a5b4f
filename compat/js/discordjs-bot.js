'use strict';
// discord.js 14, configured only through its options: rest.api points at Gatehouse; the gateway
// URL comes from GET /gateway/bot. zlib-sync is installed, so it asks for zlib-stream.
const { Client, Events, GatewayIntentBits, Partials, version } = require('discord.js');
const { emit, serve, env, cached } = require('./harness');

const intents = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMembers, GatewayIntentBits.GuildMessages,
  GatewayIntentBits.GuildMessageReactions, GatewayIntentBits.GuildVoiceStates, GatewayIntentBits.DirectMessages];
if (env('MESSAGE_CONTENT') === '1') {
  intents.push(GatewayIntentBits.MessageContent);
}

const client = new Client({ intents, partials: [Partials.Message], rest: { api: env('GATEHOUSE_API') } });

client.on(Events.Debug, (m) => { if (process.env.DEBUG) console.error('[discord.js]', m); });
client.on(Events.Warn, (m) => console.error('[discord.js warn]', m));
client.on(Events.Error, (e) => console.error('[discord.js error]', e));
client.on(Events.ShardReady, () => emit({ event: 'READY' }));
client.on(Events.ShardResume, () => emit({ event: 'RESUMED' }));
client.once(Events.ClientReady, () => emit({ event: 'started', library: `discord.js ${version}` }));
client.on(Events.MessageCreate, (m) => emit({ event: 'MESSAGE_CREATE', id: m.id, content: m.content }));
client.on(Events.MessageUpdate, (_old, m) => emit({ event: 'MESSAGE_UPDATE', id: m.id, content: m.content }));
client.on(Events.MessageDelete, (m) => emit({ event: 'MESSAGE_DELETE', id: m.id }));

const guild = (id) => cached(client.guilds.cache.get(id), `guild ${id}`);

serve({
  guild: ({ guild: id }) => {
    const g = guild(id);
    return { name: g.name, channels: [...g.channels.cache.keys()], roles: [...g.roles.cache.keys()],
      members: [...g.members.cache.keys()] };
  },
  send: async ({ channel, content }) => (await (await client.channels.fetch(channel)).send(content)).id,
  edit: async ({ channel, message, content }) => {
    await (await client.channels.fetch(channel)).messages.edit(message, content);
  },
  delete: async ({ channel, message }) => {
    await (await client.channels.fetch(channel)).messages.delete(message);
  },
  // op 8: by prefix, or everyone when the query is empty
  members: async ({ guild: id, query, limit }) =>
    [...(await guild(id).members.fetch(query ? { query, limit } : undefined)).keys()],
  exit: async () => {
    await client.destroy();
    process.exit(0);
  },
});

client.login(env('BOT_TOKEN')).catch((e) => {
  console.error('[discord.js] login failed', e);
  process.exit(2);
});
