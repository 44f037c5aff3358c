#!/usr/bin/env node
// Computes the version-2 known-answer vector of tst_SecureChannelV2 (PROTOCOL 3,
// v2) with Node's crypto module (createECDH, hkdfSync, createHmac,
// createCipheriv): an implementation independent of ours. Run it to check or
// regenerate the constants in tests/core/protocol/tst_SecureChannelV2.cpp:
//   node tests/interop/v2-known-answer.mjs
import { createECDH, createHash, createHmac, hkdfSync, createCipheriv } from 'node:crypto';

const sessionId = 'sess_4EOfTZnO8Ue9yqkvRk3Jzl';
const agentScalar = '4072ab186b8a25885b9f607f3ea9a47a1a6f5d3faed0cddfc6ea99e483659e0d';
const viewerScalar = '6280675e15e0db94c7cd52c3b490467584cf6f66e6c8d010e5b2085a346e3d37';
const viewerSecret = Buffer.from('5e1f0a7c3b9d2e4f6a8b0c1d2e3f4051', 'hex');
const nonceSeed = Buffer.from('a3c1f0e29b7d5c4e3f2a1b0c9d8e7f60112233445566778899aabbccddeeff00', 'hex');
const viewerNonce = Buffer.from('0f1e2d3c4b5a69788796a5b4c3d2e1f0', 'hex');

const agent = createECDH('prime256v1');
agent.setPrivateKey(Buffer.from(agentScalar, 'hex'));
const viewer = createECDH('prime256v1');
viewer.setPrivateKey(Buffer.from(viewerScalar, 'hex'));
const A = agent.getPublicKey();
const V = viewer.getPublicKey();
const z = agent.computeSecret(V);

const sha256 = (...parts) => createHash('sha256').update(Buffer.concat(parts)).digest();
const hmac = (key, ...parts) => createHmac('sha256', key).update(Buffer.concat(parts)).digest();
const ikm = Buffer.concat([z, viewerSecret]);
const salt = sha256(Buffer.from('handoff/2 salt'), Buffer.from(sessionId));
const info = (label) => Buffer.concat([Buffer.from('handoff/2'), A, V, Buffer.from(label)]);
const expand = (label, n) => Buffer.from(hkdfSync('sha256', ikm, salt, info(label), n));
const v2a = expand('v2a', 32);
const a2v = expand('a2v', 32);
const sasKey = expand('sas', 32);

const agentNonce = hmac(nonceSeed, Buffer.from('handoff/2 agent nonce'), V).subarray(0, 16);
const commit = sha256(Buffer.from('handoff/2 commit'), A, V, agentNonce);
const sas = String(hmac(sasKey, Buffer.from('handoff/2 sas'), agentNonce, viewerNonce).readUInt32BE(0) % 1000000)
  .padStart(6, '0');

function record(key, label, kind, seq, plaintext) {
  const header = Buffer.alloc(10);
  header[0] = 0x02;
  header[1] = kind;
  header.writeBigUInt64BE(BigInt(seq), 2);
  const nonce = Buffer.concat([Buffer.from(label), header.subarray(2)]);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.concat([header, Buffer.from(sessionId)]));
  const ciphertext = Buffer.concat([cipher.update(Buffer.from(plaintext)), cipher.final()]);
  return Buffer.concat([header, ciphertext, cipher.getAuthTag()]);
}

const ready = `{"type":"ready","commit":"${commit.toString('base64url')}"}`;
const confirm = `{"type":"confirm","nonce":"${viewerNonce.toString('base64url')}"}`;
const reveal = `{"type":"reveal","nonce":"${agentNonce.toString('base64url')}"}`;

const out = {
  AgentPoint: A.toString('hex'),
  ViewerPoint: V.toString('hex'),
  Fingerprint: sha256(A).subarray(0, 16).toString('base64url'),
  AgentToViewerKey: a2v.toString('hex'),
  ViewerToAgentKey: v2a.toString('hex'),
  AgentNonce: agentNonce.toString('hex'),
  Commitment: commit.toString('hex'),
  SasDigits: sas,
  ReadyRecord: record(a2v, 'a2v ', 0x03, 1, ready).toString('hex'),
  ConfirmRecord: record(v2a, 'v2a ', 0x03, 1, confirm).toString('hex'),
  RevealRecord: record(a2v, 'a2v ', 0x03, 2, reveal).toString('hex'),
};
for (const [name, value] of Object.entries(out)) console.log(`${name} = ${value}`);
