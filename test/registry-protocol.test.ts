// OCI Distribution Spec protocol tests straight over HTTP against berth's registry: blobs,
// uploads (monolithic, chunked, out of order), mounts, manifests, tags, catalog, referrers,
// deletion, and every spec error code with its status.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import type { RunningRegistry } from '../src/registry/server';
import { errorCodes, pushBlob, pushImageBlobs, request, sha256, startTestRegistry, tempDir } from './registry-fixtures';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';

describe('registry protocol', () => {
  let root: string;
  let reg: RunningRegistry;
  let base: string;
  const req = (method: string, p: string, o: { headers?: Record<string, string>; body?: Buffer | string } = {}) => request(base, method, p, o);

  before(async () => {
    root = tempDir('berth-reg-proto-');
    reg = await startTestRegistry(root);
    base = reg.url;
  });
  after(async () => {
    await reg?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('answers /v2/ with 200 and the API version header', async () => {
    const r = await req('GET', '/v2/');
    assert.equal(r.status, 200);
    assert.equal(r.headers['docker-distribution-api-version'], 'registry/2.0');
  });

  it('monolithic POST ?digest= stores a blob; GET, HEAD and ranges serve it', async () => {
    const data = Buffer.from('0123456789abcdefghij');
    const digest = sha256(data);
    const post = await req('POST', `/v2/mono/blobs/uploads/?digest=${digest}`, { body: data });
    assert.equal(post.status, 201);
    assert.equal(post.headers.location, `/v2/mono/blobs/${digest}`);
    assert.equal(post.headers['docker-content-digest'], digest);
    const get = await req('GET', `/v2/mono/blobs/${digest}`);
    assert.equal(get.status, 200);
    assert.deepEqual(get.body, data);
    assert.equal(get.headers['docker-content-digest'], digest);
    const head = await req('HEAD', `/v2/mono/blobs/${digest}`);
    assert.equal(head.status, 200);
    assert.equal(head.headers['content-length'], '20');
    assert.equal(head.body.length, 0);
    const part = await req('GET', `/v2/mono/blobs/${digest}`, { headers: { Range: 'bytes=2-5' } });
    assert.equal(part.status, 206);
    assert.equal(part.body.toString(), '2345');
    assert.equal(part.headers['content-range'], 'bytes 2-5/20');
    const suffix = await req('GET', `/v2/mono/blobs/${digest}`, { headers: { Range: 'bytes=-3' } });
    assert.equal(suffix.body.toString(), 'hij');
    const clipped = await req('GET', `/v2/mono/blobs/${digest}`, { headers: { Range: 'bytes=15-100' } });
    assert.equal(clipped.status, 206);
    assert.equal(clipped.headers['content-range'], 'bytes 15-19/20');
    assert.equal((await req('GET', `/v2/mono/blobs/${digest}`, { headers: { Range: 'bytes=20-30' } })).status, 416);
    assert.equal((await req('GET', `/v2/mono/blobs/${digest}`, { headers: { Range: 'bytes=5-2' } })).status, 416);
  });

  it('POST then PUT uploads a blob in one request body', async () => {
    const data = Buffer.from('post then put');
    const post = await req('POST', '/v2/pp/blobs/uploads/');
    assert.equal(post.status, 202);
    assert.match(String(post.headers.location), /^\/v2\/pp\/blobs\/uploads\/[0-9a-f-]{36}$/);
    assert.equal(post.headers.range, '0-0');
    const put = await req('PUT', `${post.headers.location}?digest=${sha256(data)}`, { body: data, headers: { 'Content-Type': 'application/octet-stream' } });
    assert.equal(put.status, 201);
    assert.equal(put.headers['docker-content-digest'], sha256(data));
    assert.deepEqual((await req('GET', `/v2/pp/blobs/${sha256(data)}`)).body, data);
  });

  it('chunked PATCH uploads in order; out-of-order chunks get 416 and the status GET tells where to resume', async () => {
    const data = Buffer.from('aaaaaaaaaabbbbbbbbbbcccccccccc');
    const loc = String((await req('POST', '/v2/chunks/blobs/uploads/', { headers: { 'Content-Length': '0' } })).headers.location);
    const p1 = await req('PATCH', loc, { body: data.subarray(0, 10), headers: { 'Content-Range': '0-9', 'Content-Type': 'application/octet-stream' } });
    assert.equal(p1.status, 202);
    assert.equal(p1.headers.range, '0-9');
    const skip = await req('PATCH', loc, { body: data.subarray(20, 30), headers: { 'Content-Range': '20-29' } });
    assert.equal(skip.status, 416);
    assert.deepEqual(errorCodes(skip), ['BLOB_UPLOAD_INVALID']);
    const again = await req('PATCH', loc, { body: data.subarray(0, 10), headers: { 'Content-Range': '0-9' } });
    assert.equal(again.status, 416);
    const status = await req('GET', loc);
    assert.equal(status.status, 204);
    assert.equal(status.headers.range, '0-9');
    assert.equal(status.headers.location, loc);
    const p2 = await req('PATCH', loc, { body: data.subarray(10, 20), headers: { 'Content-Range': '10-19' } });
    assert.equal(p2.headers.range, '0-19');
    const badFinal = await req('PUT', `${loc}?digest=${sha256(data)}`, { body: data.subarray(25), headers: { 'Content-Range': '25-29' } });
    assert.equal(badFinal.status, 416);
    const put = await req('PUT', `${loc}?digest=${sha256(data)}`, { body: data.subarray(20), headers: { 'Content-Range': '20-29' } });
    assert.equal(put.status, 201);
    assert.deepEqual((await req('GET', `/v2/chunks/blobs/${sha256(data)}`)).body, data);
    assert.equal((await req('GET', loc)).status, 404, 'the session is gone once closed');
  });

  it('PATCH without Content-Range (streamed) and a closing PUT without body', async () => {
    const data = Buffer.alloc(3 * 1024 * 1024 + 7, 'z');
    const loc = String((await req('POST', '/v2/stream/blobs/uploads/')).headers.location);
    assert.equal((await req('PATCH', loc, { body: data })).headers.range, `0-${data.length - 1}`);
    assert.equal((await req('PUT', `${loc}?digest=${sha256(data)}`)).status, 201);
    assert.equal((await req('HEAD', `/v2/stream/blobs/${sha256(data)}`)).headers['content-length'], String(data.length));
  });

  it('a digest mismatch is DIGEST_INVALID and leaves no blob and no session behind', async () => {
    const data = Buffer.from('the real content');
    const claimed = sha256('something else');
    const r = await req('POST', `/v2/mismatch/blobs/uploads/?digest=${claimed}`, { body: data });
    assert.equal(r.status, 400);
    assert.deepEqual(errorCodes(r), ['DIGEST_INVALID']);
    assert.equal((await req('HEAD', `/v2/mismatch/blobs/${claimed}`)).status, 404);
    assert.equal(fs.existsSync(path.join(root, 'blobs', 'sha256', claimed.slice(7, 9), claimed.slice(7))), false);
    const loc = String((await req('POST', '/v2/mismatch/blobs/uploads/')).headers.location);
    await req('PATCH', loc, { body: data });
    const put = await req('PUT', `${loc}?digest=${claimed}`);
    assert.deepEqual(errorCodes(put), ['DIGEST_INVALID']);
    assert.equal((await req('GET', loc)).status, 404);
    const sessions = fs.readdirSync(path.join(root, 'uploads'));
    assert.deepEqual(sessions.filter((s) => fs.readFileSync(path.join(root, 'uploads', s, 'info.json'), 'utf8').includes('"mismatch"')), []);
  });

  it('malformed digests are DIGEST_INVALID (400)', async () => {
    for (const p of ['/v2/d/blobs/sha256:xyz', '/v2/d/blobs/md5:0123', `/v2/d/blobs/sha256:${'A'.repeat(64)}`]) {
      const r = await req('GET', p);
      assert.equal(r.status, 400, p);
      assert.deepEqual(errorCodes(r), ['DIGEST_INVALID']);
    }
    const loc = String((await req('POST', '/v2/d/blobs/uploads/')).headers.location);
    const noDigest = await req('PUT', loc);
    assert.equal(noDigest.status, 400);
    assert.deepEqual(errorCodes(noDigest), ['DIGEST_INVALID']);
  });

  it('blobs are per repository (BLOB_UNKNOWN elsewhere) until mounted; a mount that cannot happen starts an upload', async () => {
    const digest = await pushBlob(base, 'src/repo', Buffer.from('shared layer'));
    const other = await req('GET', `/v2/dst/repo/blobs/${digest}`);
    assert.equal(other.status, 404);
    assert.deepEqual(errorCodes(other), ['BLOB_UNKNOWN']);
    const mount = await req('POST', `/v2/dst/repo/blobs/uploads/?mount=${digest}&from=src/repo`);
    assert.equal(mount.status, 201);
    assert.equal(mount.headers.location, `/v2/dst/repo/blobs/${digest}`);
    assert.equal(mount.headers['docker-content-digest'], digest);
    assert.equal((await req('GET', `/v2/dst/repo/blobs/${digest}`)).body.toString(), 'shared layer');
    const files = fs.readdirSync(path.join(root, 'blobs', 'sha256', digest.slice(7, 9)));
    assert.deepEqual(files, [digest.slice(7)], 'stored once');
    const fallback = await req('POST', `/v2/third/blobs/uploads/?mount=${digest}&from=nowhere`);
    assert.equal(fallback.status, 202);
    assert.match(String(fallback.headers.location), /\/v2\/third\/blobs\/uploads\//);
  });

  it('BLOB_UPLOAD_UNKNOWN for unknown, foreign and cancelled sessions', async () => {
    const unknown = await req('PATCH', '/v2/u/blobs/uploads/00000000-0000-4000-8000-000000000000', { body: 'x' });
    assert.equal(unknown.status, 404);
    assert.deepEqual(errorCodes(unknown), ['BLOB_UPLOAD_UNKNOWN']);
    assert.equal((await req('GET', '/v2/u/blobs/uploads/../../etc')).status, 404);
    const loc = String((await req('POST', '/v2/u/blobs/uploads/')).headers.location);
    const foreign = await req('GET', loc.replace('/v2/u/', '/v2/v/'));
    assert.deepEqual(errorCodes(foreign), ['BLOB_UPLOAD_UNKNOWN']);
    assert.equal((await req('DELETE', loc)).status, 204);
    const gone = await req('PATCH', loc, { body: 'x' });
    assert.equal(gone.status, 404);
    assert.deepEqual(errorCodes(gone), ['BLOB_UPLOAD_UNKNOWN']);
  });

  it('BLOB_UPLOAD_INVALID for a malformed Content-Range; SIZE_INVALID when it disagrees with Content-Length', async () => {
    const loc = String((await req('POST', '/v2/ranges/blobs/uploads/')).headers.location);
    const bad = await req('PATCH', loc, { body: 'abc', headers: { 'Content-Range': 'abc' } });
    assert.equal(bad.status, 416);
    assert.deepEqual(errorCodes(bad), ['BLOB_UPLOAD_INVALID']);
    const size = await req('PATCH', loc, { body: 'abcde', headers: { 'Content-Range': '0-9' } });
    assert.equal(size.status, 400);
    assert.deepEqual(errorCodes(size), ['SIZE_INVALID']);
    assert.equal((await req('GET', loc)).headers.range, '0-0', 'nothing was appended');
  });

  it('NAME_INVALID for bad repository names and path tricks; NAME_UNKNOWN for unknown repositories', async () => {
    for (const p of ['/v2/UPPER/tags/list', '/v2/a/..%2Fb/tags/list', '/v2/a/%2F/b/tags/list', '/v2/-a/manifests/latest', '/v2/a//b/tags/list', `/v2/${'a'.repeat(256)}/tags/list`]) {
      const r = await req('GET', p);
      assert.equal(r.status, 400, p);
      assert.deepEqual(errorCodes(r), ['NAME_INVALID'], p);
    }
    // Dot segments (also percent-encoded) are resolved by URL parsing before routing: they
    // can only name another valid repository, never a path outside the store.
    assert.deepEqual(errorCodes(await req('GET', '/v2/a/%2E%2E/zz/tags/list')), ['NAME_UNKNOWN']);
    assert.equal((await req('GET', '/v2/a/b/../../../../etc/tags/list')).status, 404);
    const tags = await req('GET', '/v2/no/such/repo/tags/list');
    assert.equal(tags.status, 404);
    assert.deepEqual(errorCodes(tags), ['NAME_UNKNOWN']);
    assert.deepEqual(errorCodes(await req('GET', '/v2/no/such/repo/manifests/latest')), ['NAME_UNKNOWN']);
    assert.deepEqual(errorCodes(await req('DELETE', '/v2/no/such/repo/manifests/latest')), ['NAME_UNKNOWN']);
  });

  it('stores OCI manifests exactly as pushed, by tag and by digest, with Accept negotiation', async () => {
    const img = await pushImageBlobs(base, 'app/oci');
    const put = await req('PUT', '/v2/app/oci/manifests/v1', { body: img.manifest, headers: { 'Content-Type': OCI_MANIFEST } });
    assert.equal(put.status, 201);
    assert.equal(put.headers['docker-content-digest'], img.digest);
    assert.equal(put.headers.location, `/v2/app/oci/manifests/${img.digest}`);
    for (const ref of ['v1', img.digest]) {
      const get = await req('GET', `/v2/app/oci/manifests/${ref}`, { headers: { Accept: `${DOCKER_MANIFEST}, ${OCI_MANIFEST}` } });
      assert.equal(get.status, 200);
      assert.deepEqual(get.body, img.manifest);
      assert.equal(get.headers['content-type'], OCI_MANIFEST);
      assert.equal(get.headers['docker-content-digest'], img.digest);
      const head = await req('HEAD', `/v2/app/oci/manifests/${ref}`);
      assert.equal(head.headers['content-length'], String(img.manifest.length));
    }
    const refused = await req('GET', '/v2/app/oci/manifests/v1', { headers: { Accept: DOCKER_MANIFEST } });
    assert.equal(refused.status, 404);
    assert.deepEqual(errorCodes(refused), ['MANIFEST_UNKNOWN']);
    const wrongDigest = await req('PUT', `/v2/app/oci/manifests/${sha256('x')}`, { body: img.manifest, headers: { 'Content-Type': OCI_MANIFEST } });
    assert.equal(wrongDigest.status, 400);
    assert.deepEqual(errorCodes(wrongDigest), ['DIGEST_INVALID']);
    const byDigest = await req('PUT', `/v2/app/oci/manifests/${img.digest}?tag=a&tag=b`, { body: img.manifest, headers: { 'Content-Type': OCI_MANIFEST } });
    assert.equal(byDigest.status, 201);
    assert.equal(byDigest.headers['oci-tag'], 'a, b');
    assert.equal((await req('GET', '/v2/app/oci/manifests/b')).headers['docker-content-digest'], img.digest);
    const unknown = await req('GET', '/v2/app/oci/manifests/nope');
    assert.equal(unknown.status, 404);
    assert.deepEqual(errorCodes(unknown), ['MANIFEST_UNKNOWN']);
  });

  it('Docker schema2 manifests and manifest lists; OCI indexes need their children', async () => {
    const img = await pushImageBlobs(base, 'app/docker', 1, DOCKER_MANIFEST);
    assert.equal((await req('PUT', `/v2/app/docker/manifests/${img.digest}`, { body: img.manifest, headers: { 'Content-Type': DOCKER_MANIFEST } })).status, 201);
    const list = Buffer.from(JSON.stringify({
      schemaVersion: 2, mediaType: DOCKER_LIST,
      manifests: [{ mediaType: DOCKER_MANIFEST, digest: img.digest, size: img.manifest.length, platform: { architecture: 'amd64', os: 'linux' } }],
    }));
    const put = await req('PUT', '/v2/app/docker/manifests/multi', { body: list, headers: { 'Content-Type': DOCKER_LIST } });
    assert.equal(put.status, 201);
    const get = await req('GET', '/v2/app/docker/manifests/multi', { headers: { Accept: `${DOCKER_LIST}, ${DOCKER_MANIFEST}` } });
    assert.equal(get.headers['content-type'], DOCKER_LIST);
    assert.deepEqual(get.body, list);
    const missingChild = Buffer.from(JSON.stringify({
      schemaVersion: 2, mediaType: OCI_INDEX,
      manifests: [{ mediaType: OCI_MANIFEST, digest: sha256('not pushed'), size: 10 }],
    }));
    const r = await req('PUT', '/v2/app/docker/manifests/index', { body: missingChild, headers: { 'Content-Type': OCI_INDEX } });
    assert.equal(r.status, 400);
    assert.deepEqual(errorCodes(r), ['MANIFEST_BLOB_UNKNOWN']);
  });

  it('MANIFEST_INVALID for malformed manifests; MANIFEST_BLOB_UNKNOWN for each missing blob', async () => {
    const put = (body: string, type = OCI_MANIFEST) => req('PUT', '/v2/app/bad/manifests/t', { body, headers: { 'Content-Type': type } });
    for (const body of ['not json', '[]', '{"schemaVersion":1,"name":"x","tag":"t","fsLayers":[]}', JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, layers: [] })]) {
      const r = await put(body);
      assert.equal(r.status, 400, body);
      assert.deepEqual(errorCodes(r), ['MANIFEST_INVALID'], body);
    }
    const img = await pushImageBlobs(base, 'app/bad');
    assert.deepEqual(errorCodes(await put(img.manifest.toString(), DOCKER_MANIFEST)), ['MANIFEST_INVALID'], 'Content-Type disagrees with mediaType');
    const missing = JSON.stringify({
      schemaVersion: 2, mediaType: OCI_MANIFEST,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(img.config), size: img.config.length },
      layers: [sha256('missing 1'), sha256('missing 2')].map((digest) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest, size: 9 })),
    });
    const r = await put(missing);
    assert.equal(r.status, 400);
    assert.deepEqual(errorCodes(r), ['MANIFEST_BLOB_UNKNOWN', 'MANIFEST_BLOB_UNKNOWN']);
    assert.equal((await req('GET', '/v2/app/bad/manifests/t')).status, 404, 'nothing stored');
    const bigTag = await req('PUT', `/v2/app/bad/manifests/${'t'.repeat(129)}`, { body: img.manifest, headers: { 'Content-Type': OCI_MANIFEST } });
    assert.deepEqual(errorCodes(bigTag), ['MANIFEST_INVALID']);
  });

  it('tags/list and _catalog paginate with n/last and a Link to the next page', async () => {
    const img = await pushImageBlobs(base, 'pages/repo', 1);
    for (const t of ['e', 'b', 'd', 'a', 'c', 'B']) {
      assert.equal((await req('PUT', `/v2/pages/repo/manifests/${t}`, { body: img.manifest, headers: { 'Content-Type': OCI_MANIFEST } })).status, 201);
    }
    assert.deepEqual((await req('GET', '/v2/pages/repo/tags/list')).json(), { name: 'pages/repo', tags: ['B', 'a', 'b', 'c', 'd', 'e'] });
    const first = await req('GET', '/v2/pages/repo/tags/list?n=2');
    assert.deepEqual(first.json().tags, ['B', 'a']);
    assert.equal(first.headers.link, '</v2/pages/repo/tags/list?n=2&last=a>; rel="next"');
    const second = await req('GET', '/v2/pages/repo/tags/list?n=2&last=a');
    assert.deepEqual(second.json().tags, ['b', 'c']);
    const last = await req('GET', '/v2/pages/repo/tags/list?n=2&last=c');
    assert.deepEqual(last.json().tags, ['d', 'e']);
    assert.equal(last.headers.link, undefined);
    const zero = await req('GET', '/v2/pages/repo/tags/list?n=0');
    assert.deepEqual(zero.json().tags, []);
    assert.equal(zero.headers.link, undefined);
    assert.deepEqual((await req('GET', '/v2/pages/repo/tags/list?last=d')).json().tags, ['e']);

    const all = (await req('GET', '/v2/_catalog')).json<{ repositories: string[] }>().repositories;
    assert.ok(all.includes('pages/repo') && all.includes('app/oci') && all.includes('src/repo'));
    assert.deepEqual([...all].sort(), all);
    const seen: string[] = [];
    let next: string | undefined = '/v2/_catalog?n=3';
    while (next) {
      const page: Awaited<ReturnType<typeof req>> = await req('GET', next);
      seen.push(...page.json<{ repositories: string[] }>().repositories);
      next = /<([^>]+)>; rel="next"/.exec(String(page.headers.link ?? ''))?.[1];
    }
    assert.deepEqual(seen, all);
  });

  it('referrers API lists manifests by subject, filters by artifactType, and OCI-Subject answers pushes', async () => {
    const subject = await pushImageBlobs(base, 'refs/app', 1);
    await req('PUT', '/v2/refs/app/manifests/v1', { body: subject.manifest, headers: { 'Content-Type': OCI_MANIFEST } });
    const empty = Buffer.from('{}');
    await pushBlob(base, 'refs/app', empty);
    const artifact = (artifactType: string, note: string) => Buffer.from(JSON.stringify({
      schemaVersion: 2, mediaType: OCI_MANIFEST, artifactType,
      config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: sha256(empty), size: 2 },
      layers: [], subject: { mediaType: OCI_MANIFEST, digest: subject.digest, size: subject.manifest.length },
      annotations: { note },
    }));
    const sig = artifact('application/vnd.example.signature', 'sig');
    const sbom = artifact('application/vnd.example.sbom', 'sbom');
    for (const m of [sig, sbom]) {
      const r = await req('PUT', `/v2/refs/app/manifests/${sha256(m)}`, { body: m, headers: { 'Content-Type': OCI_MANIFEST } });
      assert.equal(r.status, 201);
      assert.equal(r.headers['oci-subject'], subject.digest);
    }
    const list = await req('GET', `/v2/refs/app/referrers/${subject.digest}`);
    assert.equal(list.status, 200);
    assert.equal(list.headers['content-type'], OCI_INDEX);
    const index = list.json<{ mediaType: string; manifests: Array<{ digest: string; artifactType: string; annotations: Record<string, string>; size: number }> }>();
    assert.equal(index.mediaType, OCI_INDEX);
    assert.deepEqual(index.manifests.map((m) => m.digest).sort(), [sha256(sig), sha256(sbom)].sort());
    const sigEntry = index.manifests.find((m) => m.digest === sha256(sig));
    assert.equal(sigEntry?.artifactType, 'application/vnd.example.signature');
    assert.deepEqual(sigEntry?.annotations, { note: 'sig' });
    assert.equal(sigEntry?.size, sig.length);
    const filtered = await req('GET', `/v2/refs/app/referrers/${subject.digest}?artifactType=application/vnd.example.sbom`);
    assert.equal(filtered.headers['oci-filters-applied'], 'artifactType');
    assert.deepEqual(filtered.json<{ manifests: Array<{ digest: string }> }>().manifests.map((m) => m.digest), [sha256(sbom)]);
    const none = await req('GET', `/v2/refs/app/referrers/${sha256('nothing refers')}`);
    assert.equal(none.status, 200);
    assert.deepEqual(none.json().manifests, []);
    assert.deepEqual(errorCodes(await req('GET', '/v2/refs/app/referrers/sha256:bad')), ['DIGEST_INVALID']);
    assert.equal((await req('DELETE', `/v2/refs/app/manifests/${sha256(sig)}`)).status, 202);
    const after = (await req('GET', `/v2/refs/app/referrers/${subject.digest}`)).json<{ manifests: Array<{ digest: string }> }>();
    assert.deepEqual(after.manifests.map((m) => m.digest), [sha256(sbom)]);
  });

  it('deletes tags, manifests and blobs (202), then reports them unknown', async () => {
    const img = await pushImageBlobs(base, 'del/app', 1);
    await req('PUT', '/v2/del/app/manifests/t1', { body: img.manifest, headers: { 'Content-Type': OCI_MANIFEST } });
    await req('PUT', '/v2/del/app/manifests/t2', { body: img.manifest, headers: { 'Content-Type': OCI_MANIFEST } });
    assert.equal((await req('DELETE', '/v2/del/app/manifests/t1')).status, 202);
    assert.deepEqual(errorCodes(await req('GET', '/v2/del/app/manifests/t1')), ['MANIFEST_UNKNOWN']);
    assert.equal((await req('GET', `/v2/del/app/manifests/${img.digest}`)).status, 200, 'untagging keeps the manifest');
    assert.equal((await req('DELETE', `/v2/del/app/manifests/${img.digest}`)).status, 202);
    assert.equal((await req('GET', `/v2/del/app/manifests/${img.digest}`)).status, 404);
    assert.equal((await req('GET', '/v2/del/app/manifests/t2')).status, 404, 'tags of a deleted manifest go with it');
    assert.deepEqual((await req('GET', '/v2/del/app/tags/list')).json().tags, []);
    assert.deepEqual(errorCodes(await req('DELETE', `/v2/del/app/manifests/${img.digest}`)), ['MANIFEST_UNKNOWN']);
    const layer = sha256(img.layers[0]);
    assert.equal((await req('DELETE', `/v2/del/app/blobs/${layer}`)).status, 202);
    assert.deepEqual(errorCodes(await req('GET', `/v2/del/app/blobs/${layer}`)), ['BLOB_UNKNOWN']);
    assert.deepEqual(errorCodes(await req('DELETE', `/v2/del/app/blobs/${layer}`)), ['BLOB_UNKNOWN']);
  });

  it('UNSUPPORTED (405 with Allow) for a method an endpoint does not have; 404 off the API', async () => {
    const r = await req('POST', '/v2/x/manifests/latest');
    assert.equal(r.status, 405);
    assert.deepEqual(errorCodes(r), ['UNSUPPORTED']);
    assert.equal(r.headers.allow, 'GET, HEAD, PUT, DELETE');
    assert.equal((await req('GET', '/v3/')).status, 404);
  });

  it('DENIED (403) for writes to a read-only registry, which still serves reads', async () => {
    const ro = await startTestRegistry(root, { readOnly: true });
    try {
      const push = await request(ro.url, 'POST', '/v2/mono/blobs/uploads/');
      assert.equal(push.status, 403);
      assert.deepEqual(errorCodes(push), ['DENIED']);
      assert.deepEqual(errorCodes(await request(ro.url, 'DELETE', '/v2/app/oci/manifests/v1')), ['DENIED']);
      assert.equal((await request(ro.url, 'GET', '/v2/app/oci/manifests/v1')).status, 200);
    } finally {
      await ro.close();
    }
  });

  it('TOOMANYREQUESTS (429, Retry-After) beyond --max-requests in flight', async () => {
    const limited = await startTestRegistry(root, { maxRequests: 1 });
    try {
      const loc = String((await request(limited.url, 'POST', '/v2/busy/blobs/uploads/')).headers.location);
      // Hold one request open: a PATCH whose body is still being sent.
      const held = http.request(new URL(loc, limited.url), { method: 'PATCH', headers: { 'Content-Length': '10' }, agent: false });
      const heldDone = new Promise<number>((resolve, reject) => {
        held.on('response', (res) => { res.resume(); resolve(res.statusCode ?? 0); });
        held.on('error', reject);
      });
      held.write('12345');
      await new Promise((r) => setTimeout(r, 100));
      const r = await request(limited.url, 'GET', '/v2/');
      assert.equal(r.status, 429);
      assert.deepEqual(errorCodes(r), ['TOOMANYREQUESTS']);
      assert.equal(r.headers['retry-after'], '1');
      held.end('67890');
      assert.equal(await heldDone, 202);
      assert.equal((await request(limited.url, 'GET', '/v2/')).status, 200);
    } finally {
      await limited.close();
    }
  });
});
