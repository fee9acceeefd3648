// The addon's in-thread decoders and InlineDecompressor (layer worker threads):
// gzip output equal to node:zlib's for any chunking, concatenated gzip members and
// zstd frames, and the same refusals as maybeDecompress (truncated, corrupt,
// unsupported compressions).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { InlineDecompressor } from '../src/archive';
import { InvalidArgumentError } from '../src/errors';
import { Gunzip } from '../src/native';

function inflateAll(input: Buffer, chunk: number): Buffer {
  const d = new InlineDecompressor();
  const out: Buffer[] = [];
  for (let o = 0; o < input.length; o += chunk) out.push(...d.push(input.subarray(o, o + chunk)));
  out.push(...d.end());
  return Buffer.concat(out);
}

test('gzip input of any chunking inflates to the original bytes', () => {
  const plain = Buffer.concat([randomBytes(700_000), Buffer.alloc(3_000_000, 'a')]); // stored and deflated blocks
  const gz = gzipSync(plain);
  for (const chunk of [5, 4096, 65536, gz.length]) {
    assert.ok(inflateAll(gz, chunk).equals(plain), `chunk ${chunk}`);
  }
});

test('byte-at-a-time input still reassembles (header split over calls)', () => {
  const plain = randomBytes(20_000);
  assert.ok(inflateAll(gzipSync(plain), 1).equals(plain));
});

test('concatenated gzip members read as one stream (as Go does)', () => {
  const a = randomBytes(300_000);
  const b = Buffer.alloc(600_000, 7);
  assert.ok(inflateAll(Buffer.concat([gzipSync(a), gzipSync(b)]), 65536).equals(Buffer.concat([a, b])));
});

test('plain (uncompressed) input passes through, empty input is empty', () => {
  const tarLike = Buffer.concat([Buffer.from('etc/'), randomBytes(10_000)]);
  assert.ok(inflateAll(tarLike, 3).equals(tarLike));
  assert.equal(inflateAll(Buffer.alloc(0), 1).length, 0);
});

test('truncated or corrupt gzip and other compressions are InvalidArgumentError', () => {
  const gz = gzipSync(randomBytes(200_000));
  assert.throws(() => inflateAll(gz.subarray(0, gz.length - 100), 4096), (e: unknown) => e instanceof InvalidArgumentError && /unexpected end of file/.test(e.message));
  const corrupt = Buffer.from(gz);
  corrupt[gz.length - 6] ^= 0xff; // CRC-32 trailer
  assert.throws(() => inflateAll(corrupt, 4096), (e: unknown) => e instanceof InvalidArgumentError && /invalid layer tar: incorrect data check/.test(e.message));
  const xz = Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0, 0]);
  assert.throws(() => inflateAll(xz, 2), (e: unknown) => e instanceof InvalidArgumentError && /unsupported compression format: xz/.test(e.message));
});

test('a gunzip handle refuses use after end', () => {
  const g = new Gunzip();
  g.push(gzipSync(Buffer.from('x')));
  g.end();
  assert.throws(() => g.push(Buffer.from('y')), /closed/);
});

test('zstd input (several frames, any chunking) decodes; truncated zstd is InvalidArgumentError', () => {
  const zstd = (data: Buffer) => {
    const r = spawnSync('zstd', ['-q', '-c'], { input: data, maxBuffer: 64 << 20 });
    assert.equal(r.status, 0, r.stderr?.toString());
    return r.stdout;
  };
  const a = randomBytes(400_000);
  const b = Buffer.alloc(2_000_000, 'z');
  const z = Buffer.concat([zstd(a), zstd(b)]);
  const small = randomBytes(5_000);
  assert.ok(inflateAll(zstd(small), 1).equals(small), 'byte at a time');
  for (const chunk of [777, 65536, z.length]) {
    assert.ok(inflateAll(z, chunk).equals(Buffer.concat([a, b])), `chunk ${chunk}`);
  }
  assert.throws(() => inflateAll(z.subarray(0, z.length - 10), 4096), (e: unknown) => e instanceof InvalidArgumentError && /invalid layer tar: unexpected end of zstd stream/.test(e.message));
});
