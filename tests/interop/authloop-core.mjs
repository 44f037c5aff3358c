// An agent that behaves as one built on AuthLoop's published packages does, on
// the wire and towards the browser: the peer our server and the desktop app are
// tested against in protocol version 1. AuthLoop's source is not on the npm
// registry; this module is our own code, written from the behaviour of theirs
// (github.com/authloop/authloop), one part per file it follows:
//
//   AuthLoopApi    packages/sdk/src/index.ts   (commit 1abb0b4) the four HTTP calls, AuthLoopError
//   CdpConnection  packages/mcp/src/cdp.ts     (commit 0ffe0bc) ws:// used as given, http:// via /json/version
//   KeyAgreement   packages/core/src/crypto.ts (commit 1abb0b4) createECDH("prime256v1"), the raw
//                  x-coordinate's first 32 bytes as the AES-256-GCM key, the viewer's input decrypted
//   BrowserStream  packages/core/src/stream.ts (commit 6ee59c7) screencast out, input in, and
//                  what each input type becomes in CDP; everything else is dropped
//   AgentSession   packages/core/src/session.ts (commit d56741c) startSession / waitForStatus /
//                  stopSession: when the outcome counts, and what a closed socket means
//
// The points the Handoff tests rely on, as that source has them:
// - Close handling (session.ts): the status turns "resolved" only after the
//   agent's own POST /session/{id}/resolve has answered; a relay socket that
//   closes while the status is still "streaming" makes it "error". The relay's
//   "session_resolved" message is not read at all; "session_expired" and
//   "session_cancelled" are.
// - Clicks (stream.ts): only "click" and "dblclick" reach the page (mousePressed
//   then mouseReleased, clickCount 1 or 2, button from the event or "left");
//   mousedown, mouseup, mousemove and any other type are dropped.
// - Keys (stream.ts): a "keypress" types its key, as CDP "char", only when the key
//   is one UTF-16 unit long; "keydown" is "rawKeyDown" (no text unless a modifier is
//   held), "keyup" is "keyUp"; modifiers come from altKey/ctrlKey/metaKey/shiftKey.
//   So a keydown Enter types nothing: no form is submitted without a keypress.
// - Plaintext input events are acted on like decrypted ones (nothing refuses them).
//
// Tests watch it through an observer (all optional callbacks), which is told
// types and codes, never a key, a character or a coordinate:
//   dispatched(type, cdpTypes)  an input event reached the page as these CDP events
//   dropped(type)               an input event was ignored
//   resolveAnswered(socketOpen) the agent's POST /resolve answered
//   socketClosed(code, status)  the relay socket closed; status is the session's at that moment

import { createDecipheriv, createECDH } from "node:crypto";

// ---- packages/sdk/src/index.ts ---------------------------------------------------

export class AuthLoopError extends Error {
  constructor(status, code) {
    super(`AuthLoop API error: ${code} (${status})`);
    this.name = "AuthLoopError";
    this.status = status;
    this.code = code;
  }
}

export class AuthLoopApi {
  constructor({ apiKey, baseUrl }) {
    this.apiKey = apiKey;
    this.baseUrl = baseUrl;
  }

  async #request(method, path, body) {
    const headers = { Authorization: `Bearer ${this.apiKey}` };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) {
      const failure = await response.json().catch(() => ({}));
      throw new AuthLoopError(response.status, failure.error ?? "request_failed");
    }
    return response;
  }

  async toHuman({ service, cdpUrl, ttl, context }) {
    const response = await this.#request("POST", "/session", {
      service,
      cdp_url: cdpUrl,
      ttl,
      context: context
        ? { url: context.url, blocker_type: context.blockerType, hint: context.hint }
        : undefined,
    });
    const data = await response.json();
    return {
      sessionId: data.session_id,
      sessionUrl: data.session_url,
      streamToken: data.stream_token,
      streamUrl: data.stream_url,
      expiresAt: data.expires_at,
    };
  }

  async getSession(sessionId) {
    const data = await (await this.#request("GET", `/session/${sessionId}`)).json();
    return {
      sessionId: data.session_id,
      status: data.status,
      service: data.service,
      context: data.context,
      createdAt: data.created_at,
      expiresAt: data.expires_at,
    };
  }

  async cancelSession(sessionId) {
    await this.#request("DELETE", `/session/${sessionId}`);
  }

  async resolveSession(sessionId) {
    await this.#request("POST", `/session/${sessionId}/resolve`);
  }
}

