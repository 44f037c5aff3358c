// MCP interop peer: drives `handoff-agent mcp` with the official MCP TypeScript
// SDK client. Prints one JSON object per line on stdout for the C++ test that
// plays the person's viewer:
//   {"event":"tools","names":[...]}
//   {"event":"link","session_id":..,"session_url":..}          (first hand-over)
//   {"event":"status","status":..,"progress":<notifications seen>}
//   {"event":"link2","session_id":..}                          (second hand-over)
//   {"event":"cancelled"}                                      (client cancelled the wait)
// Usage: node mcp-client.mjs <handoff-agent> <cdp-url>   (HANDOFF_SERVER, HANDOFF_API_KEY in env)
import { callCancelled, connectAgent, say } from "./mcp-common.mjs";

const [agent, cdpUrl] = process.argv.slice(2);
const client = await connectAgent(agent, "handoff-interop");
const instructions = client.getInstructions() ?? "";
if (!/credentials/i.test(instructions)) throw new Error("server instructions do not mention credentials");

const { tools } = await client.listTools();
say({ event: "tools", names: tools.map((t) => t.name) });

const args = { service: "SDK Bank", cdp_url: cdpUrl, context: { blocker_type: "password", hint: "Sign in" } };
const created = await client.callTool({ name: "handoff_to_human", arguments: args });
if (created.isError) throw new Error("handoff_to_human failed: " + JSON.stringify(created.content));
say({ event: "link", ...created.structuredContent });

let progress = 0;
const status = await client.callTool(
  { name: "handoff_status", arguments: { session_id: created.structuredContent.session_id } },
  undefined,
  { onprogress: () => { progress += 1; }, timeout: 120000, resetTimeoutOnProgress: true },
);
say({ event: "status", status: status.structuredContent.status, progress });

const second = await client.callTool({ name: "handoff_to_human", arguments: args });
say({ event: "link2", session_id: second.structuredContent.session_id });
const call = { name: "handoff_status", arguments: { session_id: second.structuredContent.session_id } };
say((await callCancelled(client, call, 1000)) ? { event: "cancelled" } : { event: "not-cancelled" });
await new Promise((r) => setTimeout(r, 2000));
await client.close();
