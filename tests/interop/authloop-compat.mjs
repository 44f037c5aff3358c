#!/usr/bin/env node
// An agent built on AuthLoop's packages (authloop-core.mjs: their SDK, core session
// and stream, as their source behaves), driving a real Chromium page, against
// handoff-server; and a viewer that sends what AuthLoop's own viewer sends
// (scripts/test-relay.mjs in their repository, commit f7ac850: WebCrypto keys,
// click {x, y, button:"left"}, one-character keys as keypress, other keys as
// keydown, keyup for every key, all encrypted).
//
// What it checks, besides the HTTP API's answers and errors:
// - clicks and typing reach the page; the mousedown/mouseup/mousemove that the
//   app used to send in version 1 do not (the core drops them);
// - Enter: AuthLoop's viewer's keydown + keyup submits nothing through that core,
//   the keydown + keypress "\r" + keyup the app sends in version 1 submits the
//   form exactly once;
// - Done: the core reports "resolved" because the relay leaves its socket open
//   after the resolve and the core closes it itself; the viewer's socket is closed
//   with 4410;
// - Cancel from the viewer ends CANCELLED, after which resolving conflicts.
//
// Usage: node --experimental-websocket authloop-compat.mjs <base_url> <api_key> <cdp_http_endpoint>
// Prints one line per step (never a key, a character or a frame); exits 0 when
// every step passed.

import { AgentSession, AuthLoopApi, AuthLoopError, CdpConnection } from "./authloop-core.mjs";

const [baseUrl, apiKey, cdpEndpoint] = process.argv.slice(2);
if (!baseUrl || !apiKey || !cdpEndpoint) {
  console.error("usage: authloop-compat.mjs <base_url> <api_key> <cdp_http_endpoint>");
  process.exit(2);
}
if (typeof WebSocket !== "function") {
  console.error("WebSocket is missing: run node with --experimental-websocket");
  process.exit(2);
}

