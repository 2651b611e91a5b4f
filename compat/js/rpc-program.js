'use strict';
// A local program using an unmodified RPC client library against the Gatehouse RPC agent.
// Environment: LIBRARY (discord-rpc | xhayper), TRANSPORT (ipc | websocket), CLIENT_ID, and for
// the OAuth2 flow CLIENT_SECRET and SCOPES (comma-separated); API_BASE is where the library's
// token exchange goes (both libraries default to Discord's host, but let the base be set on the
// instance); ORIGIN for discord-rpc's WebSocket; CHANNEL_ID to subscribe to its messages.
// stdout: one JSON object per line ({"event": ...}); stdin closing ends the program.
const readline = require('node:readline');

function emit(event) {
  process.stdout.write(JSON.stringify(event) + '\n');
}

const library = process.env.LIBRARY;
const transport = process.env.TRANSPORT || 'ipc';
const clientId = process.env.CLIENT_ID;
const clientSecret = process.env.CLIENT_SECRET;
const scopes = process.env.SCOPES ? process.env.SCOPES.split(',') : undefined;
const channelId = process.env.CHANNEL_ID;

const activity = {
  details: 'Ranked match',
  state: 'Move 12',
  startTimestamp: 1765000000000,
  largeImageKey: 'board',
  largeImageText: 'The board',
  instance: false,
  buttons: [{ label: 'Watch', url: 'https://chess.example/watch' }],
};

function makeClient() {
  if (library === 'discord-rpc') {
    const { Client } = require('discord-rpc');
    const client = new Client({ transport, origin: process.env.ORIGIN });
    // the library posts its token exchange to this.fetch.endpoint, Discord's host by default
    client.fetch.endpoint = process.env.API_BASE;
    // after AUTHORIZE it probes ports 6463..6472 for the desktop client's HTTP server, and reports
    // a miss as an error event: log it rather than crash
    client.on('error', (e) => console.error('discord-rpc error event:', e && e.message));
    return {
      client,
      login: () => client.login({ clientId, scopes, clientSecret, redirectUri: undefined }),
      setActivity: () => client.setActivity(activity),
      clearActivity: () => client.clearActivity(),
      guilds: async () => (await client.getGuilds()).guilds,
      subscribe: (evt, args) => client.subscribe(evt, args),
      user: () => client.user,
      application: () => client.application,
      destroy: () => client.destroy(),
    };
  }
  if (library === 'xhayper') {
    const { Client } = require('@xhayper/discord-rpc');
    const client = new Client({ clientId, clientSecret, transport: { type: 'ipc' } });
    client.rest.options.api = process.env.API_BASE;
    return {
      client,
      login: () => client.login(scopes ? { scopes } : undefined),
      setActivity: () => client.user.setActivity({ ...activity, type: 0 }),
      clearActivity: () => client.user.clearActivity(),
      guilds: async () => (await client.user.fetchGuilds()).map((g) => ({ id: g.id, name: g.name })),
      subscribe: (evt, args) => client.subscribe(evt, args),
      user: () => client.user && { id: client.user.id, username: client.user.username },
      application: () => client.application,
      destroy: () => client.destroy(),
    };
  }
  throw new Error(`unknown LIBRARY ${library}`);
}

async function main() {
  const lib = makeClient();
  lib.client.on('MESSAGE_CREATE', (data) => emit({ event: 'message', channel_id: data.channel_id, content: data.message.content }));
  lib.client.on('disconnected', () => emit({ event: 'disconnected' }));
  await lib.login();
  const user = lib.user();
  emit({ event: 'ready', user: user && { id: user.id, username: user.username } });
  if (scopes) {
    const guilds = await lib.guilds();
    emit({ event: 'guilds', ids: guilds.map((g) => g.id) });
    if (channelId) {
      await lib.subscribe('MESSAGE_CREATE', { channel_id: channelId });
      emit({ event: 'subscribed' });
    }
  } else {
    const shown = await lib.setActivity();
    emit({ event: 'activity', activity: shown && (shown.activity ?? shown) });
  }
  const rl = readline.createInterface({ input: process.stdin });
  rl.on('line', async (line) => {
    if (line.trim() === 'clear') {
      await lib.clearActivity();
      emit({ event: 'cleared' });
    }
  });
  rl.on('close', async () => {
    try {
      await lib.destroy();
    } finally {
      process.exit(0);
    }
  });
}

main().catch((e) => {
  emit({ event: 'failed', error: String(e && e.stack || e), code: e && e.code });
  process.exit(1);
});
