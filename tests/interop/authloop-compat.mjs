#!/usr/bin/env node
// The HTTP and WebSocket calls of the published AuthLoop SDK (@authloop-ai/sdk)
// and core library, made exactly as they make them, against handoff-server:
//
//   POST   /session               Bearer key; service, cdp_url, ttl, context{url, blocker_type, hint}
//   GET    /session/{id}          getSession / waitForResolution
//   DELETE /session/{id}          cancelSession
//   POST   /session/{id}/resolve  resolveSession
//   agent WebSocket: `${stream_url}?token=${encodeURIComponent(stream_token)}&role=agent`
//   version 1 key exchange: agent {"type":"pubkey","key":b64(65-byte P-256 point)} (node:crypto
//   createECDH, as the AuthLoop core), viewer answers with its own (WebCrypto, as a browser);
//   the shared x-coordinate is the AES-256-GCM key; the viewer sends input as
//   {"type":"encrypted","payload":{iv,ciphertext,tag}}; frames go as a "frame" text then the JPEG.
//
// Usage: node --experimental-websocket authloop-compat.mjs <base_url> <api_key>
// Prints one line per step; exits 0 when every step passed.

import { createECDH, createDecipheriv } from 'node:crypto';

const [baseUrl, apiKey] = process.argv.slice(2);
if (!baseUrl || !apiKey) {
  console.error('usage: authloop-compat.mjs <base_url> <api_key>');
  process.exit(2);
}
if (typeof WebSocket !== 'function') {
  console.error('WebSocket is missing: run node with --experimental-websocket');
  process.exit(2);
}

const subtle = globalThis.crypto.subtle;
const b64 = (bytes) => Buffer.from(bytes).toString('base64');
const step = (text) => console.log(`ok - ${text}`);
function check(condition, text) {
  if (!condition) throw new Error(`check failed: ${text}`);
}

// ---- the SDK's HTTP calls, verbatim in shape ------------------------------------------
class AuthLoopError extends Error {
  constructor(status, code) { super(`AuthLoop API error: ${code} (${status})`); this.status = status; this.code = code; }
}
async function failure(res) {
  const body = await res.json().catch(() => ({}));
  return new AuthLoopError(res.status, body.error ?? 'request_failed');
}
const sdk = {
  async toHuman(key, options) {
    const res = await fetch(`${baseUrl}/session`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        service: options.service,
        cdp_url: options.cdpUrl,
        ttl: options.ttl,
        context: options.context
          ? { url: options.context.url, blocker_type: options.context.blockerType, hint: options.context.hint }
          : undefined,
      }),
    });
    if (!res.ok) throw await failure(res);
    const data = await res.json();
    return { sessionId: data.session_id, sessionUrl: data.session_url, streamToken: data.stream_token,
             streamUrl: data.stream_url, expiresAt: data.expires_at };
  },
  async getSession(key, id) {
    const res = await fetch(`${baseUrl}/session/${id}`, { headers: { Authorization: `Bearer ${key}` } });
    if (!res.ok) throw await failure(res);
    const data = await res.json();
    return { sessionId: data.session_id, status: data.status, service: data.service, context: data.context,
             createdAt: data.created_at, expiresAt: data.expires_at };
  },
  async cancelSession(key, id) {
    const res = await fetch(`${baseUrl}/session/${id}`, { method: 'DELETE', headers: { Authorization: `Bearer ${key}` } });
    if (!res.ok) throw await failure(res);
  },
  async resolveSession(key, id) {
    const res = await fetch(`${baseUrl}/session/${id}/resolve`, { method: 'POST', headers: { Authorization: `Bearer ${key}` } });
    if (!res.ok) throw await failure(res);
  },
};