// ---- packages/mcp/src/cdp.ts -----------------------------------------------------

export class CdpConnection {
  #socket = null;
  #nextId = 1;
  #pending = new Map();
  #handlers = new Map();
  #closeHandlers = [];
  #closed = false;

  constructor(url) {
    this.url = url;
  }

  async connect() {
    let target = this.url;
    if (!/^wss?:\/\//.test(target)) {
      const version = await (await fetch(`${target.replace(/\/+$/, "")}/json/version`)).json();
      target = version.webSocketDebuggerUrl;
    }
    await new Promise((resolve, reject) => {
      const socket = new WebSocket(target);
      this.#socket = socket;
      socket.addEventListener("open", () => resolve());
      socket.addEventListener("error", () => {
        if (!this.#closed) reject(new Error("CDP connection error"));
      });
      socket.addEventListener("message", (event) => this.#onMessage(JSON.parse(String(event.data))));
      socket.addEventListener("close", () => {
        this.#closed = true;
        for (const { reject: fail } of this.#pending.values()) fail(new Error("CDP connection closed"));
        this.#pending.clear();
        for (const handler of this.#closeHandlers) handler();
      });
    });
  }

  #onMessage(message) {
    if (message.id !== undefined) {
      const call = this.#pending.get(message.id);
      if (!call) return;
      this.#pending.delete(message.id);
      if (message.error) call.reject(new Error(`CDP error: ${message.error.message}`));
      else call.resolve(message.result);
      return;
    }
    for (const handler of this.#handlers.get(message.method) ?? []) handler(message.params ?? {});
  }

  send(method, params) {
    if (!this.#socket || this.#closed) return Promise.reject(new Error("CDP not connected"));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#socket.send(JSON.stringify({ id, method, params }));
    });
  }

  on(method, handler) {
    if (!this.#handlers.has(method)) this.#handlers.set(method, []);
    this.#handlers.get(method).push(handler);
  }

  onClose(handler) {
    this.#closeHandlers.push(handler);
  }

  close() {
    this.#closed = true;
    for (const { reject: fail } of this.#pending.values()) fail(new Error("CDP client closed"));
    this.#pending.clear();
    this.#socket?.close();
    this.#socket = null;
  }
}

// ---- packages/core/src/crypto.ts -------------------------------------------------

export class KeyAgreement {
  #ecdh = createECDH("prime256v1");
  #key = null;

  constructor() {
    this.#ecdh.generateKeys();
    this.publicKey = this.#ecdh.getPublicKey("base64");
  }

  get ready() {
    return this.#key !== null;
  }

  deriveSecret(viewerPublicKey) {
    this.#key = this.#ecdh.computeSecret(Buffer.from(viewerPublicKey, "base64")).subarray(0, 32);
  }

  decrypt({ iv, ciphertext, tag }) {
    const decipher = createDecipheriv("aes-256-gcm", this.#key, Buffer.from(iv, "base64"));
    decipher.setAuthTag(Buffer.from(tag, "base64"));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64")), decipher.final()]).toString("utf8");
  }
}

// ---- packages/core/src/stream.ts -------------------------------------------------

// Windows virtual key codes the stream knows; any other key gets its upper-cased
// first character's code if it is one character long, else 0.
const VirtualKeys = {
  Backspace: 8, Tab: 9, Enter: 13, Shift: 16, Control: 17, Alt: 18, Escape: 27, " ": 32,
  PageUp: 33, PageDown: 34, End: 35, Home: 36, ArrowLeft: 37, ArrowUp: 38, ArrowRight: 39,
  ArrowDown: 40, Insert: 45, Delete: 46, Meta: 91, ContextMenu: 93,
  F1: 112, F2: 113, F3: 114, F4: 115, F5: 116, F6: 117, F7: 118, F8: 119, F9: 120, F10: 121,
  F11: 122, F12: 123,
};

function virtualKey(key) {
  if (!key) return 0;
  return VirtualKeys[key] ?? (key.length === 1 ? key.toUpperCase().charCodeAt(0) : 0);
}

// CDP modifier bits from the four booleans: Alt 1, Ctrl 2, Meta 4, Shift 8 ("modifiers" is not read).
function modifierBits(event) {
  return (event.altKey ? 1 : 0) | (event.ctrlKey ? 2 : 0) | (event.metaKey ? 4 : 0) | (event.shiftKey ? 8 : 0);
}

export class BrowserStream {
  #ws;
  #cdpUrl;
  #observer;
  #cdp = null;
  #keys = null;
  #finish = null;
  #stopped = false;
  #lastFrame = null;

  constructor({ ws, cdpUrl, observer = {} }) {
    this.#ws = ws;
    this.#cdpUrl = cdpUrl;
    this.#observer = observer;
  }

  async start() {
    this.#cdp = new CdpConnection(this.#cdpUrl);
    this.#cdp.onClose(() => {
      if (!this.#stopped) this.#finish?.("error");
    });
    await this.#cdp.connect();

    this.#keys = new KeyAgreement();
    this.#ws.send(JSON.stringify({ type: "pubkey", key: this.#keys.publicKey }));

    this.#ws.addEventListener("message", (event) => {
      if (this.#stopped || typeof event.data !== "string") return;
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      this.#handle(message);
    });
    this.#ws.addEventListener("close", () => {
      if (!this.#stopped) this.#finish?.("error");
    });

    this.#cdp.on("Page.screencastFrame", (params) => this.#onFrame(params));
    await this.#cdp.send("Page.startScreencast", {
      format: "jpeg", quality: 85, maxWidth: 1920, maxHeight: 1080, everyNthFrame: 1,
    });
  }

  // The first outcome wins; later ones change nothing. "error" at once when already stopped.
  waitForResolution() {
    return new Promise((resolve) => {
      if (this.#stopped) {
        resolve("error");
        return;
      }
      this.#finish = resolve;
    });
  }

  async stop() {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#cdp?.send("Page.stopScreencast").catch(() => {});
    this.#cdp?.close();
    this.#cdp = null;
    this.#ws.close();
  }

  #onFrame(params) {
    if (this.#stopped) return;
    this.#cdp?.send("Page.screencastFrameAck", { sessionId: params.sessionId }).catch(() => {});
    const jpeg = Buffer.from(params.data, "base64");
    const m = params.metadata ?? {};
    const meta = JSON.stringify({
      type: "frame",
      deviceWidth: m.deviceWidth,
      deviceHeight: m.deviceHeight,
      offsetTop: m.offsetTop ?? 0,
      pageScaleFactor: m.pageScaleFactor ?? 1,
      scrollOffsetX: m.scrollOffsetX ?? 0,
      scrollOffsetY: m.scrollOffsetY ?? 0,
      jpegSize: jpeg.byteLength,
    });
    this.#lastFrame = { meta, jpeg };
    if (this.#ws.readyState === WebSocket.OPEN) {
      this.#ws.send(meta);
      this.#ws.send(jpeg);
    }
  }

  async #handle(message) {
    const type = message.type;
    if (type === "pubkey") {
      this.#keys?.deriveSecret(message.key);
      return;
    }
    if (type === "encrypted") {
      if (!this.#keys?.ready) return;
      let event;
      try {
        event = JSON.parse(this.#keys.decrypt(message.payload));
      } catch {
        return; // undecryptable or not JSON: dropped
      }
      await this.#handle(event);
      return;
    }
    switch (type) {
      case "session_expired":
        this.#finish?.("timeout");
        return;
      case "session_cancelled":
        this.#finish?.("cancelled");
        return;
      case "viewer_connected":
        if (this.#lastFrame && this.#ws.readyState === WebSocket.OPEN) {
          this.#ws.send(this.#lastFrame.meta);
          this.#ws.send(this.#lastFrame.jpeg);
        }
        return;
      case "viewer_disconnected":
        return;
    }
    switch (type) {
      case "click":
      case "dblclick":
        this.#click(message);
        return;
      case "keydown":
      case "keyup":
      case "keypress":
        this.#key(message);
        return;
      case "scroll":
        this.#dispatch(type, "Input.dispatchMouseEvent", {
          type: "mouseWheel", x: message.x, y: message.y, deltaX: message.deltaX || 0, deltaY: message.deltaY || 0,
        });
        return;
      case "paste":
        if (message.text) this.#dispatch(type, "Input.insertText", { text: message.text });
        else this.#observer.dropped?.(type);
        return;
      case "back":
      case "forward":
        this.#dispatch(type, "Runtime.evaluate", { expression: `history.${type}()` });
        return;
      case "reload":
        this.#dispatch(type, "Page.reload", undefined);
        return;
      case "resolved":
        this.#finish?.("resolved");
        return;
      case "cancelled":
        this.#finish?.("cancelled");
        return;
      default:
        this.#observer.dropped?.(String(type));
    }
  }