const subtle = globalThis.crypto.subtle;
const b64 = (bytes) => Buffer.from(bytes).toString("base64");
const step = (text) => console.log(`ok - ${text}`);
function check(condition, text) {
  if (!condition) throw new Error(`check failed: ${text}`);
}
const sleep = (ms) => new Promise((wake) => setTimeout(wake, ms));
async function until(probe, what, ms = 10000) {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await probe()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

// The page the agent's browser shows: a sign-in form whose submits are counted.
const FormPage = `<!doctype html><html><body style="margin:0">
<form id="f"><input id="user" autocomplete="off" style="display:block;width:300px;height:30px;margin:10px">
<input id="pass" type="password" autocomplete="off" style="display:block;width:300px;height:30px;margin:10px">
<button id="go">Sign in</button></form>
<script>
  window.submits = 0;
  window.keypresses = 0;
  document.getElementById("f").addEventListener("submit", (e) => { e.preventDefault(); submits++; });
  document.addEventListener("keypress", () => keypresses++, true);
</script></body></html>`;

// ---- the test's own look at the page -------------------------------------------------
class Inspector {
  static async open(endpoint) {
    const pages = await (await fetch(`${endpoint.replace(/\/+$/, "")}/json/list`)).json();
    const page = pages.find((p) => p.type === "page");
    check(page, "Chromium has a page");
    const cdp = new CdpConnection(page.webSocketDebuggerUrl);
    await cdp.connect();
    const inspector = new Inspector(cdp, page.webSocketDebuggerUrl);
    await cdp.send("Page.navigate", { url: `data:text/html,${encodeURIComponent(FormPage)}` });
    await until(async () => inspector.eval("document.readyState === 'complete' && typeof window.submits === 'number'"),
                "the form page");
    return inspector;
  }
  constructor(cdp, webSocketUrl) {
    this.cdp = cdp;
    this.webSocketUrl = webSocketUrl;
  }
  async eval(expression) {
    const answer = await this.cdp.send("Runtime.evaluate", { expression, returnByValue: true });
    return answer.result.value;
  }
  async centreOf(id) {
    return this.eval(`(() => { const r = document.getElementById(${JSON.stringify(id)}).getBoundingClientRect();
                              return { x: r.x + r.width / 2, y: r.y + r.height / 2 }; })()`);
  }
}

// ---- a viewer that sends what AuthLoop's viewer sends ------------------------------------
class AuthLoopViewer {
  static async connect(session) {
    const token = new URL(session.sessionUrl).hash.slice(1).split("&").find((p) => p.startsWith("t=")).slice(2);
    const url = `${baseUrl.replace(/^http/, "ws")}/stream/${session.sessionId}?role=viewer&token=${encodeURIComponent(token)}`;
    const viewer = new AuthLoopViewer(await subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"]));
    await new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.binaryType = "arraybuffer";
      viewer.ws = ws;
      ws.addEventListener("message", (event) => viewer.#onMessage(event.data));
      ws.addEventListener("close", (event) => (viewer.closed = { code: event.code }));
      ws.addEventListener("open", () => resolve());
      ws.addEventListener("error", () => reject(new Error("viewer WebSocket error")));
    });
    return viewer;
  }

  constructor(keyPair) {
    this.keyPair = keyPair;
    this.aes = null;
    this.received = []; // {type} of text messages, {binary: Uint8Array} of binary ones
    this.closed = null;
  }

  async #onMessage(data) {
    if (typeof data !== "string") {
      this.received.push({ binary: new Uint8Array(data) });
      return;
    }
    const message = JSON.parse(data);
    this.received.push({ type: message.type, json: message });
    if (message.type === "pubkey") {
      const agentKey = await subtle.importKey("raw", Buffer.from(message.key, "base64"),
                                              { name: "ECDH", namedCurve: "P-256" }, false, []);
      const bits = await subtle.deriveBits({ name: "ECDH", public: agentKey }, this.keyPair.privateKey, 256);
      const aes = await subtle.importKey("raw", bits, "AES-GCM", false, ["encrypt"]);
      const own = new Uint8Array(await subtle.exportKey("raw", this.keyPair.publicKey));
      this.ws.send(JSON.stringify({ type: "pubkey", key: b64(own) }));
      this.aes = aes; // after our key left, so that no input can overtake it
    }
  }

  has(type) {
    return this.received.some((m) => m.type === type);
  }

  // Input leaves only encrypted, once the keys are derived.
  async send(event) {
    check(this.aes, "the viewer has its keys before it sends input");
    const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
    const sealed = new Uint8Array(await subtle.encrypt({ name: "AES-GCM", iv }, this.aes,
                                                       new TextEncoder().encode(JSON.stringify(event))));
    this.ws.send(JSON.stringify({ type: "encrypted", payload: {
      iv: b64(iv), ciphertext: b64(sealed.subarray(0, sealed.length - 16)), tag: b64(sealed.subarray(sealed.length - 16)) } }));
    await sleep(40); // a person's pace, below the 30 keystrokes a second
  }

  click(point) {
    return this.send({ type: "click", x: Math.round(point.x), y: Math.round(point.y), button: "left" });
  }

  // Its keydown handler: one character without Ctrl/Meta as keypress, else keydown.
  async keyDown(key, code, mods = {}) {
    const flags = { altKey: !!mods.alt, ctrlKey: !!mods.ctrl, metaKey: !!mods.meta, shiftKey: !!mods.shift };
    const type = key.length === 1 && !flags.ctrlKey && !flags.metaKey ? "keypress" : "keydown";
    await this.send({ type, key, code, ...flags });
  }

  keyUp(key, code, mods = {}) {
    return this.send({ type: "keyup", key, code, altKey: !!mods.alt, ctrlKey: !!mods.ctrl, metaKey: !!mods.meta,
                       shiftKey: !!mods.shift });
  }

  async type(text) {
    for (const c of text) {
      const code = /[a-z]/i.test(c) ? `Key${c.toUpperCase()}` : /[0-9]/.test(c) ? `Digit${c}` : "Unidentified";
      const shift = c !== c.toLowerCase();
      await this.keyDown(c, code, { shift });
      await this.keyUp(c, code, { shift });
    }
  }
}