// ---- a WebSocket that queues what it receives --------------------------------------------
function open(url) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    ws.inbox = [];
    ws.waiters = [];
    ws.closed = null;
    ws.addEventListener('message', (event) => {
      const message = typeof event.data === 'string'
        ? { text: event.data, json: (() => { try { return JSON.parse(event.data); } catch { return null; } })() }
        : { binary: new Uint8Array(event.data) };
      ws.inbox.push(message);
      ws.waiters.splice(0).forEach((wake) => wake());
    });
    ws.addEventListener('close', (event) => {
      ws.closed = { code: event.code, reason: event.reason };
      ws.waiters.splice(0).forEach((wake) => wake());
    });
    const timer = setTimeout(() => reject(new Error(`WebSocket ${url} timed out`)), 15000);
    ws.addEventListener('open', () => { clearTimeout(timer); resolve(ws); });
    ws.addEventListener('error', () => { clearTimeout(timer); reject(new Error('WebSocket error')); });
  });
}
// Takes messages off the queue until one matches; throws after `ms`.
async function next(ws, predicate, what, ms = 10000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const index = ws.inbox.findIndex(predicate);
    if (index >= 0) return ws.inbox.splice(0, index + 1).pop();
    if (ws.closed && !ws.inbox.length) throw new Error(`closed (${ws.closed.code}) while waiting for ${what}`);
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`timed out waiting for ${what}`);
    await new Promise((wake) => { ws.waiters.push(wake); setTimeout(wake, left); });
  }
}
const ofType = (type) => (message) => message.json?.type === type;
async function closed(ws, ms = 10000) {
  const deadline = Date.now() + ms;
  while (!ws.closed) {
    if (Date.now() > deadline) throw new Error('socket did not close');
    await new Promise((wake) => { ws.waiters.push(wake); setTimeout(wake, 100); });
  }
  return ws.closed;
}

