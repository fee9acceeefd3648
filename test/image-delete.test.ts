// tag and DELETE /images/{name}: Docker's untag/delete rules, conflicts and texts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConflictError, InvalidArgumentError, NotFoundError } from '../src/errors';
import { leftovers, layerTar, newStore, streamOf } from './image-fixtures';

const CTR = 'c'.repeat(64);

async function importOne(s: ReturnType<typeof newStore>, content: string, reference?: string) {
  return s.images.importTar(streamOf(await layerTar('f', content)), { reference, created: '2024-01-01T00:00:00Z' });
}

test('tag: by name or ID, moving a tag leaves the old image dangling, events', async () => {
  const s = newStore();
  const a = await importOne(s, 'a', 'one:latest');
  const b = await importOne(s, 'b');
  s.seen.length = 0;
  await s.images.tag('one', 'two', 'x');
  await s.images.tag(b.id.slice(7, 15), 'one');
  assert.deepEqual(s.images.get(a.id).repoTags, ['two:x']);
  assert.deepEqual(s.images.get(b.id).repoTags, ['one:latest']);
  assert.deepEqual(s.seen.map((e) => [e.Action, e.Actor.ID, e.Actor.Attributes.name]), [['tag', a.id, 'two:x'], ['tag', b.id, 'one:latest']]);
  await assert.rejects(s.images.tag('nope:1', 'x'), (e: unknown) => e instanceof NotFoundError && e.message === 'No such image: nope:1');
  await assert.rejects(s.images.tag('one', 'Bad'), InvalidArgumentError);
  await assert.rejects(s.images.tag('one', `x@sha256:${'a'.repeat(64)}`), /refusing to create a tag with a digest reference/);
});

test('remove by name untags; the last name deletes the image, its layer and blobs', async () => {
  const s = newStore();
  const img = await importOne(s, 'a', 'one:latest');
  await s.images.tag('one', 'two', 'x');
  await s.images.tag(img.id, 'other/repo');
  s.seen.length = 0;
  assert.deepEqual(await s.images.remove('two:x'), [{ Untagged: 'two:x' }]);
  assert.deepEqual(await s.images.remove('docker.io/other/repo'), [{ Untagged: 'other/repo:latest' }]);
  assert.deepEqual(await s.images.remove('one'), [{ Untagged: 'one:latest' }, { Deleted: img.id }, { Deleted: img.chainId }]);
  assert.deepEqual(s.seen.map((e) => e.Action), ['untag', 'untag', 'untag', 'delete']);
  assert.deepEqual(await leftovers(s), { blobs: 0, layers: 0, tmp: [], ingest: [] });
  await assert.rejects(s.images.remove('one'), (e: unknown) => e instanceof NotFoundError && e.message === 'No such image: one:latest');
  await assert.rejects(s.images.remove('a'.repeat(64)), /No such image: sha256:a{64}/);
  await assert.rejects(s.images.remove('Bad'), InvalidArgumentError);
});

test('remove by ID: several repositories need force; one repository with two tags too', async () => {
  const s = newStore();
  const img = await importOne(s, 'a', 'one:1');
  await s.images.tag('one:1', 'one', '2');
  const short = img.id.slice(7, 19);
  await assert.rejects(s.images.remove(short), (e: unknown) => e instanceof ConflictError
    && e.message === `conflict: unable to delete ${short} (must be forced) - image is referenced in multiple repositories`);
  assert.deepEqual(await s.images.remove(short, { force: true }), [{ Untagged: 'one:1' }, { Untagged: 'one:2' }, { Deleted: img.id }, { Deleted: img.chainId }]);
  // A single tag: removing by ID untags and deletes.
  const b = await importOne(s, 'b', 'solo:1');
  assert.deepEqual(await s.images.remove(`sha256:${b.id.slice(7, 20)}`), [{ Untagged: 'solo:1' }, { Deleted: b.id }, { Deleted: b.chainId }]);
});

test('containers: running cannot be forced, stopped must be forced, untag refused while it would dangle', async () => {
  const s = newStore();
  const shared = await importOne(s, 'shared');
  const img = await importOne(s, 'a', 'app:1');
  void shared;
  const short = img.id.slice(7, 19);
  let running = true;
  s.images.setUsageChecker((id) => (id === img.id ? { containerId: CTR, running } : undefined));

  await assert.rejects(s.images.remove('app:1'), (e: unknown) => e instanceof ConflictError
    && e.message === `conflict: unable to remove repository reference "app:1" (must force) - container cccccccccccc is using its referenced image ${short}`);
  await assert.rejects(s.images.remove(img.id), (e: unknown) => e instanceof ConflictError
    && e.message === `conflict: unable to delete ${short} (cannot be forced) - image is being used by running container cccccccccccc`);
  await assert.rejects(s.images.remove(img.id, { force: true }), /\(cannot be forced\) - image is being used by running container cccccccccccc/);
  // Forced untag by name while running: the tag goes, the image stays (dangling).
  await s.images.tag('app:1', 'app', '2');
  assert.deepEqual(await s.images.remove('app:2', { force: true }), [{ Untagged: 'app:2' }]);
  assert.deepEqual(await s.images.remove('app:1', { force: true }), [{ Untagged: 'app:1' }]);
  assert.ok(s.images.find(img.id));

  running = false;
  await assert.rejects(s.images.remove(short), (e: unknown) => e instanceof ConflictError
    && e.message === `conflict: unable to delete ${short} (must be forced) - image is being used by stopped container cccccccccccc`);
  // Forced: Docker deletes the image record; the container keeps its layers through its own reference.
  assert.deepEqual(await s.images.remove(short, { force: true }), [{ Deleted: img.id }, { Deleted: img.chainId }]);
  assert.equal(s.images.find(img.id), undefined);
});

test('a digest reference goes with the last tag of its repository', async () => {
  const s = newStore();
  const img = await importOne(s, 'a', 'dg:1');
  const pinned = `dg@${img.manifestDigest}`;
  // Stored digests come from pulls; here the record is written directly.
  (s.images as unknown as { ctx: { repo: { setRef(r: string, id: string, k: string): void } } }).ctx.repo.setRef(`docker.io/library/${pinned}`, img.id, 'digest');
  assert.deepEqual(s.images.get(img.id).repoDigests, [pinned]);
  assert.equal(s.images.get(pinned).id, img.id);
  await s.images.tag('dg:1', 'keep', '1');
  assert.deepEqual(await s.images.remove('dg:1'), [{ Untagged: 'dg:1' }, { Untagged: pinned }]);
  assert.deepEqual(s.images.get(img.id).repoTags, ['keep:1']);
  assert.deepEqual(s.images.get(img.id).repoDigests, []);
});