// ---- the flow ---------------------------------------------------------------------------
async function main() {
  const api = new AuthLoopApi({ apiKey, baseUrl });

  // Errors the SDK turns into AuthLoopError(status, code).
  try {
    await new AuthLoopApi({ apiKey: "hk_AAAAAAAAAAAA_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB", baseUrl })
      .toHuman({ service: "x", cdpUrl: "ws://x" });
    check(false, "a wrong key is refused");
  } catch (error) {
    check(error instanceof AuthLoopError && error.status === 401 && error.code === "invalid_api_key",
          `401 invalid_api_key, got ${error.message}`);
  }
  step("wrong API key: 401 invalid_api_key");
  try {
    await api.getSession("sess_0000000000000000000000");
    check(false, "unknown session");
  } catch (error) {
    check(error.status === 404 && error.code === "not_found", `404 not_found, got ${error.message}`);
  }
  step("getSession of an unknown id: 404 not_found");

  const page = await Inspector.open(cdpEndpoint);

  // startSession: the session, the agent's socket, nothing streamed before a viewer comes.
  const seen = { dispatched: [], dropped: [], resolveAnswered: [], closes: [] };
  const observer = {
    dispatched: (type) => seen.dispatched.push(type),
    dropped: (type) => seen.dropped.push(type),
    resolveAnswered: (socketOpen) => seen.resolveAnswered.push(socketOpen),
    socketClosed: (code, status) => seen.closes.push({ code, status }),
  };
  const agent = new AgentSession(api, observer);
  const session = await agent.start({
    service: "GitHub", cdpUrl: page.webSocketUrl,
    context: { url: "https://github.com/login", blockerType: "password", hint: "Sign in, then press Done" },
  });
  check(/^sess_[0-9A-Za-z]{22,}$/.test(session.sessionId), "session id");
  check(session.sessionUrl.startsWith(`${baseUrl}/s/${session.sessionId}#t=`), "session url");
  const pending = await api.getSession(session.sessionId);
  check(pending.status === "PENDING" && pending.service === "GitHub", "PENDING");
  check(pending.context.blocker_type === "password", "context echoed");
  step("startSession: POST /session, agent socket open, PENDING");

  // The viewer arrives: the core starts the stream, keys are exchanged, frames flow.
  const viewer = await AuthLoopViewer.connect(session);
  await until(() => viewer.has("session_info") && viewer.has("agent_connected"), "session_info, agent_connected");
  await until(() => viewer.aes !== null, "the agent's key and the viewer's keys");
  await until(() => viewer.received.some((m, i) => m.type === "frame" && viewer.received[i + 1]?.binary), "a frame");
  const first = viewer.received.findIndex((m) => m.type === "frame");
  const jpeg = viewer.received[first + 1].binary;
  check(jpeg[0] === 0xff && jpeg[1] === 0xd8 && jpeg.length === viewer.received[first].json.jpegSize, "frame meta, then its JPEG");
  check((await api.getSession(session.sessionId)).status === "ACTIVE", "ACTIVE");
  step("viewer connected: keys exchanged, screencast frames (meta + JPEG), ACTIVE");

  // A click as AuthLoop's viewer sends it focuses the field.
  await viewer.click(await page.centreOf("user"));
  await until(async () => (await page.eval("document.activeElement.id")) === "user", "a click on the user name");
  step("click {x, y, button}: reaches the page");

  // What the app used to send in version 1: the core drops all of it.
  const pass = await page.centreOf("pass");
  await viewer.send({ type: "mousemove", x: pass.x, y: pass.y, button: "none", buttons: 0 });
  await viewer.send({ type: "mousedown", x: pass.x, y: pass.y, button: "left", buttons: 1 });
  await viewer.send({ type: "mouseup", x: pass.x, y: pass.y, button: "left", buttons: 0 });
  // Typing: one-character keys as keypress + keyup.
  await viewer.type("Alice");
  await until(async () => (await page.eval("document.getElementById('user').value")) === "Alice", "the typed name");
  check((await page.eval("document.activeElement.id")) === "user", "mousedown/mouseup moved no focus");
  for (const type of ["mousemove", "mousedown", "mouseup"]) check(seen.dropped.includes(type), `${type} dropped`);
  step("typing as keypress + keyup reaches the page; mousedown/mouseup/mousemove are dropped");

  // Enter as AuthLoop's viewer sends it (keydown + keyup) submits nothing through this core.
  await viewer.keyDown("Enter", "Enter");
  await viewer.keyUp("Enter", "Enter");
  await viewer.click(pass); // its effect shows that the Enter before it was replayed
  await until(async () => (await page.eval("document.activeElement.id")) === "pass", "a click on the password");
  check((await page.eval("submits")) === 0 && (await page.eval("keypresses")) === 5, "keydown Enter alone submits nothing");
  step("Enter as keydown + keyup only: no keypress, no submit (why the app adds one)");

  // Enter as the app sends it in version 1: keydown, keypress "\r", keyup. One submit.
  await viewer.type("pw");
  await viewer.send({ type: "keydown", key: "Enter", code: "Enter", altKey: false, ctrlKey: false, metaKey: false, shiftKey: false });
  await viewer.send({ type: "keypress", key: "\r", code: "Enter", altKey: false, ctrlKey: false, metaKey: false, shiftKey: false });
  await viewer.send({ type: "keyup", key: "Enter", code: "Enter", altKey: false, ctrlKey: false, metaKey: false, shiftKey: false });
  await until(async () => (await page.eval("submits")) === 1, "the form submitted");
  await viewer.click(await page.centreOf("user"));
  await until(async () => (await page.eval("document.activeElement.id")) === "user", "a click after the submit");
  check((await page.eval("submits")) === 1 && (await page.eval("keypresses")) === 8, "exactly one submit and one keypress for Enter");
  check((await page.eval("document.getElementById('pass').value")) === "pw", "the password typed");
  step("Enter as keydown + keypress \"\\r\" + keyup: the form is submitted once");

  // Done: the core asks the server to resolve, and only its answer makes the outcome.
  await viewer.send({ type: "resolved" });
  const outcome = await agent.waitForStatus();
  check(outcome.status === "resolved", `the core reports resolved, got ${outcome.status}`);
  check(seen.resolveAnswered.length === 1 && seen.resolveAnswered[0] === true,
        "the agent's socket was still open when its POST /resolve answered");
  await until(() => seen.closes.length > 0, "the agent's socket to close");
  check(seen.closes.length === 1 && seen.closes[0].status === "resolved" && seen.closes[0].code !== 4410,
        `the agent closed its socket itself after the outcome, got ${JSON.stringify(seen.closes)}`);
  await until(() => viewer.closed !== null, "the viewer's socket to close");
  check(viewer.has("session_resolved") && viewer.closed.code === 4410, "the viewer heard session_resolved, closed 4410");
  check((await api.getSession(session.sessionId)).status === "RESOLVED", "RESOLVED");
  step("Done: resolveSession answered with the socket open, the core reports resolved; viewer closed 4410");

  // Cancel from the viewer: the core cancels on the server.
  const second = new AgentSession(api, {});
  const cancelled = await second.start({ service: "Bank", cdpUrl: page.webSocketUrl });
  const viewer2 = await AuthLoopViewer.connect(cancelled);
  await until(() => viewer2.aes !== null, "keys for the second session");
  // The person sees the page first: the core acts on no outcome before its
  // screencast has started (its stream has nothing waiting for one yet).
  await until(() => viewer2.has("frame"), "a frame of the second session");
  await viewer2.send({ type: "cancelled" });
  const ended = await second.waitForStatus();
  check(ended.status === "cancelled", `the core reports cancelled, got ${ended.status}`);
  await until(() => viewer2.closed !== null, "the second viewer's socket to close");
  check(viewer2.has("session_cancelled") && viewer2.closed.code === 4410, "session_cancelled, 4410");
  check((await api.getSession(cancelled.sessionId)).status === "CANCELLED", "CANCELLED");
  try {
    await api.resolveSession(cancelled.sessionId);
    check(false, "resolving a cancelled session conflicts");
  } catch (error) {
    check(error.status === 409 && error.code === "conflict", `409 conflict, got ${error.message}`);
  }
  step("cancel from the viewer: CANCELLED, then resolve is 409 conflict");
  page.cdp.close();
}

const watchdog = setTimeout(() => {
  console.error("not ok - the flow did not finish in 80 s");
  process.exit(1);
}, 80000);
main().then(() => { clearTimeout(watchdog); console.log("all AuthLoop calls passed"); process.exit(0); })
      .catch((error) => { console.error(`not ok - ${error.message}`); process.exit(1); });
