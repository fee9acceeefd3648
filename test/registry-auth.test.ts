// Authentication of berth's registry: htpasswd Basic auth, bearer tokens from the built-in
// token endpoint (GET and OAuth2 POST), scopes per repository, and TLS.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';
import { htpasswdLine } from '../src/registry/auth/htpasswd';
import type { RunningRegistry } from '../src/registry/server';
import { errorCodes, request, startTestRegistry, tempDir } from './registry-fixtures';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** key=value pairs of a WWW-Authenticate challenge. */
function challenge(header: string | undefined): { scheme: string; params: Record<string, string> } {
  const [scheme, rest] = [String(header).split(' ')[0], String(header).slice(String(header).indexOf(' ') + 1)];
  const params: Record<string, string> = {};
  for (const m of rest.matchAll(/(\w+)="([^"]*)"/g)) params[m[1]] = m[2];
  return { scheme, params };
}

describe('registry auth', () => {
  let dir: string;
  let htpasswd: string;
  before(() => {
    dir = tempDir('berth-reg-auth-');
    htpasswd = path.join(dir, 'htpasswd');
    // One $2y$ entry as `htpasswd -B` writes them, one $2a$.
    fs.writeFileSync(htpasswd, `${htpasswdLine('alice', 'wonderland', 4).replace('$2a$', '$2y$')}\n${htpasswdLine('bob', 'builder', 4)}\n`);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe('htpasswd', () => {
    let reg: RunningRegistry;
    before(async () => { reg = await startTestRegistry(path.join(dir, 'basic-root'), { auth: 'htpasswd', htpasswd }); });
    after(async () => { await reg?.close(); });

    it('answers 401 UNAUTHORIZED with a Basic challenge without or with wrong credentials', async () => {
      for (const headers of [{}, { Authorization: basic('alice', 'wrong') }, { Authorization: basic('mallory', 'wonderland') }] as Array<Record<string, string>>) {
        const r = await request(reg.url, 'GET', '/v2/', { headers });
        assert.equal(r.status, 401);
        assert.deepEqual(errorCodes(r), ['UNAUTHORIZED']);
        assert.equal(r.headers['www-authenticate'], 'Basic realm="berth-registry"');
      }
    });

    it('lets htpasswd users in ($2y$ and $2a$ entries)', async () => {
      assert.equal((await request(reg.url, 'GET', '/v2/', { headers: { Authorization: basic('alice', 'wonderland') } })).status, 200);
      const r = await request(reg.url, 'POST', '/v2/bob/app/blobs/uploads/', { headers: { Authorization: basic('bob', 'builder') } });
      assert.equal(r.status, 202);
    });
  });

  describe('token', () => {
    let reg: RunningRegistry;
    before(async () => { reg = await startTestRegistry(path.join(dir, 'token-root'), { auth: 'token', htpasswd }); });
    after(async () => { await reg?.close(); });

    const token = async (query: string, headers: Record<string, string> = {}): Promise<string> => {
      const r = await request(reg.url, 'GET', `/token?${query}`, { headers });
      assert.equal(r.status, 200, r.body.toString());
      const body = r.json<{ token: string; access_token: string; expires_in: number; issued_at: string }>();
      assert.equal(body.token, body.access_token);
      assert.ok(body.expires_in > 0 && !Number.isNaN(Date.parse(body.issued_at)));
      return body.token;
    };

    it('challenges with the realm, service and the scope the request needs', async () => {
      const base = await request(reg.url, 'GET', '/v2/');
      assert.equal(base.status, 401);
      const c = challenge(base.headers['www-authenticate']);
      assert.equal(c.scheme, 'Bearer');
      assert.equal(c.params.realm, `${reg.url}/token`);
      assert.equal(c.params.service, 'berth-registry');
      const push = await request(reg.url, 'POST', '/v2/team/app/blobs/uploads/');
      assert.deepEqual(errorCodes(push), ['UNAUTHORIZED']);
      assert.equal(challenge(push.headers['www-authenticate']).params.scope, 'repository:team/app:pull,push');
      assert.equal(challenge((await request(reg.url, 'GET', '/v2/_catalog')).headers['www-authenticate']).params.scope, 'registry:catalog:*');
    });

    it('issues scoped tokens to htpasswd users; a token only opens its own repository and actions', async () => {
      const t = await token('service=berth-registry&scope=repository:team/app:pull,push', { Authorization: basic('alice', 'wonderland') });
      const auth = { Authorization: `Bearer ${t}` };
      assert.equal((await request(reg.url, 'GET', '/v2/', { headers: auth })).status, 200);
      assert.equal((await request(reg.url, 'POST', '/v2/team/app/blobs/uploads/', { headers: auth })).status, 202);
      const other = await request(reg.url, 'POST', '/v2/team/other/blobs/uploads/', { headers: auth });
      assert.equal(other.status, 401);
      assert.equal(challenge(other.headers['www-authenticate']).params.error, 'insufficient_scope');
      const pullOnly = await token('service=berth-registry&scope=repository:team/app:pull', { Authorization: basic('alice', 'wonderland') });
      const r = await request(reg.url, 'POST', '/v2/team/app/blobs/uploads/', { headers: { Authorization: `Bearer ${pullOnly}` } });
      assert.deepEqual(errorCodes(r), ['UNAUTHORIZED']);
    });

    it('anonymous tokens carry no access; wrong passwords get 401 UNAUTHORIZED at the token endpoint', async () => {
      const anon = await token('service=berth-registry&scope=repository:team/app:pull');
      assert.equal((await request(reg.url, 'GET', '/v2/team/app/tags/list', { headers: { Authorization: `Bearer ${anon}` } })).status, 401);
      const wrong = await request(reg.url, 'GET', '/token?service=berth-registry&scope=repository:team/app:pull', { headers: { Authorization: basic('alice', 'nope') } });
      assert.equal(wrong.status, 401);
      assert.deepEqual(errorCodes(wrong), ['UNAUTHORIZED']);
    });

    it('rejects forged and foreign tokens', async () => {
      const t = await token('service=berth-registry&scope=repository:team/app:pull', { Authorization: basic('bob', 'builder') });
      const [h, p, s] = t.split('.');
      const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as { access: Array<{ name: string }> };
      claims.access[0].name = 'team/secret';
      const forged = `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
      const r = await request(reg.url, 'GET', '/v2/team/secret/tags/list', { headers: { Authorization: `Bearer ${forged}` } });
      assert.equal(r.status, 401);
      assert.equal(challenge(r.headers['www-authenticate']).params.error, 'invalid_token');
      const second = await startTestRegistry(path.join(dir, 'token-root-2'), { auth: 'token', htpasswd });
      try {
        assert.equal((await request(second.url, 'GET', '/v2/', { headers: { Authorization: `Bearer ${t}` } })).status, 401, 'signed by another key');
      } finally {
        await second.close();
      }
    });

    it('supports the OAuth2 POST form with refresh tokens', async () => {
      const form = 'grant_type=password&username=bob&password=builder&service=berth-registry&scope=repository:team/app:pull&access_type=offline&client_id=test';
      const r = await request(reg.url, 'POST', '/token', { body: form, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
      assert.equal(r.status, 200);
      const { access_token, refresh_token } = r.json<{ access_token: string; refresh_token: string }>();
      assert.ok(refresh_token);
      assert.equal((await request(reg.url, 'GET', '/v2/team/app/tags/list', { headers: { Authorization: `Bearer ${access_token}` } })).status, 404, 'authorized (repository absent)');
      const again = await request(reg.url, 'POST', '/token', { body: `grant_type=refresh_token&refresh_token=${refresh_token}&service=berth-registry&scope=repository:team/app:push`, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
      assert.equal(again.status, 200);
      const bad = await request(reg.url, 'POST', '/token', { body: 'grant_type=password&username=bob&password=x&service=berth-registry', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
      assert.equal(bad.status, 401);
    });
  });

  it('serves HTTPS with --tls-cert/--tls-key', async () => {
    const cert = path.join(dir, 'cert.pem');
    const key = path.join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const reg = await startTestRegistry(path.join(dir, 'tls-root'), { tlsCert: cert, tlsKey: key });
    try {
      assert.match(reg.url, /^https:\/\/127\.0\.0\.1:\d+$/);
      const status = await new Promise<number>((resolve, reject) => {
        https.get(`${reg.url}/v2/`, { ca: fs.readFileSync(cert) }, (res) => { res.resume(); resolve(res.statusCode ?? 0); }).on('error', reject);
      });
      assert.equal(status, 200);
    } finally {
      await reg.close();
    }
  });
});
