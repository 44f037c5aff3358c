// CIBA push flow against handoff-server, with openid-client 6 (unmodified, from
// npm) as the client. openid-client has no push API, so a small Node HTTP server
// on 127.0.0.1:CIBA_RECEIVER_PORT is the client notification endpoint, and the
// pushed token response is checked twice over (CIBA Core 10.3.1):
//  - by openid-client's own token response validation: the pushed body is handed
//    to it through its documented customFetch hook in place of a token endpoint
//    answer, so it validates the ID token's claims (iss, aud, exp, iat, sub) and,
//    with enableNonRepudiationChecks, its ES256 signature against jwks_uri;
//  - by hand with Node's WebCrypto: the signature against the JWKS, at_hash of the
//    access token and the urn:openid:params:jwt:claim:auth_req_id claim.
// Environment: see ciba-common.mjs. Prints {"auth_req_id"}, then {"claims", "checks",
// "token_type", "scope", "fields"} or {"error"}.
import { createHash, webcrypto } from 'node:crypto';
import * as client from 'openid-client';
import { discover, initiate, notificationEndpoint, run, say } from './ciba-common.mjs';

const b64url = (bytes) => Buffer.from(bytes).toString('base64url');
const part = (jwt, index) => JSON.parse(Buffer.from(jwt.split('.')[index], 'base64url').toString('utf8'));

async function verifyEs256(jwt, jwks) {
  const [header, payload, signature] = jwt.split('.');
  const kid = part(jwt, 0).kid;
  const jwk = jwks.keys.find((key) => key.kid === kid);
  if (!jwk || part(jwt, 0).alg !== 'ES256') {
    return false;
  }
  const key = await webcrypto.subtle.importKey('jwk', jwk, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
  return webcrypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key,
    Buffer.from(signature, 'base64url'), Buffer.from(`${header}.${payload}`));
}

const endpoint = notificationEndpoint();
await run(async () => {
  const config = await discover('push');
  const metadata = config.serverMetadata();
  const started = await initiate(config, { client_notification_token: endpoint.token });
  say({ auth_req_id: started.auth_req_id });
  const pushed = (await endpoint.received).body;
  if (pushed.auth_req_id !== started.auth_req_id) {
    throw new Error('the push names another request');
  }

  // openid-client's validation of the pushed response.
  client.enableNonRepudiationChecks(config);
  const tokenEndpoint = metadata.token_endpoint;
  let tokenEndpointCalls = 0;
  config[client.customFetch] = (url, options) => {
    if (String(url) === tokenEndpoint) {
      tokenEndpointCalls += 1;
      return Promise.resolve(new Response(JSON.stringify(pushed), {
        status: 200,
        headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
      }));
    }
    return fetch(url, options);
  };
  const tokens = await client.genericGrantRequest(config, 'urn:openid:params:grant-type:ciba', {
    auth_req_id: started.auth_req_id,
  });
  const claims = tokens.claims();

  // And by hand.
  const jwks = await (await fetch(metadata.jwks_uri)).json();
  const accessHash = b64url(createHash('sha256').update(pushed.access_token, 'ascii').digest().subarray(0, 16));
  const checks = {
    id_token_signature: await verifyEs256(pushed.id_token, jwks),
    access_token_signature: await verifyEs256(pushed.access_token, jwks),
    at_hash: claims.at_hash === accessHash,
    auth_req_id_claim: claims['urn:openid:params:jwt:claim:auth_req_id'] === started.auth_req_id,
    audience: claims.aud === process.env.CIBA_CLIENT_ID,
    issuer: claims.iss === metadata.issuer,
    not_expired: claims.exp > Date.now() / 1000,
    validated_pushed_body: tokenEndpointCalls === 1, // what openid-client validated is the pushed body
  };
  say({
    claims,
    checks,
    token_type: tokens.token_type,
    scope: tokens.scope,
    fields: Object.keys(pushed).sort(),
  });
}, endpoint.close);
