'use strict';
// The line protocol between a library's bot script and the Java suite (NodeBot.java).
// stdout: one JSON object per line, either an event ({"event": ...}) or a reply to a command
// ({"reply": id, "ok": true, "result": ...} / {"reply": id, "ok": false, "error": "..."}).
// stdin: one command per line ({"id": n, "cmd": "...", ...}). Logs go to stderr.
const readline = require('node:readline');

function emit(event) {
  process.stdout.write(JSON.stringify(event) + '\n');
}

function serve(commands) {
  const rl = readline.createInterface({ input: process.stdin });
  rl.on('line', async (line) => {
    let request;
    try {
      request = JSON.parse(line);
    } catch (e) {
      console.error('harness: not JSON:', line);
      return;
    }
    const handler = commands[request.cmd];
    if (!handler) {
      emit({ reply: request.id, ok: false, error: `unknown command ${request.cmd}` });
      return;
    }
    try {
      emit({ reply: request.id, ok: true, result: (await handler(request)) ?? null });
    } catch (e) {
      emit({ reply: request.id, ok: false, error: String(e && e.stack || e) });
    }
  });
  // the suite closing stdin (or dying) ends the bot
  rl.on('close', () => commands.exit());
}

function env(name) {
  const value = process.env[name];
  if (value === undefined) {
    throw new Error(`missing environment variable ${name}`);
  }
  return value;
}

// a cache lookup that must succeed: the suite's assertion names what was missing
function cached(value, what) {
  if (value === undefined) {
    throw new Error(`${what} is not cached`);
  }
  return value;
}

module.exports = { emit, serve, env, cached };
