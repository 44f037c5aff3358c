#!/usr/bin/env node
// A second, independent implementation of PROTOCOL section 3 (versions 1 and 2),
// written against WebCrypto only (globalThis.crypto.subtle), the API the
// AuthLoop agent uses. tst_WebCryptoInterop drives it to prove that the C++
// channel and a browser-style peer agree on keys, SAS, nonces, AAD and records.
//
// It speaks JSON lines: one command object per line on stdin, one answer per
// line on stdout ({"ok":true,...} or {"ok":false,"error":code}). Binary data
// travels as standard base64. Commands:
//   {"cmd":"init","version":1|2,"role":"agent"|"viewer","sessionId":s,"expectFingerprint":b64url?,
//    "viewerSecret":b64url (v2),"nonceSeed":hex? (v2 agent),"nonce":hex? (v2 viewer)}
//       -> {pubkey: <our pubkey text message>, fingerprint: b64url (v2), nonce: hex (v2 viewer)}
//   {"cmd":"peer","pubkey":<text>}
//       -> v1 {key: hex}; v2 {v2a: hex, a2v: hex} and, for an agent, ready: b64 (its "ready" record)
//          (throwaway test keys, revealed only so the test can compare them)
//   {"cmd":"encrypt","kind":"input"|"control"|"frame","plaintext":b64,"meta":{...}?,"seq":n?}
//       -> {text?: <text message>, binary?: b64}
//   {"cmd":"decrypt","text":<text>} | {"cmd":"decrypt","binary":b64}
//       -> {kind, plaintext: b64} (frames: {kind:"frame", meta, image: b64}); a v2 handshake
//          record ("ready", "confirm", "reveal") is also acted on: reply: b64 (the record that
//          answers it), sas: "123456" once both nonces are known
//   {"cmd":"quit"}

import { createInterface } from 'node:readline';

const subtle = globalThis.crypto.subtle;
const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: true });

const KIND = { input: 0x01, frame: 0x02, control: 0x03 };
const KIND_NAME = { 0x01: 'input', 0x02: 'frame', 0x03: 'control' };

const state = {
  version: 0, role: '', sessionId: '', expectFingerprint: null,
  keyPair: null, ourRaw: null, peerRaw: null,
  v1Key: null, sendKey: null, recvKey: null,
  sendSeq: 0n, recvSeq: 0n,
  viewerSecret: null, nonceSeed: null, nonce: null, sasKey: null, commitment: null, agentNonce: null,
};

const b64 = (bytes) => Buffer.from(bytes).toString('base64');
const unb64 = (text) => new Uint8Array(Buffer.from(text, 'base64'));
const hex = (bytes) => Buffer.from(bytes).toString('hex');
const b64url = (bytes) => Buffer.from(bytes).toString('base64url');
const concat = (...parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
};
const u64be = (value) => { const b = new Uint8Array(8); new DataView(b.buffer).setBigUint64(0, value); return b; };
const sha256 = async (bytes) => new Uint8Array(await subtle.digest('SHA-256', bytes));

class PeerError extends Error {
  constructor(code) { super(code); this.code = code; }
}

async function aesKey(raw) {
  return subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
}

async function seal(key, iv, aad, plaintext) {
  const params = { name: 'AES-GCM', iv, tagLength: 128 };
  if (aad) params.additionalData = aad;
  const out = new Uint8Array(await subtle.encrypt(params, key, plaintext));
  return { ciphertext: out.slice(0, out.length - 16), tag: out.slice(out.length - 16) };
}

async function open(key, iv, aad, ciphertext, tag) {
  const params = { name: 'AES-GCM', iv, tagLength: 128 };
  if (aad) params.additionalData = aad;
  try {
    return new Uint8Array(await subtle.decrypt(params, key, concat(ciphertext, tag)));
  } catch {
    throw new PeerError('undecryptable');
  }
}

function pubkeyMessage() {
  const message = { type: 'pubkey', key: b64(state.ourRaw) };
  if (state.version === 2) message.v = 2;
  return JSON.stringify(message);
}

const random = (n) => globalThis.crypto.getRandomValues(new Uint8Array(n));
const unhex = (text) => new Uint8Array(Buffer.from(text, 'hex'));
const unb64url = (text) => new Uint8Array(Buffer.from(text, 'base64url'));

async function hmac(key, data) {
  const k = await subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await subtle.sign('HMAC', k, data));
}

async function init(cmd) {
  state.version = cmd.version;
  state.role = cmd.role;
  state.sessionId = cmd.sessionId || '';
  state.expectFingerprint = cmd.expectFingerprint || null;
  state.keyPair = await subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits']);
  state.ourRaw = new Uint8Array(await subtle.exportKey('raw', state.keyPair.publicKey));
  const answer = { pubkey: pubkeyMessage() };
  if (state.version === 2) {
    if (!cmd.viewerSecret) throw new PeerError('missing_viewer_secret');
    state.viewerSecret = unb64url(cmd.viewerSecret);
    answer.fingerprint = b64url((await sha256(state.ourRaw)).slice(0, 16));
    if (state.role === 'agent') {
      state.nonceSeed = cmd.nonceSeed ? unhex(cmd.nonceSeed) : random(32);
    } else {
      state.nonce = cmd.nonce ? unhex(cmd.nonce) : random(16);
      answer.nonce = hex(state.nonce); // a test peer: revealed so the test can recompute the SAS
    }
  }
  return answer;
}

