// Registry client pieces against small fake servers on loopback: the bearer-token
// flow (anonymous and with credentials, refused credentials), challenge parsing,
// platform selection in an index, blob download resumed with Range after a cut,
// and the multi-member adaptive gzip used for pushes.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { RegistrySession } from '../src/distribution/session';
import { RepositoryClient } from '../src/distribution/repository-client';
import { parseChallenges } from '../src/distribution/challenge';
import { selectPlatform, type ImageIndex } from '../src/distribution/manifest';
import { blobStream } from '../src/distribution/blob-stream';
import { adaptiveGzip } from '../src/distribution/adaptive-gzip';
import { isInsecure, pullEndpoints } from '../src/distribution/endpoints';
import { decodeRegistryAuth } from '../src/distribution/auth-header';
import { UnauthorizedError } from '../src/errors';

const servers: http.Server[] = [];
after(() => { for (const s of servers) s.close(); });

async function serve(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const endpoint = (host: string) => ({ base: `http://${host}`, insecure: true, mirror: false });

test('bearer token flow: anonymous pull scope, credentials for push, refused password', async () => {
  const seen: string[] = [];
  const host = await serve((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/token') {
      const scopes = url.searchParams.getAll('scope').join(' ');
      seen.push(`${req.headers.authorization ?? 'anon'} ${url.searchParams.get('service')} ${scopes}`);
      const basic = req.headers.authorization;
      if (basic && basic !== `Basic ${Buffer.from('bob:pw').toString('base64')}`) {
        res.writeHead(401, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'incorrect username or password' }] }));
        return;
      }
      res.end(JSON.stringify({ token: basic ? 'push-token' : 'anon-token' }));
      return;
    }
    const want = url.pathname === '/v2/' ? undefined : url.pathname.endsWith('/tags/list') ? 'anon-token|push-token' : 'push-token';
    const ok = want === undefined ? false : want.split('|').some((t) => req.headers.authorization === `Bearer ${t}`);
    if (!ok) {
      res.writeHead(401, { 'WWW-Authenticate': `Bearer realm="http://${req.headers.host}/token",service="fake",scope="repository:x/y:pull"` });
      res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
      return;
    }
    res.end(JSON.stringify({ name: 'x/y', tags: ['1', '2'] }));
  });
  const anon = new RepositoryClient(new RegistrySession(endpoint(host), undefined, new Set(['repository:x/y:pull'])), 'x/y');
  assert.deepEqual(await anon.tags(), ['1', '2']);
  assert.equal(seen[0], 'anon fake repository:x/y:pull');

  const withCreds = new RepositoryClient(new RegistrySession(endpoint(host), { username: 'bob', password: 'pw' }, new Set(['repository:x/y:pull,push'])), 'x/y');
  assert.notEqual(await withCreds.statBlob(`sha256:${'a'.repeat(64)}`), undefined);
  assert.match(seen[seen.length - 1], /^Basic .* fake repository:x\/y:pull,push$/);

  const wrong = new RegistrySession(endpoint(host), { username: 'bob', password: 'bad' }, new Set(['repository:x/y:pull']));
  await assert.rejects(() => new RepositoryClient(wrong, 'x/y').tags(), (err: unknown) => err instanceof UnauthorizedError && /unauthorized: incorrect username or password/.test(err.message));
});

