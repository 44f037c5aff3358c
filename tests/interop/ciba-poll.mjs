// CIBA poll flow with openid-client 6 (unmodified, from npm) against handoff-server.
// Environment: HANDOFF_ISSUER, CIBA_CLIENT_ID, CIBA_CLIENT_SECRET, CIBA_LOGIN_HINT,
// CIBA_BINDING_MESSAGE. Prints one JSON line: {"auth_req_id"} when the request is
// accepted, then {"claims": <validated ID token claims>, "scope"} or {"error"}.
import * as client from 'openid-client';

const env = process.env;
try {
  const config = await client.discovery(
    new URL(env.HANDOFF_ISSUER),
    env.CIBA_CLIENT_ID,
    undefined,
    client.ClientSecretBasic(env.CIBA_CLIENT_SECRET),
    { execute: [client.allowInsecureRequests] },
  );
  // Also verify the ID token's ES256 signature against the server's jwks_uri.
  client.enableNonRepudiationChecks(config);
  const started = await client.initiateBackchannelAuthentication(config, {
    scope: 'openid',
    login_hint: env.CIBA_LOGIN_HINT,
    binding_message: env.CIBA_BINDING_MESSAGE,
    requested_expiry: '60',
  });
  console.log(JSON.stringify({ auth_req_id: started.auth_req_id, interval: started.interval }));
  const tokens = await client.pollBackchannelAuthenticationGrant(config, started);
  console.log(JSON.stringify({ claims: tokens.claims(), scope: tokens.scope, token_type: tokens.token_type }));
} catch (error) {
  console.log(JSON.stringify({ error: error.error ?? error.code ?? 'error', message: String(error.message) }));
  process.exitCode = 1;
}