  #dispatch(type, method, params) {
    this.#cdp?.send(method, params).catch(() => {});
    this.#observer.dispatched?.(type, [params?.type ?? method]);
  }

  #click(event) {
    if (!this.#cdp) return;
    const base = {
      x: event.x, y: event.y, button: event.button || "left", clickCount: event.type === "dblclick" ? 2 : 1,
    };
    this.#cdp.send("Input.dispatchMouseEvent", { type: "mousePressed", ...base })
      .then(() => this.#cdp?.send("Input.dispatchMouseEvent", { type: "mouseReleased", ...base }))
      .catch(() => {});
    this.#observer.dispatched?.(event.type, ["mousePressed", "mouseReleased"]);
  }

  #key(event) {
    if (!this.#cdp) return;
    const { type, key, code } = event;
    const modifiers = modifierBits(event);
    const vk = virtualKey(key);
    if (type === "keypress") {
      if (key && key.length === 1) {
        this.#cdp.send("Input.dispatchKeyEvent", { type: "char", text: key, modifiers }).catch(() => {});
        this.#observer.dispatched?.(type, ["char"]);
      } else {
        this.#observer.dropped?.(type);
      }
      return;
    }
    if (type === "keydown") {
      const text = key && key.length === 1 && modifiers > 0 ? key : undefined;
      this.#cdp.send("Input.dispatchKeyEvent", {
        type: "rawKeyDown", key, code, text, modifiers, windowsVirtualKeyCode: vk, nativeVirtualKeyCode: vk,
      }).catch(() => {});
      this.#observer.dispatched?.(type, ["rawKeyDown"]);
      return;
    }
    this.#cdp.send("Input.dispatchKeyEvent", {
      type: "keyUp", key, code, modifiers, windowsVirtualKeyCode: vk, nativeVirtualKeyCode: vk,
    }).catch(() => {});
    this.#observer.dispatched?.(type, ["keyUp"]);
  }
}