test('WWW-Authenticate challenges and X-Registry-Auth decoding', () => {
  const [bearer] = parseChallenges('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"');
  assert.deepEqual(bearer, { scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/busybox:pull' } });
  assert.deepEqual(parseChallenges('Basic realm="basic-realm"'), [{ scheme: 'basic', params: { realm: 'basic-realm' } }]);
  const header = Buffer.from(JSON.stringify({ auth: Buffer.from('u:p:x').toString('base64'), serveraddress: 'r' })).toString('base64url');
  assert.deepEqual(decodeRegistryAuth(header), { auth: Buffer.from('u:p:x').toString('base64'), serveraddress: 'r', username: 'u', password: 'p:x' });
  assert.equal(decodeRegistryAuth('%%%'), undefined);
});

test('Docker registry rules: loopback and --insecure-registry are insecure, docker.io goes through mirrors first', () => {
  const options = { insecureRegistries: ['10.1.0.0/16', 'reg.local:5000'], mirrors: ['http://127.0.0.1:6000'], maxConcurrentDownloads: 3, maxConcurrentUploads: 5 };
  assert.equal(isInsecure('127.0.0.1:5000', options), true);
  assert.equal(isInsecure('localhost:5000', options), true);
  assert.equal(isInsecure('10.1.2.3:443', options), true);
  assert.equal(isInsecure('reg.local:5000', options), true);
  assert.equal(isInsecure('quay.io', options), false);
  assert.deepEqual(pullEndpoints('docker.io', options).map((e) => e.base), ['http://127.0.0.1:6000', 'https://registry-1.docker.io']);
  assert.deepEqual(pullEndpoints('quay.io', options).map((e) => e.base), ['https://quay.io']);
});

test('platform selection in an index', () => {
  const d = (n: string) => `sha256:${n.repeat(64)}`;
  const index: ImageIndex = {
    kind: 'index', mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [
      { mediaType: 'm', digest: d('1'), size: 1, platform: { os: 'linux', architecture: 'arm', variant: 'v6' } },
      { mediaType: 'm', digest: d('2'), size: 1, platform: { os: 'linux', architecture: 'arm', variant: 'v7' } },
      { mediaType: 'm', digest: d('3'), size: 1, platform: { os: 'linux', architecture: 'amd64' } },
      { mediaType: 'm', digest: d('4'), size: 1, platform: { os: 'unknown', architecture: 'unknown' } },
    ],
  };
  assert.equal(selectPlatform(index, { os: 'linux', architecture: 'amd64' })?.digest, d('3'));
  assert.equal(selectPlatform(index, { os: 'linux', architecture: 'arm' })?.digest, d('2'));
  assert.equal(selectPlatform(index, { os: 'linux', architecture: 'arm', variant: 'v6' })?.digest, d('1'));
  assert.equal(selectPlatform(index, { os: 'linux', architecture: 's390x' }), undefined);
});

test('a blob download cut in the middle resumes with Range and is verified', async () => {
  const blob = randomBytes(3 << 20);
  const digest = `sha256:${createHash('sha256').update(blob).digest('hex')}`;
  const ranges: string[] = [];
  let cuts = 0;
  const host = await serve((req, res) => {
    if (req.url === '/v2/') { res.end('{}'); return; }
    const range = /bytes=(\d+)-/.exec(req.headers.range ?? '');
    const from = range ? Number(range[1]) : 0;
    ranges.push(req.headers.range ?? 'none');
    res.writeHead(range ? 206 : 200, { 'Content-Length': blob.length - from });
    if (cuts < 2) {
      cuts++;
      res.write(blob.subarray(from, from + (1 << 20)), () => res.destroy());
      return;
    }
    res.end(blob.subarray(from));
  });
  const client = new RepositoryClient(new RegistrySession(endpoint(host), undefined, new Set()), 'x/y');
  const chunks: Buffer[] = [];
  for await (const c of blobStream((o, sig) => client.openBlob(digest, o, sig), { digest, size: blob.length })) chunks.push(c as Buffer);
  assert.ok(Buffer.concat(chunks).equals(blob));
  assert.equal(ranges[0], 'none');
  assert.match(ranges[1], /^bytes=\d+-$/);
  assert.equal(ranges.length, 3);

  const wrong = `sha256:${'0'.repeat(64)}`;
  await assert.rejects(async () => { for await (const _ of blobStream((o, sig) => client.openBlob(wrong, o, sig), { digest: wrong, size: blob.length })) { /* drain */ } }, /verification failed/);
});

test('adaptive gzip: valid multi-member gzip, compressible data shrinks, random data is stored', async () => {
  const compress = async (input: Buffer) => {
    const gz = adaptiveGzip();
    const out: Buffer[] = [];
    gz.on('data', (c: Buffer) => { out.push(c); });
    const done = new Promise((resolve) => gz.on('end', resolve));
    gz.end(input);
    await done;
    return Buffer.concat(out);
  };
  const text = Buffer.alloc(9 << 20, 'hello berth ');
  const random = randomBytes(9 << 20);
  const mixed = Buffer.concat([text, random, text]);
  for (const input of [text, random, mixed, Buffer.alloc(0)]) {
    const out = await compress(input);
    assert.ok(gunzipSync(out).equals(input));
  }
  assert.ok((await compress(text)).length < text.length / 50);
  assert.ok((await compress(random)).length < random.length * 1.01);
});
