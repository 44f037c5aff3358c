// What the CIBA flow scripts (ciba-poll.mjs, ciba-ping.mjs, ciba-push.mjs) share:
// openid-client 6's discovery against handoff-server for the test's client, the
// backchannel authentication request for the test's person, the client
// notification endpoint of ping and push, and the way they end.
// Environment: HANDOFF_ISSUER, CIBA_CLIENT_ID, CIBA_CLIENT_SECRET, CIBA_LOGIN_HINT,
// CIBA_BINDING_MESSAGE, and CIBA_RECEIVER_PORT for the notification endpoint.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import * as client from 'openid-client';

const env = process.env;

// One JSON line on stdout, for the C++ test.
export const say = (object) => console.log(JSON.stringify(object));

// The client's openid-client Configuration, from the server's discovery document;
// with `mode`, the server must advertise that token delivery mode.
export async function discover(mode) {
  const config = await client.discovery(
    new URL(env.HANDOFF_ISSUER),
    env.CIBA_CLIENT_ID,
    undefined,
    client.ClientSecretBasic(env.CIBA_CLIENT_SECRET),
    { execute: [client.allowInsecureRequests] },
  );
  if (mode && !config.serverMetadata().backchannel_token_delivery_modes_supported?.includes(mode)) {
    throw new Error(`the server does not advertise ${mode} delivery`);
  }
  return config;
}

// The backchannel authentication request for the test's person and binding
// message; `extra` adds parameters (client_notification_token).
export function initiate(config, extra = {}) {
  return client.initiateBackchannelAuthentication(config, {
    scope: 'openid',
    login_hint: env.CIBA_LOGIN_HINT,
    binding_message: env.CIBA_BINDING_MESSAGE,
    requested_expiry: '60',
    ...extra,
  });
}

// The client notification endpoint on 127.0.0.1:CIBA_RECEIVER_PORT, listening
// at once: `received` resolves with {contentType, body} of the first POST that
// carries `token` as Bearer (answered 204); any other request gets 401.
export function notificationEndpoint() {
  const token = randomBytes(32).toString('base64url');
  let server;
  const received = new Promise((resolve, reject) => {
    server = createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk) => { body += chunk; });
      request.on('end', () => {
        if (request.method !== 'POST' || request.headers.authorization !== `Bearer ${token}`) {
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
  return { token, received, close: () => server.close() };
}

// Runs the flow; a failure prints {"error", "message"} and makes the exit code 1.
// `cleanup` runs either way.
export async function run(flow, cleanup = () => {}) {
  try {
    await flow();
  } catch (error) {
    say({ error: error.error ?? error.code ?? 'error', message: String(error.message) });
    process.exitCode = 1;
  } finally {
    cleanup();
  }
}