async function hkdf(z, salt, info, bits) {
  const ikm = await subtle.importKey('raw', z, 'HKDF', false, ['deriveBits']);
  return new Uint8Array(await subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt, info }, ikm, bits));
}

async function peer(cmd) {
  const message = JSON.parse(cmd.pubkey);
  if (message.type !== 'pubkey') throw new PeerError('wrong_type');
  if ((message.v ?? 1) !== state.version) throw new PeerError('version_mismatch');
  const peerRaw = unb64(message.key);
  if (state.version === 2 && state.role === 'viewer' && state.expectFingerprint) {
    const fingerprint = b64url((await sha256(peerRaw)).slice(0, 16));
    if (fingerprint !== state.expectFingerprint) throw new PeerError('key_mismatch');
  }
  let peerKey;
  try {
    peerKey = await subtle.importKey('raw', peerRaw, { name: 'ECDH', namedCurve: 'P-256' }, false, []);
  } catch {
    throw new PeerError('invalid_peer_key');
  }
  state.peerRaw = peerRaw;
  const z = new Uint8Array(await subtle.deriveBits({ name: 'ECDH', public: peerKey }, state.keyPair.privateKey, 256));
  if (state.version === 1) {
    state.v1Key = await aesKey(z); // the x-coordinate itself, as AuthLoop does
    return { key: hex(z) };
  }
  // PROTOCOL 3, v2 step 5: the viewer secret joins the shared secret.
  const ikm = concat(z, state.viewerSecret);
  const salt = await sha256(concat(enc.encode('handoff/2 salt'), enc.encode(state.sessionId)));
  const [aPub, vPub] = state.role === 'agent' ? [state.ourRaw, peerRaw] : [peerRaw, state.ourRaw];
  const info = (label) => concat(enc.encode('handoff/2'), aPub, vPub, enc.encode(label));
  const v2a = await hkdf(ikm, salt, info('v2a'), 256);
  const a2v = await hkdf(ikm, salt, info('a2v'), 256);
  state.sasKey = await hkdf(ikm, salt, info('sas'), 256);
  state.sendKey = await aesKey(state.role === 'agent' ? a2v : v2a);
  state.recvKey = await aesKey(state.role === 'agent' ? v2a : a2v);
  state.sendSeq = 0n;
  state.recvSeq = 0n;
  const answer = { v2a: hex(v2a), a2v: hex(a2v) };
  if (state.role === 'agent') {
    // Step 7: the first record commits to our nonce for this viewer key.
    state.agentNonce = (await hmac(state.nonceSeed, concat(enc.encode('handoff/2 agent nonce'), vPub))).slice(0, 16);
    const commit = await commitment(state.agentNonce);
    answer.ready = (await sealRecord('control', enc.encode(JSON.stringify({ type: 'ready', commit: b64url(commit) }))))
      .binary;
  }
  return answer;
}

async function commitment(agentNonce) {
  const [aPub, vPub] = state.role === 'agent' ? [state.ourRaw, state.peerRaw] : [state.peerRaw, state.ourRaw];
  return sha256(concat(enc.encode('handoff/2 commit'), aPub, vPub, agentNonce));
}

async function sasOf(agentNonce, viewerNonce) {
  const mac = await hmac(state.sasKey, concat(enc.encode('handoff/2 sas'), agentNonce, viewerNonce));
  return String(new DataView(mac.buffer).getUint32(0) % 1000000).padStart(6, '0');
}

// Steps 8 and 9: the answer to a handshake record, if it is one.
async function handshake(control) {
  if (state.role === 'viewer' && control.type === 'ready') {
    const commit = unb64url(control.commit || '');
    if (commit.length !== 32) throw new PeerError('bad_control');
    if (state.commitment && b64(commit) !== b64(state.commitment)) throw new PeerError('commitment_changed');
    state.commitment = commit;
    return { reply: (await sealRecord('control', enc.encode(JSON.stringify({ type: 'confirm', nonce: b64url(state.nonce) })))).binary };
  }
  if (state.role === 'viewer' && control.type === 'reveal') {
    const agentNonce = unb64url(control.nonce || '');
    if (!state.commitment) throw new PeerError('not_ready');
    if (b64(await commitment(agentNonce)) !== b64(state.commitment)) throw new PeerError('commitment_mismatch');
    return { sas: await sasOf(agentNonce, state.nonce) };
  }
  if (state.role === 'agent' && control.type === 'confirm') {
    const viewerNonce = unb64url(control.nonce || '');
    if (viewerNonce.length !== 16) throw new PeerError('bad_control');
    const reveal = await sealRecord('control', enc.encode(JSON.stringify({ type: 'reveal', nonce: b64url(state.agentNonce) })));
    return { reply: reveal.binary, sas: await sasOf(state.agentNonce, viewerNonce) };
  }
  return {};
}

