// What the MCP interop peers (mcp-client.mjs, mcp-approval.mjs) share: the
// official MCP TypeScript SDK client connected to `handoff-agent mcp` over
// stdio, a tool call that the client cancels, and the JSON lines they print
// for the C++ test.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

export const say = (o) => process.stdout.write(JSON.stringify(o) + "\n");

// The SDK client, connected to `<agent> mcp` (progress every 200 ms, the agent's stderr passed through).
export async function connectAgent(agent, name) {
  const transport = new StdioClientTransport({
    command: agent,
    args: ["mcp"],
    env: { ...process.env, MCP_PROGRESS_INTERVAL_MS: "200" },
    stderr: "inherit",
  });
  const client = new Client({ name, version: "1.0.0" });
  await client.connect(transport);
  return client;
}

// Calls the tool and aborts the call after `afterMs`, as a user who gives up;
// true when the call ended cancelled rather than with a result.
export async function callCancelled(client, call, afterMs) {
  const abort = new AbortController();
  setTimeout(() => abort.abort("the user gave up"), afterMs);
  try {
    await client.callTool(call, undefined, { signal: abort.signal, timeout: 120000 });
    return false;
  } catch {
    return true;
  }
}