// ---- packages/core/src/session.ts ------------------------------------------------

export class AgentSession {
  #api;
  #observer;
  #session = null;
  #ws = null;
  #stream = null;
  #cdpUrl = null;
  #status = null; // "streaming", then "resolved" | "cancelled" | "timeout" | "error"
  #settle = null;
  #terminal = null;

  constructor(api, observer = {}) {
    this.#api = api;
    this.#observer = observer;
  }

  get status() {
    return this.#status;
  }

  // Creates the session, connects the relay socket as the agent and returns the
  // link at once; the stream starts when the first viewer connects.
  async start({ service, cdpUrl, context }) {
    if (this.#session) throw new Error("A session is already in progress");
    this.#session = await this.#api.toHuman({ service, cdpUrl, context });
    this.#cdpUrl = cdpUrl;
    const { sessionId, streamUrl, streamToken } = this.#session;
    this.#ws = await new Promise((resolve, reject) => {
      const socket = new WebSocket(`${streamUrl}?token=${encodeURIComponent(streamToken)}&role=agent`);
      const timer = setTimeout(() => {
        socket.close();
        reject(new Error("WebSocket connection timed out after 15s"));
      }, 15000);
      socket.addEventListener("open", () => {
        clearTimeout(timer);
        resolve(socket);
      });
      socket.addEventListener("error", () => {
        clearTimeout(timer);
        reject(new Error("WebSocket error: connection failed"));
      });
    });
    this.#status = "streaming";
    this.#terminal = new Promise((resolve) => (this.#settle = resolve));