const sendLabel = () => enc.encode(state.role === 'agent' ? 'a2v ' : 'v2a ');
const recvLabel = () => enc.encode(state.role === 'agent' ? 'v2a ' : 'a2v ');

async function encrypt(cmd) {
  let plaintext = unb64(cmd.plaintext || '');
  if (state.version === 1) {
    if (cmd.kind === 'frame') {
      // Version 1 frames are plaintext: metadata text, then the JPEG as binary.
      return { text: JSON.stringify({ type: 'frame', ...cmd.meta, jpegSize: plaintext.length }), binary: b64(plaintext) };
    }
    if (cmd.kind !== 'input' || !state.v1Key) throw new PeerError('unsupported');
    const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
    const { ciphertext, tag } = await seal(state.v1Key, iv, null, plaintext);
    return { text: JSON.stringify({ type: 'encrypted', payload: { iv: b64(iv), ciphertext: b64(ciphertext), tag: b64(tag) } }) };
  }
  if (!state.sendKey || !(cmd.kind in KIND)) throw new PeerError('unsupported');
  if (cmd.kind === 'frame') {
    const meta = enc.encode(JSON.stringify(cmd.meta));
    const length = new Uint8Array(4);
    new DataView(length.buffer).setUint32(0, meta.length);
    plaintext = concat(length, meta, plaintext);
  }
  return sealRecord(cmd.kind, plaintext, cmd.seq);
}

// An explicit seq lets the test build replays and out-of-order records.
async function sealRecord(kind, plaintext, explicitSeq) {
  const seq = explicitSeq !== undefined ? BigInt(explicitSeq) : state.sendSeq + 1n;
  if (seq > state.sendSeq) state.sendSeq = seq;
  const header = concat(new Uint8Array([0x02, KIND[kind]]), u64be(seq));
  const aad = concat(header, enc.encode(state.sessionId));
  const { ciphertext, tag } = await seal(state.sendKey, concat(sendLabel(), u64be(seq)), aad, plaintext);
  return { binary: b64(concat(header, ciphertext, tag)) };
}

async function decrypt(cmd) {
  if (state.version === 1) {
    if (cmd.text === undefined || !state.v1Key) throw new PeerError('unexpected_message');
    const message = JSON.parse(cmd.text);
    if (message.type !== 'encrypted') throw new PeerError('wrong_type');
    const { iv, ciphertext, tag } = message.payload;
    const plaintext = await open(state.v1Key, unb64(iv), null, unb64(ciphertext), unb64(tag));
    return { kind: 'input', plaintext: b64(plaintext) };
  }
  if (cmd.binary === undefined || !state.recvKey) throw new PeerError('unexpected_message');
  const record = unb64(cmd.binary);
  if (record.length < 10 + 1 + 16) throw new PeerError('short_record');
  if (record[0] !== 0x02) throw new PeerError('bad_version');
  const kind = KIND_NAME[record[1]];
  if (!kind) throw new PeerError('unknown_kind');
  const seq = new DataView(record.buffer, record.byteOffset + 2, 8).getBigUint64(0);
  if (seq === 0n || seq <= state.recvSeq) throw new PeerError('replay');
  const header = record.slice(0, 10);
  const aad = concat(header, enc.encode(state.sessionId));
  const plaintext = await open(state.recvKey, concat(recvLabel(), u64be(seq)), aad,
                               record.slice(10, record.length - 16), record.slice(record.length - 16));
  state.recvSeq = seq;
  if (kind === 'control') return { kind, plaintext: b64(plaintext), ...(await handshake(JSON.parse(dec.decode(plaintext)))) };
  if (kind !== 'frame') return { kind, plaintext: b64(plaintext) };
  const metaLength = new DataView(plaintext.buffer, plaintext.byteOffset, 4).getUint32(0);
  const meta = JSON.parse(dec.decode(plaintext.slice(4, 4 + metaLength)));
  return { kind, meta, image: b64(plaintext.slice(4 + metaLength)) };
}

const handlers = { init, peer, encrypt, decrypt };

const lines = createInterface({ input: process.stdin, terminal: false });
for await (const line of lines) {
  if (!line.trim()) continue;
  let answer;
  try {
    const cmd = JSON.parse(line);
    if (cmd.cmd === 'quit') break;
    const handler = handlers[cmd.cmd];
    if (!handler) throw new PeerError('unknown_command');
    answer = { ok: true, ...(await handler(cmd)) };
  } catch (e) {
    answer = e instanceof PeerError ? { ok: false, error: e.code } : { ok: false, error: 'exception', message: String(e.message) };
  }
  process.stdout.write(JSON.stringify(answer) + '\n');
}
process.exit(0);
