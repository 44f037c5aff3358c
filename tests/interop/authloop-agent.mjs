#!/usr/bin/env node
// A version-1 agent as a user of AuthLoop's packages runs one (their MCP server's
// and OpenClaw plugin's startSession, then waitForStatus), built on
// authloop-core.mjs, for the whole-system tests: it hands a Chromium page to a
// person through handoff-server and reports how the session ended.
//
// Usage: node --experimental-websocket authloop-agent.mjs --server <base_url>
//          --cdp-url <http endpoint> [--target <url part>] [--service <name>]
//          [--blocker <type>] [--hint <text>]
// The API key comes from AUTHLOOP_API_KEY, as for their MCP server.
//
// The page's own DevTools WebSocket is what it streams: AuthLoop's CDP client
// turns an http:// endpoint into the browser's target, which has no screencast,
// so their users give a page's ws:// URL; this script looks it up by --target.
//
// It prints JSON lines on stdout, as `handoff-agent to-human --json` does:
//   {"event":"link","session_id":...,"session_url":...,"protocol":1}
//   {"event":"outcome","outcome":"resolved"|"cancelled"|"timeout"|"error"}
// and exits 0 once the session is over (2 on bad usage, 1 if it could not start).
// Nothing it prints holds a key, a character or a frame.

import { AgentSession, AuthLoopApi } from "./authloop-core.mjs";

const say = (o) => process.stdout.write(JSON.stringify(o) + "\n");

function options(argv) {
  const known = new Set(["--server", "--cdp-url", "--target", "--service", "--blocker", "--hint"]);
  const values = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!known.has(argv[i]) || i + 1 >= argv.length) return null;
    values[argv[i].slice(2)] = argv[i + 1];
  }
  return values.server && values["cdp-url"] ? values : null;
}

async function pageWebSocket(endpoint, target) {
  const pages = await (await fetch(`${endpoint.replace(/\/+$/, "")}/json/list`)).json();
  const page = pages.find((p) => p.type === "page" && (!target || p.url.includes(target)));
  if (!page) throw new Error("no page target matches --target");
  return { webSocket: page.webSocketDebuggerUrl, url: page.url };
}

async function main() {
  const args = options(process.argv.slice(2));
  const apiKey = process.env.AUTHLOOP_API_KEY;
  if (!args || !apiKey || typeof WebSocket !== "function") {
    console.error("usage: AUTHLOOP_API_KEY=... node --experimental-websocket authloop-agent.mjs "
                  + "--server URL --cdp-url URL [--target PART] [--service NAME] [--blocker TYPE] [--hint TEXT]");
    process.exit(2);
  }
  const page = await pageWebSocket(args["cdp-url"], args.target);
  const session = new AgentSession(new AuthLoopApi({ apiKey, baseUrl: args.server.replace(/\/+$/, "") }));
  const stop = () => session.stop().finally(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  const started = await session.start({
    service: args.service ?? "Sign-in",
    cdpUrl: page.webSocket,
    context: { url: page.url, blockerType: args.blocker, hint: args.hint },
  });
  say({ event: "link", session_id: started.sessionId, session_url: started.sessionUrl, protocol: 1 });
  const result = await session.waitForStatus();
  say({ event: "outcome", outcome: result.status });
  process.exit(0);
}

main().catch((error) => {
  console.error(`authloop-agent: ${error.message}`);
  process.exit(1);
});
