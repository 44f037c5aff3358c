// CIBA ping flow with openid-client 6 (unmodified, from npm) against handoff-server.
// A small Node HTTP server on 127.0.0.1:CIBA_RECEIVER_PORT is the client
// notification endpoint: it accepts the ping only with the client notification
// token as Bearer and answers 204; openid-client then redeems the grant once and
// validates the ID token (claims, and its ES256 signature against jwks_uri).
// Environment: HANDOFF_ISSUER, CIBA_CLIENT_ID, CIBA_CLIENT_SECRET, CIBA_LOGIN_HINT,
// CIBA_BINDING_MESSAGE, CIBA_RECEIVER_PORT. Prints one JSON line {"auth_req_id"} when
// the request is accepted, then {"ping", "claims", "scope", "token_type", "second"}
// or {"error"}.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import * as client from 'openid-client';

const env = process.env;
const notificationToken = randomBytes(32).toString('base64url');
let server;

// Resolves with the first ping that carries the right Bearer token; others get 401.
function receivePing() {
  return new Promise((resolve, reject) => {
    server = createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk) => { body += chunk; });
      request.on('end', () => {
        if (request.method !== 'POST' || request.headers.authorization !== `Bearer ${notificationToken}`) {
          response.writeHead(401).end();
          return;
        }
        response.writeHead(204).end();
        resolve({ contentType: request.headers['content-type'], body: JSON.parse(body) });
      });
    });
    server.on('error', reject);
    server.listen(Number(env.CIBA_RECEIVER_PORT), '127.0.0.1');
  });
}

try {
  const ping = receivePing();
  const config = await client.discovery(
    new URL(env.HANDOFF_ISSUER),
    env.CIBA_CLIENT_ID,
    undefined,
    client.ClientSecretBasic(env.CIBA_CLIENT_SECRET),
    { execute: [client.allowInsecureRequests] },
  );
  if (!config.serverMetadata().backchannel_token_delivery_modes_supported?.includes('ping')) {
    throw new Error('the server does not advertise ping delivery');
  }
  client.enableNonRepudiationChecks(config);
  const started = await client.initiateBackchannelAuthentication(config, {
    scope: 'openid',
    login_hint: env.CIBA_LOGIN_HINT,
    binding_message: env.CIBA_BINDING_MESSAGE,
    requested_expiry: '60',
    client_notification_token: notificationToken,
  });
  console.log(JSON.stringify({ auth_req_id: started.auth_req_id }));
  const received = await ping;
  if (received.body.auth_req_id !== started.auth_req_id) {
    throw new Error('the ping names another request');
  }
  // The ping says the result is ready: one token request redeems it.
  const tokens = await client.genericGrantRequest(config, 'urn:openid:params:grant-type:ciba', {
    auth_req_id: started.auth_req_id,
  });
  let second = 'none';
  try {
    await client.genericGrantRequest(config, 'urn:openid:params:grant-type:ciba', { auth_req_id: started.auth_req_id });
    second = 'granted again';
  } catch (error) {
    second = error.error ?? error.code ?? 'error';
  }
  console.log(JSON.stringify({
    ping: received,
    claims: tokens.claims(),
    scope: tokens.scope,
    token_type: tokens.token_type,
    second,
  }));
} catch (error) {
  console.log(JSON.stringify({ error: error.error ?? error.code ?? 'error', message: String(error.message) }));
  process.exitCode = 1;
} finally {
  server?.close();
}
