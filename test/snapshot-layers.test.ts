// LayerStore: crafted tars leave nothing behind, chain IDs, dedupe, reference
// counts, pins during extraction, crash repair, and 150-layer mounts.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { openMetadataDb } from '../src/store';
import { createLayerStore, createRootfsStore } from '../src/snapshot';
import type { LayerStore } from '../src/snapshot';
import { tarStream, tempDir, unmountBelow, type Entry } from './archive-fixtures';

const tmp = tempDir('berth-layers-');
const db = openMetadataDb(path.join(tmp, 'db'));
const layersRoot = path.join(tmp, 'layers');
let layers = createLayerStore(layersRoot, db);
after(() => {
  unmountBelow(tmp);
  db.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const rows = (): Array<{ chain_id: string; refs: number }> => db.prepare('SELECT chain_id, refs FROM layers ORDER BY chain_id').all() as Array<{ chain_id: string; refs: number }>;
const dirs = (): string[] => fs.readdirSync(layersRoot).filter((n) => n !== 'l' && n !== 'empty').sort();
const hex = (id: string): string => id.slice(7);
const apply = async (parent: string | null, entries: Entry[]) => layers.applyLayer(parent, await tarStream(entries));

test('a crafted layer is refused with nothing left: no dir, no row, no temp dir', async () => {
  const crafted: Entry[][] = [
    [{ name: '../escape', body: 'x' }],
    [{ name: 'ok', body: 'fine' }, { name: 'link', type: 'symlink', linkname: tmp }, { name: 'link/escape', body: 'x' }],
    [{ name: 'hl', type: 'link', linkname: '../../db' }],
  ];
  for (const entries of crafted) {
    await assert.rejects(apply(null, entries), (err: Error & { kind?: string }) => err.kind === 'invalid-argument');
    assert.deepEqual(dirs(), []);
    assert.deepEqual(rows(), []);
    assert.deepEqual(fs.readdirSync(path.join(layersRoot, 'l')), []);
    assert.equal(fs.existsSync(path.join(tmp, 'escape')), false);
  }
});

test('chain IDs follow the OCI rule; identical layers are stored once; refs count and free', async () => {
  const base = await apply(null, [{ name: 'etc/', type: 'directory' }, { name: 'etc/base', body: 'b' }]);
  assert.equal(base.chainId, base.diffId);
  const again = await apply(null, [{ name: 'etc/', type: 'directory' }, { name: 'etc/base', body: 'b' }]);
  assert.deepEqual(again, base);
  const x = await apply(base.chainId, [{ name: 'x', body: 'xx' }]);
  const y = await apply(base.chainId, [{ name: 'y', body: 'yyy' }]);
  const expected = 'sha256:' + createHash('sha256').update(`${base.chainId} ${x.diffId}`).digest('hex');
  assert.equal(x.chainId, expected);
  assert.deepEqual(layers.chainIds([base.diffId, x.diffId]), [base.chainId, x.chainId]);
  assert.equal(dirs().length, 3);
  assert.equal(layers.lowerDirs(x.chainId).length, 2);
  assert.equal(fs.readFileSync(path.join(layers.lowerDirs(x.chainId)[0], 'x'), 'utf8'), 'xx', 'topmost first');
  assert.equal(layers.chainSize(y.chainId), 1 + 3);

  assert.throws(() => layers.retain([base.chainId, 'sha256:' + 'f'.repeat(64)]), (err: Error & { kind?: string }) => err.kind === 'not-found');
  assert.ok(rows().every((r) => r.refs === 0), 'a failed retain takes no reference at all');
  layers.retain([base.chainId, x.chainId]);
  layers.retain([base.chainId, y.chainId]);
  await layers.release([base.chainId, x.chainId]);
  assert.equal(layers.has(x.chainId), false);
  assert.equal(fs.existsSync(path.join(layersRoot, hex(x.chainId))), false);
  assert.ok(layers.has(base.chainId) && layers.has(y.chainId));
  await layers.release([base.chainId, y.chainId]);
  assert.deepEqual(rows(), []);
  assert.deepEqual(dirs(), []);
  assert.deepEqual(fs.readdirSync(path.join(layersRoot, 'l')), []);
});

test('unknown parents are refused; parallel applies of one layer store it once', async () => {
  await assert.rejects(apply('sha256:' + '0'.repeat(64), [{ name: 'a', body: 'a' }]), (err: Error & { kind?: string }) => err.kind === 'not-found');
  const entries: Entry[] = Array.from({ length: 50 }, (_, i) => ({ name: `f${i}`, body: 'z'.repeat(i) }));
  const results = await Promise.all([apply(null, entries), apply(null, entries), apply(null, entries)]);
  assert.equal(new Set(results.map((r) => r.chainId)).size, 1);
  assert.deepEqual(dirs(), [hex(results[0].chainId)]);
  // Not retained yet: a release elsewhere must not collect it...
  await layers.release([]);
  assert.ok(layers.has(results[0].chainId));
  // ...but a restarted store's repair does.
  layers = createLayerStore(layersRoot, db);
  await layers.repair();
  assert.deepEqual(dirs(), []);
});

test('a parent stays while a child is being extracted on top of it', async () => {
  const base = await apply(null, [{ name: 'p', body: 'parent' }]);
  layers.retain([base.chainId]);
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => { release = resolve; });
  const { Readable } = await import('node:stream');
  const bytes = await (await tarStream([{ name: 'c', body: 'child' }])).toArray();
  const slow = Readable.from((async function* () { await gate; yield* bytes; })());
  const child = layers.applyLayer(base.chainId, slow);
  await layers.release([base.chainId]); // refs 0 now, but pinned by the extraction
  assert.ok(layers.has(base.chainId));
  release();
  const info = await child;
  assert.equal(info.parent, base.chainId);
  layers.retain([base.chainId, info.chainId]);
  await layers.release([base.chainId, info.chainId]);
  assert.deepEqual(dirs(), []);
});

test('repair after a crash: temp dirs, dirs without rows, rows without dirs, orphans, links', async () => {
  const a = await apply(null, [{ name: 'a', body: 'a' }]);
  const b = await apply(a.chainId, [{ name: 'b', body: 'b' }]);
  const c = await apply(null, [{ name: 'c', body: 'c' }]);
  const d = await apply(c.chainId, [{ name: 'd', body: 'd' }]);
  layers.retain([a.chainId, b.chainId, c.chainId, d.chainId]);
  fs.mkdirSync(path.join(layersRoot, 'tmp-0123456789abcdef', 'diff', 'half'), { recursive: true });
  fs.mkdirSync(path.join(layersRoot, 'e'.repeat(64), 'diff'), { recursive: true }); // renamed in, row never written
  fs.rmSync(path.join(layersRoot, hex(c.chainId)), { recursive: true }); // row without dir → c and its child d go
  fs.rmSync(path.join(layersRoot, 'l', hex(a.chainId).slice(0, 16))); // lost link: recreated
  fs.symlinkSync('../nowhere/diff', path.join(layersRoot, 'l', 'deadbeefdeadbeef')); // stale link: removed
  layers = createLayerStore(layersRoot, db);
  await layers.repair();
  assert.deepEqual(dirs(), [hex(a.chainId), hex(b.chainId)].sort());
  assert.deepEqual(rows().map((r) => r.chain_id).sort(), [a.chainId, b.chainId].sort());
  assert.deepEqual(fs.readdirSync(path.join(layersRoot, 'l')).sort(), [hex(a.chainId).slice(0, 16), hex(b.chainId).slice(0, 16)].sort());
  assert.equal(fs.readFileSync(path.join(layers.lowerDirs(b.chainId)[1], 'a'), 'utf8'), 'a');
  await layers.release([a.chainId, b.chainId]);
  assert.deepEqual(dirs(), []);
});

test('an image of 150 layers mounts (lower dirs fit in one page)', async () => {
  let parent: string | null = null;
  const chain: string[] = [];
  for (let i = 0; i < 150; i++) {
    const info: Awaited<ReturnType<LayerStore['applyLayer']>> = await apply(parent, [{ name: `layer-${i}`, body: String(i) }, { name: 'top', body: String(i) }]);
    chain.push(info.chainId);
    parent = info.chainId;
  }
  const rootfs = createRootfsStore(path.join(tmp, 'containers'), layers);
  const id = 'c'.repeat(64);
  await rootfs.create(id, chain[chain.length - 1]);
  const cwd = process.cwd();
  try {
    const root = await rootfs.mount(id);
    assert.equal(fs.readFileSync(path.join(root, 'layer-0'), 'utf8'), '0');
    assert.equal(fs.readFileSync(path.join(root, 'layer-149'), 'utf8'), '149');
    assert.equal(fs.readFileSync(path.join(root, 'top'), 'utf8'), '149');
    assert.equal(process.cwd(), cwd, 'the daemon cwd is untouched');
  } finally {
    await rootfs.remove(id);
  }
  assert.deepEqual(dirs(), [], 'the container held the only references');
});