// ---- the flow ---------------------------------------------------------------------------
async function main() {
  // Errors the SDK turns into AuthLoopError(status, code).
  try {
    await sdk.toHuman('hk_AAAAAAAAAAAA_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB', { service: 'x', cdpUrl: 'ws://x' });
    check(false, 'a wrong key is refused');
  } catch (error) {
    check(error instanceof AuthLoopError && error.status === 401 && error.code === 'invalid_api_key', `401 invalid_api_key, got ${error.message}`);
  }
  step('wrong API key: 401 invalid_api_key');

  const session = await sdk.toHuman(apiKey, {
    service: 'GitHub', cdpUrl: 'ws://127.0.0.1:9222/devtools/browser/abc', ttl: 300,
    context: { url: 'https://github.com/login', blockerType: 'otp', hint: 'Code from the authenticator app' },
  });
  check(/^sess_[0-9A-Za-z]{22,}$/.test(session.sessionId), 'session id');
  check(session.sessionUrl.startsWith(`${baseUrl}/s/${session.sessionId}#t=`), 'session url');
  check(session.streamUrl.endsWith(`/stream/${session.sessionId}`) && !session.streamUrl.includes('?'), 'stream url');
  check(!Number.isNaN(Date.parse(session.expiresAt)), 'expires_at parses');
  step('toHuman: POST /session 201 with the five fields');

  const status = await sdk.getSession(apiKey, session.sessionId);
  check(status.status === 'PENDING' && status.service === 'GitHub', 'PENDING');
  check(status.context.blocker_type === 'otp' && status.context.url === 'https://github.com/login', 'context echoed');
  check(!Number.isNaN(Date.parse(status.createdAt)), 'created_at parses');
  step('getSession: PENDING with service and context');

  // The agent connects at once, as the core's startSession does.
  const agent = await open(`${session.streamUrl}?token=${encodeURIComponent(session.streamToken)}&role=agent`);
  step('agent connected with ?token=...&role=agent');

  // The viewer: a browser-like client with the token from the link's fragment.
  const viewerToken = new URL(session.sessionUrl).hash.slice(1).split('&').find((p) => p.startsWith('t=')).slice(2);
  const viewer = await open(`${session.streamUrl}?role=viewer&token=${encodeURIComponent(viewerToken)}`);
  const info = await next(viewer, ofType('session_info'), 'session_info');
  check(info.json.session_id === session.sessionId && info.json.service === 'GitHub', 'session_info');
  await next(viewer, ofType('agent_connected'), 'agent_connected');
  await next(agent, ofType('viewer_connected'), 'viewer_connected');
  step('viewer connected: session_info, agent_connected / viewer_connected');
  check((await sdk.getSession(apiKey, session.sessionId)).status === 'ACTIVE', 'ACTIVE');
  step('getSession: ACTIVE');

  // Version 1 key exchange. Agent: node:crypto ECDH like the AuthLoop core.
  const agentEcdh = createECDH('prime256v1');
  agentEcdh.generateKeys();
  agent.send(JSON.stringify({ type: 'pubkey', key: agentEcdh.getPublicKey('base64') }));
  const agentKeyMessage = await next(viewer, ofType('pubkey'), 'agent pubkey');
  // Viewer: WebCrypto, raw keys, like a browser.
  const viewerPair = await subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits']);
  const agentPublic = await subtle.importKey('raw', Buffer.from(agentKeyMessage.json.key, 'base64'),
                                             { name: 'ECDH', namedCurve: 'P-256' }, false, []);
  const bits = await subtle.deriveBits({ name: 'ECDH', public: agentPublic }, viewerPair.privateKey, 256);
  const viewerAes = await subtle.importKey('raw', bits, 'AES-GCM', false, ['encrypt']);
  const viewerRaw = new Uint8Array(await subtle.exportKey('raw', viewerPair.publicKey));
  check(viewerRaw.length === 65, '65-byte point');
  viewer.send(JSON.stringify({ type: 'pubkey', key: b64(viewerRaw) }));
  const viewerKeyMessage = await next(agent, ofType('pubkey'), 'viewer pubkey');
  const shared = agentEcdh.computeSecret(Buffer.from(viewerKeyMessage.json.key, 'base64')).subarray(0, 32);
  step('version 1 key exchange through the relay');

  // Frames: a "frame" text, then the JPEG as binary.
  const jpeg = new Uint8Array(35 * 1024).map((_, i) => (i * 7) & 0xff);
  jpeg[0] = 0xff; jpeg[1] = 0xd8;
  const meta = { type: 'frame', deviceWidth: 1280, deviceHeight: 720, offsetTop: 0, pageScaleFactor: 1,
                 scrollOffsetX: 0, scrollOffsetY: 0, jpegSize: jpeg.byteLength };
  agent.send(JSON.stringify(meta));
  agent.send(jpeg);
  const frameMeta = await next(viewer, (m) => true, 'frame meta');
  check(frameMeta.json?.type === 'frame' && frameMeta.json.jpegSize === jpeg.byteLength, 'frame meta first');
  const frame = await next(viewer, (m) => true, 'frame JPEG');
  check(frame.binary && Buffer.compare(Buffer.from(frame.binary), Buffer.from(jpeg)) === 0, 'JPEG arrives as binary, unchanged');
  step('frame meta + 35 KB JPEG relayed in order, binary kept binary');

  // Input, encrypted by the viewer, decrypted by the agent (node:crypto, as the core does).
  async function sendEncrypted(event) {
    const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
    const sealed = new Uint8Array(await subtle.encrypt({ name: 'AES-GCM', iv }, viewerAes, new TextEncoder().encode(JSON.stringify(event))));
    viewer.send(JSON.stringify({ type: 'encrypted', payload: {
      iv: b64(iv), ciphertext: b64(sealed.subarray(0, sealed.length - 16)), tag: b64(sealed.subarray(sealed.length - 16)) } }));
  }
  function decrypt(payload) {
    const decipher = createDecipheriv('aes-256-gcm', shared, Buffer.from(payload.iv, 'base64'));
    decipher.setAuthTag(Buffer.from(payload.tag, 'base64'));
    return JSON.parse(Buffer.concat([decipher.update(Buffer.from(payload.ciphertext, 'base64')), decipher.final()]).toString('utf8'));
  }
  const typed = [];
  for (const key of ['4', '2', '7', '1', '9', '0']) {
    await sendEncrypted({ type: 'keypress', key });
  }
  await sendEncrypted({ type: 'keydown', key: 'Enter', code: 'Enter', modifiers: 0, altKey: false, ctrlKey: false, metaKey: false, shiftKey: false });
  for (let i = 0; i < 7; ++i) {
    const message = await next(agent, ofType('encrypted'), 'encrypted input');
    typed.push(decrypt(message.json.payload));
  }
  check(typed.slice(0, 6).map((e) => e.key).join('') === '427190', 'keystrokes in order');
  check(typed[6].type === 'keydown' && typed[6].key === 'Enter', 'Enter');
  step('7 encrypted input events decrypted by the agent, in order');

  // A late viewer gets the cached pubkey and frame (version-1 caches).
  viewer.close();
  await next(agent, ofType('viewer_disconnected'), 'viewer_disconnected');
  const late = await open(`${session.streamUrl}?role=viewer&token=${encodeURIComponent(viewerToken)}`);
  await next(late, ofType('session_info'), 'session_info (late)');
  const cachedKey = await next(late, ofType('pubkey'), 'cached pubkey');
  check(cachedKey.json.key === agentEcdh.getPublicKey('base64'), 'cached agent key');
  await next(late, ofType('frame'), 'cached frame meta');
  const cachedJpeg = await next(late, (m) => !!m.binary, 'cached JPEG');
  check(cachedJpeg.binary.length === jpeg.length, 'cached JPEG');
  step('late viewer: cached pubkey and frame');

  // The human presses Done: "resolved" travels encrypted, the agent calls resolveSession.
  const lateBits = await subtle.deriveBits({ name: 'ECDH', public: agentPublic }, viewerPair.privateKey, 256);
  check(Buffer.compare(Buffer.from(lateBits), Buffer.from(bits)) === 0, 'same key');
  late.send(JSON.stringify({ type: 'pubkey', key: b64(viewerRaw) }));
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
  const sealed = new Uint8Array(await subtle.encrypt({ name: 'AES-GCM', iv }, viewerAes, new TextEncoder().encode('{"type":"resolved"}')));
  late.send(JSON.stringify({ type: 'encrypted', payload: { iv: b64(iv), ciphertext: b64(sealed.subarray(0, sealed.length - 16)),
                                                            tag: b64(sealed.subarray(sealed.length - 16)) } }));
  const done = await next(agent, ofType('encrypted'), 'resolved input');
  check(decrypt(done.json.payload).type === 'resolved', 'resolved decrypted');
  await sdk.resolveSession(apiKey, session.sessionId);
  await next(agent, ofType('session_resolved'), 'session_resolved (agent)');
  await next(late, ofType('session_resolved'), 'session_resolved (viewer)');
  check((await closed(agent)).code === 4410 && (await closed(late)).code === 4410, 'both closed with 4410');
  check((await sdk.getSession(apiKey, session.sessionId)).status === 'RESOLVED', 'RESOLVED');
  step('resolveSession: session_resolved to both, closed 4410, status RESOLVED');

  // cancelSession ends a live session; the agent's socket hears session_cancelled.
  const second = await sdk.toHuman(apiKey, { service: 'Bank', cdpUrl: 'ws://127.0.0.1:9222' });
  const agent2 = await open(`${second.streamUrl}?token=${encodeURIComponent(second.streamToken)}&role=agent`);
  await sdk.cancelSession(apiKey, second.sessionId);
  await next(agent2, ofType('session_cancelled'), 'session_cancelled');
  check((await closed(agent2)).code === 4410, 'closed 4410');
  check((await sdk.getSession(apiKey, second.sessionId)).status === 'CANCELLED', 'CANCELLED');
  try {
    await sdk.resolveSession(apiKey, second.sessionId);
    check(false, 'resolving a cancelled session conflicts');
  } catch (error) {
    check(error.status === 409 && error.code === 'conflict', `409 conflict, got ${error.message}`);
  }
  step('cancelSession: session_cancelled, CANCELLED, then resolve is 409 conflict');

  try {
    await sdk.getSession(apiKey, 'sess_0000000000000000000000');
    check(false, 'unknown session');
  } catch (error) {
    check(error.status === 404 && error.code === 'not_found', `404 not_found, got ${error.message}`);
  }
  step('getSession of an unknown id: 404 not_found');
}

main().then(() => { console.log('all AuthLoop calls passed'); process.exit(0); })
      .catch((error) => { console.error(`not ok - ${error.message}`); process.exit(1); });
