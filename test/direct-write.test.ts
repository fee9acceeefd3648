// Page-cache-bypassing writes (O_DIRECT via the addon): the bytes on disk equal
// what was written for sizes around the 4 KiB / 1 MiB boundaries, on ext4 and on
// tmpfs (no O_DIRECT: ordinary writes), and abandoned files leave no descriptor open.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DirectFile, DirectWriteStream } from '../src/native';

const dirs = [fs.mkdtempSync(path.join('/var/tmp', 'berth-direct-')), fs.mkdtempSync(path.join(fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir(), 'berth-direct-'))];
after(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });
const SIZES = [0, 100, 4096, 4097, (1 << 20) - 1, 1 << 20, (3 << 20) + 12345];
const openFds = () => fs.readdirSync('/proc/self/fd').length;

function chunks(data: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let o = 0; o < data.length; o += size) out.push(data.subarray(o, o + size));
  return out;
}

test('DirectFile writes exactly the bytes given, in any chunking', () => {
  for (const dir of dirs) {
    for (const size of SIZES) {
      const data = randomBytes(size);
      const file = path.join(dir, `f-${size}`);
      const f = new DirectFile(file);
      for (const c of chunks(data, 70_001)) f.write(c);
      f.close();
      assert.ok(fs.readFileSync(file).equals(data), `${dir} ${size}`);
    }
  }
});

test('DirectWriteStream writes exactly the bytes piped in', async () => {
  for (const dir of dirs) {
    for (const size of SIZES) {
      const data = randomBytes(size);
      const file = path.join(dir, `s-${size}`);
      await pipeline(Readable.from(chunks(data, 65_536)), new DirectWriteStream(file));
      assert.ok(fs.readFileSync(file).equals(data), `${dir} ${size}`);
    }
  }
});

test('discarded and destroyed writers close their files', async () => {
  const before = openFds();
  const f = new DirectFile(path.join(dirs[0], 'discarded'));
  f.write(randomBytes(3 << 20));
  f.discard();
  f.discard();
  const s = new DirectWriteStream(path.join(dirs[0], 'destroyed'));
  s.write(randomBytes(3 << 20));
  const closed = new Promise((resolve) => s.once('close', resolve));
  s.once('error', () => undefined);
  s.destroy(new Error('stop'));
  await closed;
  assert.equal(openFds(), before);
  assert.throws(() => new DirectFile(path.join(dirs[0], 'no', 'such', 'dir')), /ENOENT/);
});
