// MCP interop peer for approvals: drives the handoff_request_approval tool of
// `handoff-agent mcp` with the official MCP TypeScript SDK client, which checks
// every result's structuredContent against the tool's outputSchema. Prints one
// JSON object per line on stdout for the C++ test that plays the person's device:
//   {"event":"tools","listed":true,"output_schema":true}
//   {"event":"result","binding_message":..,"structured":{..},"is_error":..,"progress":<notifications seen>}
//   {"event":"cancelled","binding_message":..}                   (client cancelled the wait)
// Usage: node mcp-approval.mjs <handoff-agent> <login_hint>
//        (HANDOFF_SERVER, HANDOFF_CLIENT_ID and HANDOFF_CLIENT_SECRET in the environment)
import { callCancelled, connectAgent, say } from "./mcp-common.mjs";

const [agent, loginHint] = process.argv.slice(2);
const client = await connectAgent(agent, "handoff-approval-interop");
if (!/handoff_request_approval/.test(client.getInstructions() ?? "")) {
  throw new Error("server instructions do not say when to ask for an approval");
}

const { tools } = await client.listTools();
const tool = tools.find((t) => t.name === "handoff_request_approval");
say({ event: "tools", listed: Boolean(tool), output_schema: Boolean(tool?.outputSchema) });

// The first one the person approves, the second one they deny.
for (const message of ["SDK: refund $42.00 to Umbrella Corp", "SDK: wire $9,999.00 to an unknown account"]) {
  let progress = 0;
  const result = await client.callTool(
    { name: "handoff_request_approval", arguments: { binding_message: message, login_hint: loginHint, scope: "openid payments" } },
    undefined,
    { onprogress: () => { progress += 1; }, timeout: 120000, resetTimeoutOnProgress: true },
  );
  say({ event: "result", binding_message: message, structured: result.structuredContent, is_error: result.isError ?? false, progress });
}

const cancelled = "SDK: the user gives up on this one";
const call = { name: "handoff_request_approval", arguments: { binding_message: cancelled, login_hint: loginHint } };
const gaveUp = await callCancelled(client, call, 1500);
say(gaveUp ? { event: "cancelled", binding_message: cancelled } : { event: "not-cancelled" });
await new Promise((r) => setTimeout(r, 500));
await client.close();
