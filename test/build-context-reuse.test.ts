// The builder moves unchanged small files over from the previous build's context
// instead of creating them again: a changed file (even with the same size and
// time), a removed file and a touched file must all come out as without reuse.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startDaemon, type TestDaemon } from './helpers';

let d: TestDaemon;
let work: string;
before(async () => {
  d = await startDaemon();
  work = fs.mkdtempSync('/tmp/berth-build-reuse-');
});
after(async () => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
  await d?.cleanup();
});

async function buildTo(dir: string, out: string): Promise<string> {
  fs.rmSync(out, { recursive: true, force: true });
  return (await d.berthOk(['build', '-q', '-o', `type=local,dest=${out}`, dir], { timeoutMs: 120_000 })).trim();
}

test('a rebuild reusing the previous context sees every change and nothing stale', async () => {
  const dir = path.join(work, 'ctx');
  fs.mkdirSync(path.join(dir, 'sub'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM busybox\nCOPY . /ctx/\n');
  fs.writeFileSync(path.join(dir, 'a.txt'), 'one\n');
  fs.writeFileSync(path.join(dir, 'sub', 'b.txt'), 'bee\n');
  fs.writeFileSync(path.join(dir, 'c.txt'), 'sea\n');
  const out = path.join(work, 'out');
  await buildTo(dir, out);
  assert.equal(fs.readFileSync(path.join(out, 'ctx', 'a.txt'), 'utf8'), 'one\n');

  // Same size, same mtime, other bytes: must be rebuilt with the new content.
  const a = path.join(dir, 'a.txt');
  const st = fs.statSync(a);
  fs.writeFileSync(a, 'two\n');
  fs.utimesSync(a, st.atime, st.mtime);
  fs.rmSync(path.join(dir, 'sub', 'b.txt'));
  fs.chmodSync(path.join(dir, 'c.txt'), 0o600);
  await buildTo(dir, out);
  assert.equal(fs.readFileSync(path.join(out, 'ctx', 'a.txt'), 'utf8'), 'two\n');
  assert.equal(fs.existsSync(path.join(out, 'ctx', 'sub', 'b.txt')), false);
  assert.equal(fs.statSync(path.join(out, 'ctx', 'c.txt')).mode & 0o777, 0o600);

  // Touching keeps the cache; the image ID stays.
  const first = (await d.berthOk(['build', '-q', dir], { timeoutMs: 120_000 })).trim();
  fs.utimesSync(a, new Date(), new Date(Date.now() + 5000));
  const again = (await d.berthOk(['build', '-q', dir], { timeoutMs: 120_000 })).trim();
  assert.equal(again, first);
  fs.writeFileSync(a, 'three\n');
  const changed = (await d.berthOk(['build', '-q', dir], { timeoutMs: 120_000 })).trim();
  assert.notEqual(changed, first);
  // Nothing but the parked context and this build's leftovers under build/.
  const names = fs.readdirSync(path.join(d.dataRoot, 'build')).filter((n) => n.startsWith('ctx-'));
  assert.deepEqual(names, []);
});
