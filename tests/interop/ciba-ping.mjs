// CIBA ping flow with openid-client 6 (unmodified, from npm) against handoff-server.
// A small Node HTTP server on 127.0.0.1:CIBA_RECEIVER_PORT is the client
// notification endpoint: it accepts the ping only with the client notification
// token as Bearer and answers 204; openid-client then redeems the grant once and
// validates the ID token (claims, and its ES256 signature against jwks_uri).
// Environment: see ciba-common.mjs. Prints one JSON line {"auth_req_id"} when
// the request is accepted, then {"ping", "claims", "scope", "token_type", "second"}
// or {"error"}.
import * as client from 'openid-client';
import { discover, initiate, notificationEndpoint, run, say } from './ciba-common.mjs';

const endpoint = notificationEndpoint();
await run(async () => {
  const config = await discover('ping');
  client.enableNonRepudiationChecks(config);
  const started = await initiate(config, { client_notification_token: endpoint.token });
  say({ auth_req_id: started.auth_req_id });
  const received = await endpoint.received;
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
  say({
    ping: received,
    claims: tokens.claims(),
    scope: tokens.scope,
    token_type: tokens.token_type,
    second,
  });
}, endpoint.close);
