// CIBA poll flow with openid-client 6 (unmodified, from npm) against handoff-server.
// Environment: see ciba-common.mjs. Prints one JSON line: {"auth_req_id"} when the
// request is accepted, then {"claims": <validated ID token claims>, "scope"} or {"error"}.
import * as client from 'openid-client';
import { discover, initiate, run, say } from './ciba-common.mjs';

await run(async () => {
  const config = await discover();
  // Also verify the ID token's ES256 signature against the server's jwks_uri.
  client.enableNonRepudiationChecks(config);
  const started = await initiate(config);
  say({ auth_req_id: started.auth_req_id, interval: started.interval });
  const tokens = await client.pollBackchannelAuthenticationGrant(config, started);
  say({ claims: tokens.claims(), scope: tokens.scope, token_type: tokens.token_type });
});
