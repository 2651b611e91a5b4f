'use strict';
// Oceanic.js with erlpack installed: it switches to encoding=etf on its own, so every frame both
// ways is Erlang external term format. Configured only through its options: rest.baseURL points
// at Gatehouse; the gateway URL comes from GET /gateway/bot. COMPRESS picks zlib-stream
// (zlib-sync) or zstd-stream (zstd-napi).
const { Client, Constants } = require('oceanic.js');
const { emit, serve, env, cached } = require('./harness');

require('erlpack'); // fail loudly if the ETF this script exists to prove would silently be JSON

const intents = ['GUILDS', 'GUILD_MEMBERS', 'GUILD_MESSAGES', 'GUILD_MESSAGE_REACTIONS', 'GUILD_VOICE_STATES', 'DIRECT_MESSAGES'];
if (env('MESSAGE_CONTENT') === '1') {
  intents.push('MESSAGE_CONTENT');
}

const client = new Client({
  auth: `Bot ${env('BOT_TOKEN')}`,
  rest: { baseURL: `${env('GATEHOUSE_API')}/v10` },
  gateway: { intents, compress: env('COMPRESS') },
});

client.on('debug', (m) => { if (process.env.DEBUG) console.error('[oceanic]', m); });
client.on('warn', (m) => console.error('[oceanic warn]', m));
client.on('error', (e) => console.error('[oceanic error]', e));
// the wire's READY and RESUMED: Oceanic's shardReady also fires after a resume
client.on('packet', (p) => {
  if (p.t === 'READY' || p.t === 'RESUMED') {
    emit({ event: p.t });
  }
});
client.once('ready', () => emit({ event: 'started', library: `Oceanic.js ${Constants.VERSION} (etf, ${env('COMPRESS')})` }));
client.on('messageCreate', (m) => emit({ event: 'MESSAGE_CREATE', id: m.id, content: m.content }));
client.on('messageUpdate', (m) => emit({ event: 'MESSAGE_UPDATE', id: m.id, content: m.content }));
client.on('messageDelete', (m) => emit({ event: 'MESSAGE_DELETE', id: m.id }));

const guild = (id) => cached(client.guilds.get(id), `guild ${id}`);

serve({
  guild: ({ guild: id }) => {
    const g = guild(id);
    return { name: g.name, channels: [...g.channels.keys()], roles: [...g.roles.keys()], members: [...g.members.keys()] };
  },
  send: async ({ channel, content }) => (await client.rest.channels.createMessage(channel, { content })).id,
  edit: async ({ channel, message, content }) => {
    await client.rest.channels.editMessage(channel, message, { content });
  },
  delete: async ({ channel, message }) => {
    await client.rest.channels.deleteMessage(channel, message);
  },
  // op 8: by prefix, or everyone when the query is empty
  members: async ({ guild: id, query, limit }) =>
    (await guild(id).fetchMembers(query ? { query, limit } : undefined)).map((m) => m.id),
  exit: async () => {
    client.disconnect(false);
    process.exit(0);
  },
});

client.connect().catch((e) => {
  console.error('[oceanic] connect failed', e);
  process.exit(2);
});