    this.#ws.addEventListener("message", (event) => {
      if (typeof event.data !== "string") return;
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      if (message.type === "viewer_connected" && !this.#stream) {
        this.#startStreaming().catch(() => this.#setTerminal("error"));
      } else if (message.type === "session_expired") {
        this.#setTerminal("timeout");
      } else if (message.type === "session_cancelled") {
        this.#setTerminal("cancelled");
      }
    });
    this.#ws.addEventListener("close", (event) => {
      this.#observer.socketClosed?.(event.code, this.#status);
      if (this.#status === "streaming") {
        if (!this.#stream) this.#api.cancelSession(sessionId).catch(() => {});
        this.#setTerminal("error");
      }
    });
    return { sessionId, sessionUrl: this.#session.sessionUrl };
  }

  // Blocks until the session is over, then cleans up (the agent closes its socket).
  async waitForStatus() {
    if (!this.#session) return null;
    let status = this.#status;
    if (status === "streaming") {
      const expiresIn = new Date(this.#session.expiresAt).getTime() - Date.now();
      const limit = Math.max(expiresIn + 5000, 30000);
      let timer;
      status = await Promise.race([
        this.#terminal,
        new Promise((resolve) => (timer = setTimeout(() => resolve("timeout"), limit))),
      ]);
      clearTimeout(timer);
      if (status === "timeout") this.#setTerminal("timeout");
    }
    const result = { sessionId: this.#session.sessionId, sessionUrl: this.#session.sessionUrl, status };
    await this.#cleanup();
    return result;
  }

  // Gives up: cancels on the server while still streaming, then cleans up.
  async stop() {
    if (!this.#session) return;
    if (this.#status === "streaming") await this.#api.cancelSession(this.#session.sessionId).catch(() => {});
    this.#setTerminal("cancelled");
    await this.#cleanup();
  }

  async #startStreaming() {
    const stream = new BrowserStream({ ws: this.#ws, cdpUrl: this.#cdpUrl, observer: this.#observer });
    this.#stream = stream;
    await stream.start();
    stream.waitForResolution().then(async (result) => {
      const sessionId = this.#session.sessionId;
      if (result === "resolved") {
        await this.#api.resolveSession(sessionId).catch(() => {});
        this.#observer.resolveAnswered?.(this.#ws.readyState === WebSocket.OPEN);
      } else if (result === "cancelled" || result === "error") {
        await this.#api.cancelSession(sessionId).catch(() => {});
      }
      this.#setTerminal(result);
    });
  }

  #setTerminal(result) {
    if (this.#status !== "streaming") return;
    this.#status = result;
    this.#settle?.(result);
  }

  async #cleanup() {
    const stream = this.#stream;
    const ws = this.#ws;
    this.#stream = null;
    if (stream) await stream.stop();
    else ws?.close();
  }
}
