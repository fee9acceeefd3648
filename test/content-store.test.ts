// Content store: digest-named blobs, verified atomic ingest, repair after a crash.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import { createContentStore } from '../src/content';
import { InvalidArgumentError, NotFoundError } from '../src/errors';

const roots: string[] = [];
after(() => { for (const r of roots) fs.rmSync(r, { recursive: true, force: true }); });

function tempRoot(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-content-'));
  roots.push(root);
  return root;
}

const digestOf = (b: Buffer | string) => 'sha256:' + createHash('sha256').update(b).digest('hex');
const ingestFiles = (root: string) => fs.readdirSync(path.join(root, 'ingest'));

test('put, read, info, list and delete', async () => {
  const root = tempRoot();
  const store = createContentStore(root);
  const data = Buffer.from('hello blob');
  const info = await store.put(data);
  assert.deepEqual(info, { digest: digestOf(data), size: data.length });
  assert.equal(store.blobPath(info.digest), path.join(root, 'blobs', 'sha256', info.digest.slice(7)));
  assert.ok(store.has(info.digest));
  assert.deepEqual(await store.read(info.digest), data);
  assert.deepEqual(store.info(info.digest), info);
  assert.deepEqual(await store.list(), [info]);
  // Putting the same bytes again is a no-op.
  const mtime = fs.statSync(store.blobPath(info.digest)).mtimeMs;
  assert.deepEqual(await store.put(data, info.digest), info);
  assert.equal(fs.statSync(store.blobPath(info.digest)).mtimeMs, mtime);
  await store.delete(info.digest);
  assert.equal(store.has(info.digest), false);
  await assert.rejects(store.read(info.digest), NotFoundError);
  assert.throws(() => store.createReadStream(info.digest), NotFoundError);
  assert.equal(store.has('sha256:xyz'), false);
  assert.throws(() => store.blobPath('md5:abc'), InvalidArgumentError);
  assert.deepEqual(ingestFiles(root), []);
});

test('put refuses bytes that do not match the expected digest', async () => {
  const root = tempRoot();
  const store = createContentStore(root);
  await assert.rejects(store.put(Buffer.from('x'), digestOf('y')), /digest mismatch/);
  assert.deepEqual(await store.list(), []);
  assert.deepEqual(ingestFiles(root), []);
});

test('ingest streams, verifies digest and size, and leaves nothing on failure', async () => {
  const root = tempRoot();
  const store = createContentStore(root);
  const chunks = [Buffer.alloc(300_000, 1), Buffer.alloc(300_000, 2)];
  const whole = Buffer.concat(chunks);
  const info = await store.ingest(Readable.from(chunks), { digest: digestOf(whole), size: whole.length });
  assert.deepEqual(info, { digest: digestOf(whole), size: whole.length });
  const back = await new Promise<Buffer>((resolve, reject) => {
    const parts: Buffer[] = [];
    store.createReadStream(info.digest).on('data', (c: Buffer) => parts.push(c)).on('end', () => resolve(Buffer.concat(parts))).on('error', reject);
  });
  assert.ok(back.equals(whole));

  await assert.rejects(store.ingest(Readable.from([Buffer.from('abc')]), { digest: digestOf('abd') }), InvalidArgumentError);
  await assert.rejects(store.ingest(Readable.from([Buffer.from('abc')]), { size: 4 }), /size mismatch/);
  await assert.rejects(store.ingest(Readable.from([Buffer.from('abc')]), { digest: 'sha256:nothex' }), /invalid digest/);
  const broken = new Readable({ read() { this.push(Buffer.from('partial')); this.destroy(new Error('connection reset')); } });
  await assert.rejects(store.ingest(broken), /connection reset/);
  assert.deepEqual((await store.list()).map((b) => b.digest), [info.digest]);
  assert.deepEqual(ingestFiles(root), []);
  // Ingesting an existing blob again is fine and changes nothing.
  assert.deepEqual(await store.ingest(Readable.from([whole])), info);
  assert.deepEqual(ingestFiles(root), []);
});

test('kill -9 during an ingest leaves no visible blob; repair clears ingest/', async () => {
  const root = tempRoot();
  const storeModule = path.join(__dirname, '..', 'src', 'content', 'index.js');
  // The child ingests a stream that never ends, so it dies mid-write.
  const script = `
    const { Readable } = require('node:stream');
    const store = require(${JSON.stringify(storeModule)}).createContentStore(${JSON.stringify(root)});
    let sent = 0;
    const src = new Readable({ read() { if (sent < 4) { sent++; this.push(Buffer.alloc(256 * 1024, sent)); } } });
    store.ingest(src).then(() => process.exit(3));
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
  try {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const files = fs.existsSync(path.join(root, 'ingest')) ? ingestFiles(root) : [];
      if (files.length === 1 && fs.statSync(path.join(root, 'ingest', files[0])).size >= 1024 * 1024) break;
      if (Date.now() > deadline) assert.fail('the child never wrote its ingest file');
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  const store = createContentStore(root);
  assert.deepEqual(await store.list(), [], 'no partial blob is visible');
  assert.equal(ingestFiles(root).length, 1);
  await store.repair();
  assert.deepEqual(ingestFiles(root), []);
});
