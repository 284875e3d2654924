// tests/oidc/provider.mjs: OpenID providers on loopback for knod's tests.
//
//   node provider.mjs real REDIRECT_URI    oidc-provider (npm), the real thing
//   node provider.mjs fake REDIRECT_URI    a scripted provider for bad tokens
//
// Both listen on 127.0.0.1 on a free port and print one JSON line,
// {"issuer": ..., "client_id": ..., "client_secret": ...}, when ready; they
// stop when standard input closes (the test's end) or on SIGTERM.
//
// real: one confidential client (client_secret_basic), keys made at start,
// oidc-provider's development interactions: the login form takes any
// account id (the password is ignored), then a consent form. Account
// "anna" has the claims of a coordinator of region 12; any other account
// has only its sub, so knod has no user for it.
//
// fake: discovery, a key set, an authorization endpoint that answers at
// once (no login) and a token endpoint that checks PKCE and the client's
// credentials, then issues an ID token (node's jose) for the scenario set
// by POST /scenario with the name as body:
//   good, wrong-aud, expired, bad-signature (signed with another key that
//   claims the provider's kid), wrong-nonce, wrong-state (the callback
//   carries another state)
// Under /other-issuer/ its discovery names the provider's own issuer, not
// the one asked for (an issuer mismatch).
import { createServer } from 'node:http';
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import * as jose from 'jose';
import Provider from 'oidc-provider';

const [mode, redirectUri] = process.argv.slice(2);
const CLIENT_ID = 'knod-test';
const CLIENT_SECRET = randomBytes(24).toString('base64url');

function rsaJwk(kid) {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
}

const ACCOUNTS = {
  anna: { hsa_id: 'SE2321000016-A001', knodroll: 'KNOD-SAMORD', region: '12' },
};

async function real() {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: [{
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    }],
    jwks: { keys: [rsaJwk('k1')] },
    claims: { openid: ['sub', 'hsa_id', 'knodroll', 'region'] },
    conformIdTokenClaims: false,
    cookies: { keys: [randomBytes(32).toString('hex')] },
    features: { devInteractions: { enabled: true } },
    async findAccount(ctx, id) {
      return { accountId: id, claims: async () => ({ sub: id, ...(ACCOUNTS[id] || {}) }) };
    },
  });
  server.on('request', provider.callback());
  return { server, issuer };
}

function b64urlSha256(s) {
  return createHash('sha256').update(s).digest('base64url');
}

async function fake() {
  const good = rsaJwk('k1');
  const evil = rsaJwk('k1');
  const goodKey = await jose.importJWK(good, 'RS256');
  const evilKey = await jose.importJWK(evil, 'RS256');
  const { d, p, q, dp, dq, qi, ...goodPublic } = good;
  let scenario = 'good';
  const codes = new Map();
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${server.address().port}`;
  const json = (res, status, obj) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(obj));
  };
  server.on('request', async (req, res) => {
    const url = new URL(req.url, base);
    let body = '';
    for await (const chunk of req) body += chunk;
    const path = url.pathname;
    if (req.method === 'POST' && path === '/scenario') {
      scenario = body.trim();
      return json(res, 200, { scenario });
    }
    if (path.endsWith('/.well-known/openid-configuration')) {
      const prefix = path.slice(0, -'/.well-known/openid-configuration'.length);
      return json(res, 200, {
        issuer: prefix === '/other-issuer' ? base : base + prefix,
        authorization_endpoint: `${base}/auth`,
        token_endpoint: `${base}/token`,
        jwks_uri: `${base}/jwks`,
        response_types_supported: ['code'],
        id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'],
      });
    }
    if (path === '/jwks') return json(res, 200, { keys: [goodPublic] });
    if (path === '/auth') {
      const q = url.searchParams;
      const code = randomBytes(16).toString('base64url');
      codes.set(code, {
        nonce: q.get('nonce'), challenge: q.get('code_challenge'),
        method: q.get('code_challenge_method'), client: q.get('client_id'),
        redirect: q.get('redirect_uri'), scope: q.get('scope'),
      });
      const back = new URL(q.get('redirect_uri'));
      back.searchParams.set('code', code);
      back.searchParams.set('state', scenario === 'wrong-state'
        ? randomBytes(32).toString('base64url') : q.get('state'));
      res.writeHead(302, { location: back.toString() });
      return res.end();
    }
    if (req.method === 'POST' && path === '/token') {
      const form = new URLSearchParams(body);
      const a = codes.get(form.get('code'));
      codes.delete(form.get('code'));
      const basic = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64');
      if (req.headers.authorization !== `Basic ${basic}`)
        return json(res, 401, { error: 'invalid_client' });
      if (!a || a.method !== 'S256' || a.client !== CLIENT_ID
          || !a.scope.split(' ').includes('openid')
          || form.get('grant_type') !== 'authorization_code'
          || form.get('redirect_uri') !== a.redirect
          || b64urlSha256(form.get('code_verifier') || '') !== a.challenge)
        return json(res, 400, { error: 'invalid_grant' });
      const now = Math.floor(Date.now() / 1000);
      const claims = {
        nonce: scenario === 'wrong-nonce' ? 'another-nonce' : a.nonce,
        ...ACCOUNTS.anna,
      };
      const jwt = new jose.SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setIssuer(base)
        .setSubject('anna')
        .setAudience(scenario === 'wrong-aud' ? 'another-client' : CLIENT_ID)
        .setIssuedAt(scenario === 'expired' ? now - 7200 : now)
        .setExpirationTime(scenario === 'expired' ? now - 3600 : now + 300);
      const idToken = await jwt.sign(scenario === 'bad-signature' ? evilKey : goodKey);
      return json(res, 200, {
        access_token: randomBytes(16).toString('base64url'), token_type: 'Bearer',
        expires_in: 300, id_token: idToken,
      });
    }
    return json(res, 404, { error: 'not_found' });
  });
  return { server, issuer: base };
}

const { server, issuer } = mode === 'fake' ? await fake() : await real();
process.stdout.write(JSON.stringify({ issuer, client_id: CLIENT_ID,
  client_secret: CLIENT_SECRET }) + '\n');
const stop = () => { server.close(); process.exit(0); };
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
